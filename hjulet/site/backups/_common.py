"""What the two kinds of backup share: the format, the manifest, the error and the models
backed up."""

import io
import tarfile
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection, models
from django.utils import timezone

FORMAT = "hjulet-backup"
FORMAT_VERSION = 2
PORTABLE = "portable"
PG_DUMP = "pg_dump"

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

#: Rows read from the database, or inserted into it, per round.
CHUNK = 2000


class BackupError(Exception):
    """A backup that cannot be made or restored here; nothing was changed."""


def _backed_up_models() -> list[type[models.Model]]:
    """Every table with rows of our own, the many-to-many tables included."""
    excluded_apps = {label for label in EXCLUDED if "." not in label}
    excluded_models = {label for label in EXCLUDED if "." in label}
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in excluded_models
        and model._meta.managed
        and not model._meta.proxy
    ]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._default_manager.count() for model in _backed_up_models()
    }


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
    tables = {model._meta.db_table for model in _backed_up_models()}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _manifest(kind: str, counts: dict[str, int], files: int) -> dict:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "kind": kind,
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "rows": counts,
        "files": files,
    }


def _media_files() -> Iterator[str]:
    """The name of every stored upload, through the storage API (a local folder or an
    S3-compatible bucket alike)."""

    def walk(folder: str) -> Iterator[str]:
        try:
            directories, files = default_storage.listdir(folder)
        except FileNotFoundError:  # a local MEDIA_ROOT that was never made
            return
        prefix = f"{folder}/" if folder else ""
        for name in sorted(files):
            yield prefix + name
        for directory in sorted(directories):
            yield from walk(prefix + directory)

    yield from walk("")
