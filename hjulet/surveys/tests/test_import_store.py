"""The XLSForm waiting between preview and import is kept in the temporary store
(core/temporary_uploads.py), not in the session: the session row stays small, the key works only for
the person who uploaded the form, and an expired preview says so."""

import datetime
import re
import secrets

from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hjulet.accounts.models import MembershipRole
from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.core.models import TemporaryUpload
from hjulet.surveys.demo import xlsform_bytes
from hjulet.surveys.models import Survey

IMPORT, COMMIT = "/enkater/import/", "/enkater/import/importera/"
NOT_FOUND = re.compile("was not found|hittades inte")


def preview(client, organisation, data: bytes | None = None) -> str:
    """Upload the demo form; the key the preview's import button carries."""
    upload = SimpleUploadedFile("norr.xlsx", data or xlsform_bytes())
    response = client.post(IMPORT, {"organisation": organisation.pk, "file": upload, "title": ""})
    assert response.status_code == 200 and "nya_losningar" in response.text
    return re.search(r'name="upload" value="([^"]+)"', response.text).group(1)


def session_size(client) -> int:
    return len(Session.objects.get(session_key=client.session.session_key).session_data)


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_session_row_stays_small_after_an_upload(as_user, org_admin, organisation):
    client = as_user(org_admin)
    client.get(IMPORT)
    before = session_size(client)
    preview(client, organisation)
    assert len(xlsform_bytes()) > 8000
    assert session_size(client) < 2048
    assert session_size(client) <= before + 100


def test_preview_then_import(as_user, org_admin, organisation):
    client = as_user(org_admin)
    data = xlsform_bytes()
    key = preview(client, organisation, data)
    upload = TemporaryUpload.objects.get(key=key)
    assert upload.user == org_admin and bytes(upload.content) == data
    response = client.post(COMMIT, {"upload": key})
    assert response.status_code == 302
    assert Survey.objects.get().questions.count() == 12
    assert not TemporaryUpload.objects.exists()  # used up
    again = client.post(COMMIT, {"upload": key}, follow=True)
    assert Survey.objects.count() == 1
    assert NOT_FOUND.search(again.text)


def test_someone_elses_key_opens_nothing(as_user, org_admin, organisation):
    key = preview(as_user(org_admin), organisation)
    other = UserFactory(email="annan-admin@exempel.se")
    MembershipFactory(
        user=other, organisation=OrganisationFactory(name="Annan"), role=MembershipRole.ADMIN
    )
    response = as_user(other).post(COMMIT, {"upload": key})
    assert response.status_code == 302 and response.headers["Location"] == IMPORT
    assert "another account" in messages_of(response) or "annat konto" in messages_of(response)
    assert not Survey.objects.exists()
    # The owner can still import it.
    assert as_user(org_admin).post(COMMIT, {"upload": key}).status_code == 302
    assert Survey.objects.get().organisation == organisation


def test_an_expired_preview_says_so(as_user, org_admin, organisation):
    client = as_user(org_admin)
    key = preview(client, organisation)
    TemporaryUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(COMMIT, {"upload": key})
    assert response.status_code == 302
    assert "gått ut" in messages_of(response) or "expired" in messages_of(response)
    assert not Survey.objects.exists() and not TemporaryUpload.objects.exists()


def test_a_missing_or_made_up_key_says_so(as_user, org_admin):
    client = as_user(org_admin)
    for data in ({}, {"upload": "påhittad"}, {"upload": "x" * 5000}):
        response = client.post(COMMIT, data, follow=True)
        assert response.status_code == 200
        assert NOT_FOUND.search(response.text)
    assert not Survey.objects.exists()


def test_a_file_kept_in_the_session_by_an_older_version_is_dropped(as_user, org_admin):
    client = as_user(org_admin)
    session = client.session
    session["surveys_xlsform_upload"] = {"data": secrets.token_urlsafe(75_000)}
    session.save()
    assert session_size(client) > 100_000
    client.get(IMPORT)
    assert session_size(client) < 2048
