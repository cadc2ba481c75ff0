"""Every upload goes through Django's storage API: with an in-memory storage as the default
(standing in for an S3-compatible bucket), agreements' PDFs, pictures, background exports and
backups write nothing into MEDIA_ROOT, and what they keep is read back from the storage.

The S3 storage itself (``STORAGE_BACKEND=s3``, django-storages) is not exercised here: no S3
server is available to the tests; its settings are checked below."""

import datetime
import io
import os
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from hjulet.arenas import services as arena_services
from hjulet.arenas.models import AgreementKind, AgreementStatus
from hjulet.arenas.tests.factories import make_arena
from hjulet.core import export_jobs, pictures
from hjulet.core.models import ExportFile
from hjulet.knowledge.tests.factories import make_initiative
from hjulet.lib.tests.pdfs import pdf
from hjulet.site import backups

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory_storage(settings, tmp_path):
    """An in-memory default storage, and a MEDIA_ROOT that must stay empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield default_storage
    assert list(settings.MEDIA_ROOT.rglob("*")) == [], "a file was written around the storage"


def stored_names(storage, folder: str = "") -> list[str]:
    directories, files = storage.listdir(folder)
    prefix = f"{folder}/" if folder else ""
    names = [prefix + name for name in files]
    for directory in directories:
        names += stored_names(storage, prefix + directory)
    return sorted(names)


def photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (30, 140, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile("bild.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_an_agreement_pdf_is_kept_and_served_through_the_storage(memory_storage, client):
    arena = make_arena()
    agreement = arena_services.agreement_create(
        actor=arena.lead_admin,
        arena=arena,
        parties=[arena.lead, arena.partner],
        title="IOP om fritid",
        kind=AgreementKind.IOP,
        purpose="Fritid för unga.",
        starts_on=datetime.date(2026, 1, 1),
        status=AgreementStatus.ACTIVE,
        document=SimpleUploadedFile("avtal.pdf", pdf(2)),
    )
    assert isinstance(memory_storage._wrapped, InMemoryStorage)
    assert stored_names(memory_storage) == [agreement.document.name]
    response = client.get(reverse("arenas:agreement-document", args=[arena.slug, agreement.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf(2)


def test_pictures_are_kept_and_removed_through_the_storage(memory_storage, member, after_commit):
    initiative = make_initiative(member)
    picture = pictures.picture_add(
        actor=member, target=initiative, upload=photo(), alt_text="Ett grönt fält"
    )
    names = sorted(rendition["name"] for rendition in picture.renditions)
    assert stored_names(memory_storage) == names
    with memory_storage.open(names[0]) as stored:
        assert Image.open(io.BytesIO(stored.read())).format == "WEBP"
    with after_commit():  # the files go once the removal is committed
        pictures.picture_remove(actor=member, picture=picture)
    assert stored_names(memory_storage) == []


def test_a_background_export_is_saved_and_downloaded_through_the_storage(
    memory_storage, member, as_user, after_commit
):
    make_initiative(member, title="Läxhjälp")
    with after_commit():
        export = export_jobs.start_export(
            actor=member, kind="initiatives", fmt="csv", query="", total=1
        )
    export.refresh_from_db()
    assert export.status == ExportFile.Status.READY
    assert stored_names(memory_storage) == [export.file.name]
    download = as_user(member).get(reverse("core:export-download", args=[export.pk]))
    assert download.status_code == 200
    assert "Läxhjälp" in b"".join(download.streaming_content).decode("utf-8-sig")


def test_a_backup_carries_the_stored_files_and_puts_them_back(memory_storage, member, tmp_path):
    memory_storage.save("arenas/agreements/avtal.pdf", io.BytesIO(b"%PDF-1.4 avtal"))
    memory_storage.save("pictures/ab/cd.webp", io.BytesIO(b"RIFF bild"))
    archive = tmp_path / "backup.tar.gz"
    manifest = backups.create(archive, portable=True)
    assert manifest["files"] == 2
    with tarfile.open(archive) as opened:
        assert {"media/arenas/agreements/avtal.pdf", "media/pictures/ab/cd.webp"} <= set(
            opened.getnames()
        )
    memory_storage.delete("pictures/ab/cd.webp")
    with memory_storage.open("arenas/agreements/avtal.pdf", "wb") as changed:
        changed.write(b"changed")
    backups.restore(archive, replace=True)
    assert stored_names(memory_storage) == ["arenas/agreements/avtal.pdf", "pictures/ab/cd.webp"]
    with memory_storage.open("arenas/agreements/avtal.pdf") as restored:
        assert restored.read() == b"%PDF-1.4 avtal"


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    code = (
        "from django.conf import settings as s; "
        "print(s.STORAGES['default']['BACKEND'], s.AWS_STORAGE_BUCKET_NAME, "
        "s.AWS_S3_ENDPOINT_URL, s.AWS_S3_FILE_OVERWRITE, s.AWS_DEFAULT_ACL)"
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=django_settings.BASE_DIR,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": "sqlite:///:memory:",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_storage_backend_s3_configures_django_storages_from_the_environment():
    result = _settings_with(
        {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "hjulet-uppladdningar",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.se",
        }
    )
    assert result.stdout.split() == [
        "hjulet.core.s3_storage.PrivateS3Storage",
        "hjulet-uppladdningar",
        "https://s3.example.se",
        "False",
        "None",
    ], result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_BACKEND": "s3"}, "needs AWS_STORAGE_BUCKET_NAME"),
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be local or s3"),
    ],
)
def test_a_wrong_storage_setting_stops_the_start(env, message):
    result = _settings_with(env)
    assert result.returncode != 0
    assert message in result.stderr
