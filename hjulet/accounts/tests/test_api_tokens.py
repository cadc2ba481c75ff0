"""API tokens expire, have a scope, record when they were last used and are revoked with the
password and the account (issue #15, point 11)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation

from hjulet.accounts import services
from hjulet.accounts.models import ApiToken, ApiTokenScope, Organisation
from hjulet.accounts.tests.api import send
from hjulet.accounts.tests.factories import PASSWORD
from hjulet.core.models import AuditEntry
from hjulet.core.tests.test_permission_matrix import row_counts
from hjulet.lib.orgnr import with_check_digit
from hjulet.support import services as support
from hjulet.support.tests.factories import make_call

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "nytt-bra-losenord-77"
NEW_ORGANISATION = {
    "name": "Kooperativ lanthandel i Morjärv",
    "sector": "ideburen",
    "municipality": "2514",
    "org_number": with_check_digit("769600004"),
}


def token_for(user, **options) -> tuple[ApiToken, dict[str, str]]:
    token, secret = services.api_token_create(actor=user, name="Skript", **options)
    return token, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


# --- expiry -----------------------------------------------------------------------------


def test_a_token_expires_after_90_days_by_default(member):
    before = timezone.now()
    token, _headers = token_for(member)
    assert token.scope == ApiTokenScope.READ_WRITE
    lifetime = token.expires_at - before
    assert datetime.timedelta(days=90) <= lifetime < datetime.timedelta(days=90, seconds=5)


@pytest.mark.parametrize("days", [30, 90, 365])
def test_each_lifetime_can_be_chosen(member, days):
    token, _headers = token_for(member, days=days)
    assert token.expires_at - token.created_at == datetime.timedelta(days=days)


@pytest.mark.parametrize("days", [0, -1, 366, 3650, 100_000])
def test_no_lifetime_beyond_the_choices_and_no_never(member, days):
    with pytest.raises(ValidationError) as error:
        token_for(member, days=days)
    assert "expires_at" in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_an_unknown_scope_is_refused(member):
    with pytest.raises(ValidationError) as error:
        token_for(member, scope="admin")
    assert "scope" in error.value.message_dict
    assert not ApiToken.objects.exists()


def test_the_database_refuses_a_token_without_a_valid_expiry_or_scope(member):
    token, _headers = token_for(member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(scope="admin")


def test_an_expired_token_is_refused_with_401(client, member):
    token, headers = token_for(member)
    assert client.get("/api/v1/me", **headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = client.get("/api/v1/me", **headers)
    assert response.status_code == 401
    assert "har gått ut" in response.json()["detail"]
    counts = row_counts()
    refused = send(client, "post", "/api/v1/organisations", NEW_ORGANISATION, **headers)
    assert refused.status_code == 401 and refused.json()["detail"]
    assert row_counts() == counts


def test_a_token_works_until_it_expires(client, member):
    token, headers = token_for(member, days=30)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert client.get("/api/v1/me", **headers).status_code == 200


# --- scope ------------------------------------------------------------------------------


def write_requests(org_admin, organisation, member):
    """One real write per method, each of which a read-and-write token may make."""
    call = make_call(org_admin, organisation)
    support.call_follow(actor=member, call=call)
    return [
        ("post", "/api/v1/organisations", NEW_ORGANISATION),
        (
            "patch",
            f"/api/v1/organisations/{organisation.pk}",
            {"name": "Kapad förening", "version": organisation.version},
        ),
        (
            "put",
            "/api/v1/researchers/me",
            {"expertise": "Kapad", "university": "Umeå universitet"},
        ),
        ("delete", f"/api/v1/funding-calls/{call.slug}/follow", None),
    ]


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
def test_a_read_token_is_refused_on_every_write_method(
    client, org_admin, organisation, member, method
):
    requests = {
        m: (url, payload) for m, url, payload in write_requests(org_admin, organisation, member)
    }
    url, payload = requests[method]
    _token, headers = token_for(org_admin, scope=ApiTokenScope.READ)
    counts = row_counts()
    audit = AuditEntry.objects.count()
    response = send(client, method, url, payload, **headers)
    assert response.status_code == 403, response.content
    assert "bara läsa" in response.json()["detail"]
    assert row_counts() == counts and AuditEntry.objects.count() == audit
    organisation.refresh_from_db()
    assert organisation.name != "Kapad förening" and organisation.version == 1


def test_a_read_token_reads(client, member):
    _token, headers = token_for(member, scope=ApiTokenScope.READ)
    response = client.get("/api/v1/me", **headers)
    assert response.status_code == 200 and response.json()["email"] == member.email


def test_a_read_write_token_writes(client, org_admin, organisation):
    _token, headers = token_for(org_admin, scope=ApiTokenScope.READ_WRITE)
    created = send(client, "post", "/api/v1/organisations", NEW_ORGANISATION, **headers)
    assert created.status_code == 201, created.content
    patch = {"name": "Nytt namn", "version": organisation.version}
    updated = send(client, "patch", f"/api/v1/organisations/{organisation.pk}", patch, **headers)
    assert updated.status_code == 200, updated.content
    assert Organisation.objects.get(pk=organisation.pk).name == "Nytt namn"


# --- last used ----------------------------------------------------------------------------


def test_last_used_is_recorded_at_most_once_a_minute(client, member):
    token, headers = token_for(member)
    assert token.last_used_at is None
    client.get("/api/v1/me", **headers)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < datetime.timedelta(seconds=10)
    client.get("/api/v1/me", **headers)
    token.refresh_from_db()
    assert token.last_used_at == first, "a second request within the minute writes nothing"
    earlier = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
    client.get("/api/v1/me", **headers)
    token.refresh_from_db()
    assert token.last_used_at > earlier + datetime.timedelta(minutes=1)


def test_the_profile_lists_access_expiry_and_last_use(as_user, client, member):
    read, headers = token_for(member, scope=ApiTokenScope.READ, days=30)
    unused, _headers = token_for(member, days=365)
    client.get("/api/v1/me", **headers)
    read.refresh_from_db()
    page = as_user(member).get(reverse("accounts:profile")).content.decode()
    local = timezone.localtime
    assert local(read.last_used_at).strftime("%Y-%m-%d %H:%M") in page
    assert local(read.expires_at).strftime("%Y-%m-%d") in page
    assert local(unused.expires_at).strftime("%Y-%m-%d") in page
    assert "Bara läsa" in page and "Läsa och skriva" in page
    assert "Aldrig" in page
    ApiToken.objects.filter(pk=read.pk).update(expires_at=timezone.now())
    page = as_user(member).get(reverse("accounts:profile")).content.decode()
    assert "Gick ut" in page


def test_the_profile_page_creates_a_token_with_the_chosen_scope_and_lifetime(as_user, member):
    web = as_user(member)
    form = web.get(reverse("accounts:profile")).content.decode()
    assert 'value="read" checked' in form or re.search(r'value="read"[^>]*checked', form)
    response = web.post(
        reverse("accounts:api-token-create"), {"name": "Rapporter", "scope": "read", "days": "30"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=member)
    assert token.scope == ApiTokenScope.READ
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)
    with translation.override("sv"):
        until = formats.date_format(timezone.localtime(token.expires_at), "DATE_FORMAT")
    assert f"fungerar till {until}" in response.content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "Rapporter", "scope": "read", "days": "3650"},
        {"name": "Rapporter", "scope": "read", "days": "never"},
        {"name": "Rapporter", "scope": "admin", "days": "90"},
        {"name": "Rapporter", "scope": "read"},
    ],
)
def test_the_page_refuses_a_lifetime_or_scope_outside_the_choices(as_user, member, fields):
    response = as_user(member).post(reverse("accounts:api-token-create"), fields, follow=True)
    assert response.status_code == 200
    assert "hur länge den ska fungera" in response.content.decode()
    assert not ApiToken.objects.exists()


# --- revoked with the password and the account -------------------------------------------


def test_a_password_reset_revokes_every_token(client, member, mailoutbox):
    _token, headers = token_for(member)
    token_for(member, scope=ApiTokenScope.READ)
    other, _other = token_for(
        services.user_register(email="annan@exempel.se", password=PASSWORD, name="Anna Annan")
    )
    client.post(reverse("accounts:password-reset"), {"email": member.email})
    path = re.search(r"https?://\S+", mailoutbox[-1].body).group(0).split("testserver", 1)[1]
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "2 API-nycklar har återkallats" in done.content.decode()
    assert not ApiToken.objects.filter(user=member).exists()
    assert ApiToken.objects.filter(pk=other.pk).exists(), "only the account's own tokens"
    assert client.get("/api/v1/me", **headers).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke_all", target_id=str(member.pk))


def test_a_password_change_revokes_every_token(as_user, client, member):
    _token, headers = token_for(member)
    web = as_user(member)
    changed = web.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "API-nyckel har återkallats" in changed.content.decode()
    assert not ApiToken.objects.filter(user=member).exists()
    assert client.get("/api/v1/me", **headers).status_code == 401


def test_a_refused_password_change_keeps_the_tokens(as_user, member):
    token, _headers = token_for(member)
    web = as_user(member)
    web.post(
        reverse("accounts:password-change"),
        {"old_password": "fel", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_no_message_about_tokens_when_there_were_none(as_user, member):
    changed = as_user(member).post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "återkallats" not in changed.content.decode()


def test_erasing_the_account_deletes_its_tokens(client, outsider):
    token, headers = token_for(outsider)
    services.user_delete(actor=outsider, user=outsider)
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/api/v1/me", **headers).status_code == 401


# --- export and documentation --------------------------------------------------------------


def test_the_data_export_has_scope_and_expiry(member):
    token, _headers = token_for(member, scope=ApiTokenScope.READ, days=30)
    exported = services.user_export_data(actor=member, user=member)["api_tokens"][0]
    assert exported["scope"] == "read"
    assert exported["expires_at"] == token.expires_at.isoformat()


def test_the_openapi_security_scheme_explains_expiry_and_scope(client):
    schemes = client.get("/api/openapi.json").json()["components"]["securitySchemes"]
    (scheme,) = schemes.values()
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    for words in ("365", "read_write", "401", "403", "återkallas"):
        assert words in scheme["description"]
