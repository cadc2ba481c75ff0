"""The temporary store for uploads waiting for a confirmation (core/temporary_uploads.py)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from hjulet.accounts.tests.factories import UserFactory
from hjulet.core import temporary_uploads as uploads
from hjulet.core.models import TemporaryUpload


@pytest.fixture
def person(db):
    return UserFactory(email="laddare@exempel.se")


def test_kept_for_its_owner_and_purpose_only(person):
    key = uploads.keep(user=person, purpose="a", content=b"bytes", meta={"x": 1})
    assert len(key) >= 40
    upload = uploads.take(user=person, purpose="a", key=key)
    assert bytes(upload.content) == b"bytes" and upload.meta == {"x": 1}
    with pytest.raises(uploads.UploadGone):
        uploads.take(user=UserFactory(email="annan@exempel.se"), purpose="a", key=key)
    with pytest.raises(uploads.UploadGone):
        uploads.take(user=person, purpose="b", key=key)
    with pytest.raises(uploads.UploadGone):
        uploads.take(user=None, purpose="a", key=key)
    uploads.discard(user=UserFactory(email="tredje@exempel.se"), key=key)
    assert TemporaryUpload.objects.filter(key=key).exists()  # only its owner discards it
    uploads.discard(user=person, key=key)
    assert not TemporaryUpload.objects.exists()


def test_expired_uploads_are_refused_and_removed(person):
    key = uploads.keep(user=person, purpose="a", content=b"x")
    TemporaryUpload.objects.update(expires_at=timezone.now())
    with pytest.raises(uploads.UploadGone) as refused:
        uploads.take(user=person, purpose="a", key=key)
    assert refused.value.code == "upload_expired"
    assert not TemporaryUpload.objects.exists()


def test_lifetime_is_an_hour(person):
    uploads.keep(user=person, purpose="a", content=b"x")
    upload = TemporaryUpload.objects.get()
    assert upload.expires_at - upload.created_at == datetime.timedelta(hours=1)


def test_cleanup_removes_expired_uploads_and_keeps_the_others(person):
    old = uploads.keep(user=person, purpose="a", content=b"old")
    TemporaryUpload.objects.filter(key=old).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    live = uploads.keep(user=person, purpose="b", content=b"live")  # keeping also cleans up
    assert list(TemporaryUpload.objects.values_list("key", flat=True)) == [live]
    TemporaryUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    out = io.StringIO()
    call_command("purge_temporary_uploads", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert not TemporaryUpload.objects.exists()


def test_each_person_keeps_a_few_per_purpose(person):
    keys = [uploads.keep(user=person, purpose="a", content=b"x") for _ in range(8)]
    kept = set(TemporaryUpload.objects.values_list("key", flat=True))
    assert kept == set(keys[-uploads.MAX_PER_PERSON :])
