import pytest

from hjulet.accounts.tests.api import bearer, send
from hjulet.knowledge.models import Adaptation, Initiative

from .factories import make_initiative, make_method

pytestmark = pytest.mark.django_db


def payload(organisation, **overrides):
    return {
        "title": "Kooperativ lanthandel i Morjärv",
        "lead_organisation": organisation.pk,
        "summary": "Byborna äger och driver butiken tillsammans.",
        "municipality": "2514",
        "stage": "etablerad",
        "challenges": ["service-i-glesbygd"],
        "sdgs": ["11"],
        "start_date": "2012-01-01",
        "links": ["https://lanthandel.example.se"],
        **overrides,
    }


def test_create_and_read_an_initiative(client, member, organisation):
    created = send(client, "post", "/api/v1/initiatives", payload(organisation), **bearer(member))
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["municipality"]["name"] == "Kalix"
    assert body["partners"] == [
        {
            "organisation": {
                "id": organisation.pk,
                "name": organisation.name,
                "slug": organisation.slug,
            },
            "role": "lead",
        }
    ]
    assert body["links"] == ["https://lanthandel.example.se"]
    assert client.get(f"/api/v1/initiatives/{body['id']}").json()["title"] == body["title"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"municipality": "0000"}, "municipality"),
        ({"stage": "klar"}, "stage"),
        ({"challenges": ["ingen-sadan"]}, "challenges"),
        ({"methods": ["ingen-metod"]}, "methods"),
        ({"start_date": "2020-01-01", "end_date": "2019-01-01"}, "__all__"),
    ],
)
def test_bad_input_is_400_and_nothing_saved(client, member, organisation, change, field):
    response = send(
        client, "post", "/api/v1/initiatives", payload(organisation, **change), **bearer(member)
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Initiative.objects.exists()


def test_negative_participants_is_422(client, member, organisation):
    response = send(
        client,
        "post",
        "/api/v1/initiatives",
        payload(organisation, participants_reached=-5),
        **bearer(member),
    )
    assert response.status_code == 422


def test_permissions(client, member, outsider, organisation):
    assert send(client, "post", "/api/v1/initiatives", payload(organisation)).status_code == 401
    assert (
        send(
            client, "post", "/api/v1/initiatives", payload(organisation), **bearer(outsider)
        ).status_code
        == 403
    )
    initiative = make_initiative(member)
    assert (
        send(
            client,
            "patch",
            f"/api/v1/initiatives/{initiative.pk}",
            {"title": "X"},
            **bearer(outsider),
        ).status_code
        == 403
    )
    assert client.get("/api/v1/initiatives/999999").status_code == 404


def test_patch_with_version(client, member):
    initiative = make_initiative(member)
    headers = bearer(member)
    ok = send(
        client,
        "patch",
        f"/api/v1/initiatives/{initiative.pk}",
        {"results": "40 barn", "version": 1},
        **headers,
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = send(
        client,
        "patch",
        f"/api/v1/initiatives/{initiative.pk}",
        {"results": "Skriver över", "version": 1},
        **headers,
    )
    assert stale.status_code == 409
    assert Initiative.objects.get(pk=initiative.pk).results == "40 barn"


def test_search_through_the_api(client, member):
    make_initiative(member, title="Språkcafé i Gävle", summary="Samtal över fika")
    make_initiative(member, title="Läxhjälp", summary="Skolarbete")
    body = client.get("/api/v1/initiatives", {"q": "sprakcafe"}).json()
    assert body["count"] >= 1
    assert body["items"][0]["title"] == "Språkcafé i Gävle"
    assert "<mark>" in (body["items"][0]["title_html"] or "")


def test_adaptation_and_spread(client, member):
    method = make_method(member)
    initiative = make_initiative(member)
    response = send(
        client,
        "post",
        f"/api/v1/initiatives/{initiative.pk}/adaptations",
        {"source_method": method.slug, "what_changed": "Läxhjälp i stället"},
        **bearer(member),
    )
    assert response.status_code == 201
    spread = client.get(f"/api/v1/methods/{method.slug}/spread").json()
    assert spread["municipalities"] == {"2480": 1}
    both = send(
        client,
        "post",
        f"/api/v1/initiatives/{initiative.pk}/adaptations",
        {"what_changed": "x"},
        **bearer(member),
    )
    assert both.status_code == 400
    assert Adaptation.objects.count() == 1


def test_methods_crud(client, member, outsider, organisation):
    created = send(
        client,
        "post",
        "/api/v1/methods",
        {
            "title": "Forskarverkstad",
            "summary": "Frågor från föreningar till forskare.",
            "what": "En science shop.",
            "organisations": [organisation.pk],
            "challenges": ["utbildning"],
        },
        **bearer(member),
    )
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    assert (
        send(
            client, "patch", f"/api/v1/methods/{slug}", {"how": "x"}, **bearer(outsider)
        ).status_code
        == 403
    )
    assert (
        send(
            client,
            "patch",
            f"/api/v1/methods/{slug}",
            {"how": "Möten varje månad", "version": 1},
            **bearer(member),
        ).json()["how"]
        == "Möten varje månad"
    )
    assert [m["slug"] for m in client.get("/api/v1/methods").json()["items"]] == [slug]


def test_similar_endpoint(client, member):
    make_initiative(member, title="Fritidsbanken Umeå", summary="Gratis lån av utrustning")
    body = client.get("/api/v1/initiatives/similar", {"text": "fritidsbank i Kalix"}).json()
    assert [i["title"] for i in body["initiatives"]] == ["Fritidsbanken Umeå"]
