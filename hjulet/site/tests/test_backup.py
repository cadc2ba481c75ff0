"""backup and restore round-trip every row and uploaded file; a bad archive changes nothing."""

import io
import json
import tarfile
import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from hjulet.accounts.models import Organisation
from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory
from hjulet.core import search
from hjulet.core.models import AuditEntry, Term, Vocabulary
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.tests.factories import make_initiative
from hjulet.site import backups

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


def backup(tmp_path, *options: str) -> tuple:
    """The portable kind unless told otherwise: on PostgreSQL, pg_dump would not see the rows
    of a test's transaction."""
    path = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", str(path), *(options or ["--portable"]), stdout=out)
    return path, out.getvalue()


def every_row() -> dict[str, list[tuple]]:
    """Every value of every backed-up table, in primary-key order."""
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values_list())
        for model in backups._common._backed_up_models()
    }


def change_everything(content) -> None:
    Initiative.objects.filter(pk=content.pk).update(title="Ändrad efter säkerhetskopian")
    content.challenges.clear()
    AuditEntry.objects.all().delete()
    OrganisationFactory(name="Kommer inte tillbaka")


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
    changed = json.loads(members["manifest.json"])
    changed["rows"]["knowledge.initiative"] += 1
    wrong = tmp_path / "wrong.tar.gz"
    write_archive(wrong, {**members, "manifest.json": json.dumps(changed).encode()})
    OrganisationFactory(name="Finns kvar")
    with pytest.raises(backups.BackupError, match="Row counts differ"):
        backups.restore(wrong, replace=True)
    assert Organisation.objects.filter(name="Finns kvar").exists()


def test_a_portable_backup_restores_every_value_and_new_rows_get_new_ids(tmp_path, content, member):
    content.challenges.add(*Term.objects.in_vocabulary(Vocabulary.CHALLENGE)[:2])
    before = every_row()
    path, printed = backup(tmp_path)
    assert "(portable)" in printed
    change_everything(content)
    backups.restore(path, replace=True)
    assert every_row() == before
    # Sequences follow the restored ids (PostgreSQL's do not by themselves).
    assert OrganisationFactory(name="Ny efter återställningen").pk > max(
        pk for pk, *_ in before["accounts.organisation"]
    )


def add_audit_entries(actor, count: int) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            actor_label=actor.name,
            action="initiative.update",
            target_type="knowledge.initiative",
            target_id=str(number),
            target_label=f"Initiativ nummer {number} med en lagom lång titel",
            changes={"title": [f"Gammal titel {number}", f"Ny titel {number}"]},
        )
        for number in range(count)
    )


def peak_memory(work) -> int:
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_portable_kind_backs_up_and_restores_in_bounded_memory(
    tmp_path, member, monkeypatch, settings
):
    """The peak does not grow with the rows: 5,000 audit entries take about as much memory
    as 500 (the work is done a chunk at a time; the chunk is made small here). Uploads of
    earlier tests stay out of it (a media folder of its own)."""
    monkeypatch.setattr(backups.portable, "CHUNK", 100)  # where it is read
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Statements kept by a query log (DEBUG, or a query count left running) are not the
    # backup's memory, and they grow with the rows.
    settings.DEBUG = False
    connections["default"].force_debug_cursor = False  # its normal state
    connections["default"].queries_log.clear()
    peaks = {}
    for count in (500, 5000):
        AuditEntry.objects.all().delete()
        add_audit_entries(member, count)
        path = tmp_path / f"{count}.tar.gz"
        backups.create(path, portable=True)  # warm: imports, translations
        made = peak_memory(lambda path=path: backups.create(path, portable=True))
        restored = peak_memory(lambda path=path: backups.restore(path, replace=True))
        assert AuditEntry.objects.count() == count
        peaks[count] = (made, restored)
    (made_few, restored_few), (made_many, restored_many) = peaks[500], peaks[5000]
    assert made_many < made_few * 1.5 + 200_000, peaks
    assert restored_many < restored_few * 1.5 + 200_000, peaks


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is for PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_pg_dump_and_pg_restore_round_trip_everything(
    tmp_path, reference_data, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    person = UserFactory(email="backup@exempel.se", name="Bo Backup")
    organisation = OrganisationFactory(name="Säkerhetsföreningen")
    from hjulet.accounts.models import Membership

    Membership.objects.create(user=person, organisation=organisation)
    content = make_initiative(person, lead=organisation, title="Fritidsbanken i Kiruna")
    content.challenges.add(*Term.objects.in_vocabulary(Vocabulary.CHALLENGE)[:2])
    before = every_row()

    path, printed = backup(tmp_path, "--pg-dump")
    assert "(pg_dump)" in printed
    with tarfile.open(path) as archive:
        assert {"manifest.json", "database.dump"} <= set(archive.getnames())
        assert json.load(archive.extractfile("manifest.json"))["kind"] == "pg_dump"

    change_everything(content)
    call_command("restore", str(path), "--replace", stdout=io.StringIO())
    assert every_row() == before
    assert [hit.pk for hit in search.search("kiruna", kinds=["initiative"])] == [content.pk]
    assert OrganisationFactory(name="Ny efter återställningen").pk > organisation.pk


def test_a_pg_dump_backup_is_refused_by_sqlite(tmp_path, content):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("backup", str(tmp_path / "x.tar"), "--pg-dump", stdout=io.StringIO())
