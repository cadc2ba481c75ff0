"""Backups of the whole database and the uploaded files, in one .tar.gz that restores on
either database (SQLite or PostgreSQL): the rows as Django's JSON fixtures with natural
keys, the files under ``media/`` and a manifest with the number of rows per model, checked
after a restore."""

import io
import json
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT = "hjulet-backup"
FORMAT_VERSION = 1
#: Rebuilt by Django or by us rather than copied: content types and permissions are
#: created by migrate, sessions and uploads waiting for a preview's confirmation
#: (core.temporaryupload, gone within the hour) are throw-away, the search index is rebuilt
#: from the rows.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "core.temporaryupload",
]


class BackupError(Exception):
    """A backup that cannot be restored here; nothing was changed."""


def _backed_up_models() -> list:
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
        and model._meta.managed
        and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count() for model in _backed_up_models()
    }


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create(destination: Path) -> dict:
    """Write a backup of everything to ``destination`` and return its manifest. The rows
    are read in one transaction, so they are consistent with each other."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data.json"
        with transaction.atomic():
            counts = row_counts()
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                output=str(data),
                verbosity=0,
            )
        files = _media_files()
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": timezone.now().isoformat(),
            "database": connection.vendor,
            "rows": counts,
            "files": len(files),
        }
        with tarfile.open(destination, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(data, arcname="data.json")
            root = Path(settings.MEDIA_ROOT)
            for path in files:
                archive.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError, AttributeError) as error:
        raise BackupError("This is not a Hjulet backup (no readable manifest.json).") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"Unknown backup format: {manifest.get('format')} {manifest.get('version')}."
        )
    return manifest


def _safe_media_path(name: str) -> Path:
    """Where a file of the archive goes under MEDIA_ROOT; names that would leave it (absolute,
    ``..``) are refused."""
    relative = PurePosixPath(name).relative_to("media")
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"Refused a file outside the media folder: {name}")
    return Path(settings.MEDIA_ROOT).joinpath(*relative.parts)


def database_is_empty() -> bool:
    """True when no person, organisation or content exists (reference data may)."""
    from hjulet.accounts.models import Organisation, User

    return not User.objects.exists() and not Organisation.objects.exists()


def _open(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read {source}: {error}") from error


def restore(source: Path, *, replace: bool = False) -> dict:
    """Replace the database's rows and the uploaded files with those of a backup, then
    rebuild the search index and check every model's row count against the manifest. All
    rows are restored in one transaction: a failure leaves the database as it was."""
    with _open(source) as archive, tempfile.TemporaryDirectory() as folder:
        manifest = _read_manifest(archive)
        if not replace and not database_is_empty():
            raise BackupError("The database is not empty: use --replace to overwrite it.")
        media = [
            (member, _safe_media_path(member.name))
            for member in archive.getmembers()
            if member.name.startswith("media/") and member.isfile()
        ]
        data = Path(folder) / "data.json"
        data.write_bytes(archive.extractfile("data.json").read())
        with transaction.atomic():
            _delete_all_rows()
            call_command("loaddata", str(data), verbosity=0)
            call_command("rebuild_search_index", verbosity=0, stdout=io.StringIO())
            _check_counts(manifest["rows"])
        for member, path in media:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.extractfile(member).read())
    return manifest


def _check_counts(expected: dict[str, int]) -> None:
    restored = row_counts()
    different = {
        label: (count, restored.get(label, 0))
        for label, count in expected.items()
        if restored.get(label, 0) != count
    }
    if different:
        raise BackupError(f"Row counts differ after the restore (backup, now): {different}")


def _delete_all_rows() -> None:
    """Empty every backed-up table inside the caller's transaction. Django's foreign keys
    are checked at commit on both databases, so the order does not matter."""
    models = _backed_up_models()
    tables = [model._meta.db_table for model in models]
    tables += [
        field.remote_field.through._meta.db_table
        for model in models
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    with connection.cursor() as cursor:
        for table in sorted(set(tables)):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


__all__ = ["BackupError", "create", "restore", "row_counts"]
