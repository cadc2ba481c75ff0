"""Backups of the whole database and the uploaded files in one archive, in one of two kinds:

- ``pg_dump`` (the default on PostgreSQL): the database in ``pg_dump``'s custom format, taken
  in the same snapshot as the manifest's row counts, restored with ``pg_restore`` in one
  transaction. Fast (the engine's own tools) and complete, but for PostgreSQL only.
- ``portable`` (the default on SQLite, and ``--portable`` on PostgreSQL): every row as JSON
  lines, one file per table, restored into either database (so it also moves a site from one
  to the other). Written and read a chunk of rows at a time, so memory does not grow with
  the data; restored with bulk inserts in one transaction, then the search index is rebuilt.

Both carry the uploaded files under ``media/`` (read and written through Django's storage
API: a local folder and an S3-compatible bucket alike) and a manifest with the number of rows
per model, checked after a restore. Connection settings reach ``pg_dump``/``pg_restore`` through the
environment (``PGPASSWORD`` …), never the command line, where other users could read them.
"""

import contextlib
import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction

from ._common import (
    FORMAT,
    FORMAT_VERSION,
    PG_DUMP,
    PORTABLE,
    BackupError,
    _add_bytes,
    _check_counts,
    _delete_all_rows,
    _manifest,
    _media_files,
    row_counts,
)
from .pg import _pg_dump, _pg_restore
from .portable import _restore_portable, _write_portable


def create(destination: Path, *, portable: bool | None = None) -> dict:
    """Write a backup of everything to ``destination`` and return its manifest. The rows
    are read in one snapshot, so they are consistent with each other. ``portable``: the
    portable kind even on PostgreSQL (default: ``pg_dump`` there)."""
    if portable is None:
        portable = connection.vendor != "postgresql"
    if not portable and connection.vendor != "postgresql":
        raise BackupError("pg_dump backups are for PostgreSQL; this database is SQLite.")
    with tempfile.TemporaryDirectory() as folder:
        if portable:
            # gzip: JSON text shrinks to about a fifth.
            with tarfile.open(destination, "w:gz") as archive:
                manifest = _write_portable(archive, Path(folder))
                _add_media(archive)
        else:
            dump = Path(folder) / "database.dump"
            counts = _pg_dump(dump)
            files = list(_media_files())
            manifest = _manifest(PG_DUMP, counts, len(files))
            # No gzip around it: pg_dump's custom format is compressed already.
            with tarfile.open(destination, "w") as archive:
                _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
                archive.add(dump, arcname="database.dump")
                _add_media(archive)
    return manifest


def _add_media(archive: tarfile.TarFile) -> None:
    for name in _media_files():
        info = tarfile.TarInfo(f"media/{name}")
        info.size = default_storage.size(name)
        with contextlib.suppress(NotImplementedError, OSError):
            info.mtime = int(default_storage.get_modified_time(name).timestamp())
        with default_storage.open(name, "rb") as stored:
            archive.addfile(info, stored)


# --- the portable kind ------------------------------------------------------------------


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError, AttributeError, tarfile.TarError) as error:
        raise BackupError("This is not a Hjulet backup (no readable manifest.json).") from error
    if manifest.get("format") != FORMAT or manifest.get("version") not in (1, FORMAT_VERSION):
        raise BackupError(
            f"Unknown backup format: {manifest.get('format')} {manifest.get('version')}."
        )
    return manifest


def _safe_media_name(name: str) -> str:
    """The storage name of a file of the archive (under ``media/``); names that would leave
    the media folder (absolute, ``..``) are refused."""
    relative = PurePosixPath(name).relative_to("media")
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"Refused a file outside the media folder: {name}")
    return relative.as_posix()


def _restore_media_file(name: str, content: IO[bytes]) -> None:
    """Put a file back under its own name through the storage API, replacing one there."""
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, File(content, name=name))
    if saved != name:
        raise BackupError(f"The storage kept {name} as {saved}.")


def database_is_empty() -> bool:
    """True when no person, organisation or content exists (reference data may)."""
    from hjulet.accounts.models import Organisation, User

    return not User.objects.exists() and not Organisation.objects.exists()


def _open(source: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(source, "r:*")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Cannot read {source}: {error}") from error


def restore(source: Path, *, replace: bool = False) -> dict:
    """Replace the database's rows and the uploaded files with those of a backup and check
    every model's row count against the manifest. The rows are restored in one transaction:
    a failure leaves the database as it was. The archive is read from start to end once
    after its table of contents, so a large one is not decompressed again for each table."""
    with _open(source) as archive, tempfile.TemporaryDirectory() as folder:
        manifest = _read_manifest(archive)
        if not replace and not database_is_empty():
            raise BackupError("The database is not empty: use --replace to overwrite it.")
        media = [
            (member, _safe_media_name(member.name))
            for member in archive.getmembers()
            if member.name.startswith("media/") and member.isfile()
        ]
        kind = manifest.get("kind", "fixture") if manifest["version"] > 1 else "fixture"
        if kind == PG_DUMP:
            _pg_restore(archive, manifest, Path(folder))
        elif kind == PORTABLE:
            _restore_portable(archive, manifest)
        else:
            _restore_fixture(archive, manifest, Path(folder))
        for member, name in media:
            _restore_media_file(name, archive.extractfile(member))
    return manifest


def _restore_fixture(archive: tarfile.TarFile, manifest: dict, folder: Path) -> None:
    """Backups of format 1 (before 2026-12): Django's JSON fixture with natural keys."""
    data = folder / "data.json"
    try:
        with data.open("wb") as out:
            shutil.copyfileobj(archive.extractfile("data.json"), out)
    except KeyError as error:
        raise BackupError("The backup has no data.json.") from error
    with transaction.atomic():
        _delete_all_rows()
        call_command("loaddata", str(data), verbosity=0)
        call_command("rebuild_search_index", verbosity=0, stdout=io.StringIO())
        _check_counts(manifest["rows"])


__all__ = ["BackupError", "create", "restore", "row_counts"]
