import json

import pytest

from hjulet.accounts.tests.api import bearer
from hjulet.core.models import Term

pytestmark = pytest.mark.django_db


def test_counties_and_municipalities_are_open(client):
    counties = client.get("/api/v1/geography/counties").json()
    assert len(counties) == 21
    assert counties[0] == {"code": "01", "name": "Stockholms län", "short_name": "Stockholm"}
    in_norrbotten = client.get("/api/v1/geography/municipalities", {"county": "25"}).json()
    assert len(in_norrbotten) == 14
    assert {"code": "2514", "name": "Kalix", "county_code": "25"} in in_norrbotten


def test_boundaries_are_served_with_their_frame(client):
    frame = client.get("/api/v1/geography/map").json()
    assert frame["view_box"].startswith("0 0 ")
    umea = client.get("/api/v1/geography/municipalities/2480").json()
    assert umea["name"] == "Umeå" and umea["svg_path"].startswith("M")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/geography/counties/99",
        "/api/v1/geography/municipalities/0000",
        "/api/v1/vocabularies/nope/terms",
        "/api/v1/no-such-endpoint",
    ],
)
def test_unknown_ids_are_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_terms_listed_with_both_labels(client):
    terms = client.get("/api/v1/vocabularies/sdg/terms").json()
    assert [t["code"] for t in terms] == [str(n) for n in range(1, 18)]
    assert terms[4]["label_sv"] == "5. Jämställdhet"
    assert terms[4]["label_en"] == "5. Gender equality"


def test_coordinator_creates_term_with_token(client, coordinator):
    response = client.post(
        "/api/v1/vocabularies/target-group/terms",
        data=json.dumps({"code": "hemlosa", "label_sv": "Hemlösa", "label_en": "Homeless people"}),
        content_type="application/json",
        **bearer(coordinator),
    )
    assert response.status_code == 201, response.content
    assert response.json()["vocabulary"] == "target-group"


def test_member_gets_403_and_anonymous_401(client, member):
    payload = json.dumps({"code": "x", "label_sv": "X", "label_en": "X"})
    forbidden = client.post(
        "/api/v1/vocabularies/challenge/terms",
        data=payload,
        content_type="application/json",
        **bearer(member),
    )
    assert forbidden.status_code == 403
    assert forbidden.json()["detail"]
    anonymous = client.post(
        "/api/v1/vocabularies/challenge/terms", data=payload, content_type="application/json"
    )
    assert anonymous.status_code == 401


def test_invalid_token_is_401_not_anonymous(client):
    response = client.get("/api/v1/organisations", HTTP_AUTHORIZATION="Bearer hjl_forged")
    assert response.status_code == 401


def test_stale_version_is_409_with_conflict_message(client, coordinator):
    term = Term.objects.get(vocabulary__slug="stage", code="test")
    headers = bearer(coordinator)
    first = client.patch(
        f"/api/v1/vocabularies/terms/{term.pk}",
        data=json.dumps({"label_en": "Pilot", "version": term.version}),
        content_type="application/json",
        **headers,
    )
    assert first.status_code == 200 and first.json()["version"] == term.version + 1
    second = client.patch(
        f"/api/v1/vocabularies/terms/{term.pk}",
        data=json.dumps({"label_en": "Trial", "version": term.version}),
        content_type="application/json",
        **headers,
    )
    assert second.status_code == 409 and second.json()["detail"]
    assert Term.objects.get(pk=term.pk).label_en == "Pilot"


def test_malformed_body_is_4xx_json(client, coordinator):
    response = client.post(
        "/api/v1/vocabularies/challenge/terms",
        data="{not json",
        content_type="application/json",
        **bearer(coordinator),
    )
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_openapi_document_lists_the_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    for path in [
        "/api/v1/organisations",
        "/api/v1/geography/counties",
        "/api/v1/vocabularies/{slug}/terms",
        "/api/v1/me",
    ]:
        assert path in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_an_offset_too_large_for_the_database_is_refused_not_a_500(client):
    """Found by the API fuzz test: an offset beyond 64 bits overflowed in the database."""
    response = client.get("/api/v1/organisations", {"offset": 27911739381717399502848})
    assert response.status_code == 422
    assert client.get("/api/v1/organisations", {"offset": 10}).status_code == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/initiatives", {"challenge": "\x00"}),
        ("/api/v1/organisations", {"q": "a\x00b"}),
        ("/initiativ/", {"q": "\x00"}),
    ],
)
def test_a_nul_character_in_the_query_is_a_400_not_a_500(client, path, params):
    """Found by the API fuzz test: PostgreSQL cannot compare text with NUL in it."""
    response = client.get(path, params)
    assert response.status_code == 400


def test_a_nul_character_in_a_json_body_is_a_400_and_nothing_is_saved(as_user, member):
    from hjulet.knowledge.models import Method

    response = as_user(member).post(
        "/api/v1/methods",
        '{"title": "Spr\\u0000kcaf\\u00e9", "summary": "x"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Method.objects.exists()
