import pytest
from django.test import Client
from django.urls import reverse

from hjulet.accounts import services
from hjulet.accounts.models import ApiToken, Organisation
from hjulet.accounts.tests.api import bearer, send
from hjulet.lib.orgnr import with_check_digit

pytestmark = pytest.mark.django_db


NEW = {
    "name": "Kooperativ lanthandel i Morjärv",
    "sector": "ideburen",
    "municipality": "2514",
    "org_number": with_check_digit("769600004"),
}


def test_register_organisation_with_a_token(client, outsider):
    response = send(client, "post", "/api/v1/organisations", NEW, **bearer(outsider))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["municipality"] == {"code": "2514", "name": "Kalix", "county_code": "25"}
    assert body["sector"]["code"] == "ideburen"
    assert services.is_org_admin(outsider, Organisation.objects.get(pk=body["id"]))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"org_number": "769600-0005"}, "org_number"),
        ({"org_number": "12"}, "org_number"),
        ({"sector": "kungliga"}, "sector"),
        ({"municipality": "9999"}, "municipality"),
        ({"website": "inte en adress"}, "website"),
    ],
)
def test_bad_input_is_400_with_field_errors_and_nothing_saved(client, outsider, change, field):
    response = send(client, "post", "/api/v1/organisations", {**NEW, **change}, **bearer(outsider))
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"]
    assert body["detail"]
    assert not Organisation.objects.filter(name=NEW["name"]).exists()


def test_duplicate_number_is_400(client, outsider, organisation):
    response = send(
        client,
        "post",
        "/api/v1/organisations",
        {**NEW, "org_number": organisation.org_number},
        **bearer(outsider),
    )
    assert response.status_code == 400
    assert organisation.name in response.json()["errors"]["org_number"][0]


def test_missing_fields_are_422(client, outsider):
    response = send(
        client, "post", "/api/v1/organisations", {"sector": "ideburen"}, **bearer(outsider)
    )
    assert response.status_code == 422
    assert response.json()["detail"]


def test_anonymous_write_is_401(client):
    assert send(client, "post", "/api/v1/organisations", NEW).status_code == 401


def test_patch_rules(client, organisation, org_admin, member):
    url = f"/api/v1/organisations/{organisation.pk}"
    assert send(client, "patch", url, {"name": "X"}, **bearer(member)).status_code == 403
    ok = send(
        client,
        "patch",
        url,
        {"description": "Ny", "version": organisation.version},
        **bearer(org_admin),
    )
    assert ok.status_code == 200 and ok.json()["description"] == "Ny"
    stale = send(
        client,
        "patch",
        url,
        {"description": "Gammal", "version": organisation.version},
        **bearer(org_admin),
    )
    assert stale.status_code == 409
    assert (
        send(
            client, "patch", "/api/v1/organisations/999999", {"name": "X"}, **bearer(org_admin)
        ).status_code
        == 404
    )


def test_members_are_visible_to_members_only(client, organisation, member, org_admin, outsider):
    url = f"/api/v1/organisations/{organisation.pk}/members"
    assert client.get(url).status_code == 401
    assert client.get(url, **bearer(outsider)).status_code == 403
    # members see each other's names; addresses only the administrators, as on the page
    members = client.get(url, **bearer(member)).json()
    assert {m["name"] for m in members} == {member.name, org_admin.name}
    assert {m["email"] for m in members} == {None}
    members = client.get(url, **bearer(org_admin)).json()
    assert {m["email"] for m in members} == {member.email, "orgadmin@exempel.se"}


def test_list_is_paginated_and_filtered(client, organisation):
    body = client.get("/api/v1/organisations", {"county": "24"}).json()
    assert body["count"] == 1 and body["items"][0]["name"] == organisation.name
    assert client.get("/api/v1/organisations", {"county": "01"}).json()["count"] == 0
    assert client.get("/api/v1/organisations", {"limit": 1, "offset": 0}).status_code == 200


def test_session_writes_need_csrf(outsider):
    client = Client(enforce_csrf_checks=True)
    client.force_login(outsider)
    refused = send(client, "post", "/api/v1/organisations", NEW)
    assert refused.status_code == 403
    assert not Organisation.objects.exists()
    client.get(reverse("site:home"))
    token = client.cookies["csrftoken"].value
    accepted = send(client, "post", "/api/v1/organisations", NEW, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_me_and_export(client, member, organisation):
    headers = bearer(member)
    me = client.get("/api/v1/me", **headers).json()
    assert me["email"] == member.email
    assert me["memberships"][0]["organisation"] == organisation.name
    export = client.get("/api/v1/me/export", **headers).json()
    assert export["account"]["email"] == member.email


def test_revoked_token_stops_working(client, as_user, member):
    headers = bearer(member)
    token = ApiToken.objects.get(user=member)
    assert client.get("/api/v1/me", **headers).status_code == 200
    web = as_user(member)
    assert web.post(reverse("accounts:api-token-revoke", args=[token.pk])).status_code == 302
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_token_page_shows_the_secret_once(as_user, member):
    web = as_user(member)
    response = web.post(
        reverse("accounts:api-token-create"), {"name": "Rapporter", "scope": "read", "days": "90"}
    )
    secret = response.context["secret"]
    assert secret.startswith("hjl_") and secret in response.content.decode()
    assert secret not in web.get(reverse("accounts:profile")).content.decode()
    token = ApiToken.objects.get(user=member)
    assert token.key_hash != secret and secret not in token.key_hash


def test_someone_elses_token_cannot_be_revoked(as_user, member, outsider):
    services.api_token_create(actor=member, name="Mitt")
    token = ApiToken.objects.get(user=member)
    response = as_user(outsider).post(reverse("accounts:api-token-revoke", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
