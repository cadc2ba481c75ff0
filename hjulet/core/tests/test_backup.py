"""backup and restore round-trip every row and uploaded file; a bad archive changes nothing."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from hjulet.accounts.models import Organisation
from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.core import backups, search
from hjulet.core.models import AuditEntry
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.tests.factories import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = settings.MEDIA_ROOT / "avtal" / "iop-umea.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.4 overenskommelse")
    return document


@pytest.fixture
def content(member, media):
    return make_initiative(member, title="Fritidsbanken i Umeå", summary="Lånar ut utrustning.")


def backup(tmp_path) -> tuple:
    path = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    return path, out.getvalue()


def test_a_backup_restores_every_row_and_file(tmp_path, content, media, member):
    before = backups.row_counts()
    audit_before = list(AuditEntry.objects.order_by("pk").values_list("action", "target_id"))
    path, printed = backup(tmp_path)
    assert "files" in printed and path.exists()

    # What happens after the backup is undone by the restore.
    Initiative.objects.filter(pk=content.pk).delete()
    OrganisationFactory(name="Kommer inte tillbaka")
    media.unlink()

    call_command("restore", str(path), "--replace", stdout=io.StringIO())
    restored = Initiative.objects.get(pk=content.pk)
    assert (restored.title, restored.slug) == (content.title, content.slug)
    assert (
        restored.partnerships.get().organisation.name
        == content.partnerships.get().organisation.name
    )
    assert not Organisation.objects.filter(name="Kommer inte tillbaka").exists()
    assert backups.row_counts() == before
    assert (
        list(AuditEntry.objects.order_by("pk").values_list("action", "target_id")) == audit_before
    )
    assert media.read_bytes() == b"%PDF-1.4 overenskommelse"
    assert [hit.pk for hit in search.search("fritidsbanken", kinds=["initiative"])] == [content.pk]


def test_restore_refuses_a_database_with_content_unless_told_to_replace_it(tmp_path, content):
    path, _ = backup(tmp_path)
    with pytest.raises(CommandError, match=r"not empty.*Nothing was changed"):
        call_command("restore", str(path), stdout=io.StringIO())
    assert Initiative.objects.filter(pk=content.pk).exists()


def write_archive(path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def manifest(**changes) -> bytes:
    return json.dumps(
        {"format": "hjulet-backup", "version": 1, "rows": {}, "files": 0, **changes}
    ).encode()


def test_a_file_that_is_no_backup_changes_nothing(tmp_path, content):
    not_gzip = tmp_path / "trasig.tar.gz"
    not_gzip.write_bytes(b"inte en backup")
    other_archive = tmp_path / "annan.tar.gz"
    write_archive(other_archive, {"readme.txt": b"hej"})
    for path in (not_gzip, other_archive, tmp_path / "saknas.tar.gz"):
        with pytest.raises(backups.BackupError):
            backups.restore(path, replace=True)
    assert Initiative.objects.filter(pk=content.pk).exists()


def test_files_that_would_land_outside_the_media_folder_are_refused(tmp_path, content):
    path, _ = backup(tmp_path)
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(path, "r:gz") as source:
        members = {m.name: source.extractfile(m).read() for m in source.getmembers() if m.isfile()}
    write_archive(evil, {**members, "media/../../../etc/cron.d/x": b"boom"})
    with pytest.raises(backups.BackupError, match="outside the media folder"):
        backups.restore(evil, replace=True)
    assert Initiative.objects.filter(pk=content.pk).exists()


def test_a_restore_whose_counts_do_not_match_is_rolled_back(tmp_path, content):
    path, _ = backup(tmp_path)
    with tarfile.open(path, "r:gz") as source:
        members = {m.name: source.extractfile(m).read() for m in source.getmembers() if m.isfile()}
    counts = json.loads(members["manifest.json"])["rows"]
    counts["knowledge.initiative"] += 1
    wrong = tmp_path / "wrong.tar.gz"
    write_archive(wrong, {**members, "manifest.json": manifest(rows=counts)})
    OrganisationFactory(name="Finns kvar")
    with pytest.raises(backups.BackupError, match="Row counts differ"):
        backups.restore(wrong, replace=True)
    assert Organisation.objects.filter(name="Finns kvar").exists()
