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

import base64
import contextlib
import datetime
import decimal
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string

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


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if not field.generated]


def _encode(value: Any) -> Any:
    """A value of a row as JSON (``field.to_python`` reads it back)."""
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"Cannot back up a {type(value).__name__}")


def _permission_keys() -> tuple[dict[int, list[str]], dict[tuple[str, str], int]]:
    """Permissions are created by migrate with ids of their own, so rows that point to one
    are written with its natural key (app, codename) and mapped back on restore."""
    from django.contrib.auth.models import Permission

    keys = {
        pk: [app_label, codename]
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    return keys, {tuple(key): pk for pk, key in keys.items()}


def _is_permission(field: models.Field) -> bool:
    from django.contrib.auth.models import Permission

    return field.is_relation and field.related_model is Permission


def _write_portable(archive: tarfile.TarFile, folder: Path) -> dict:
    """Every table to a JSON-lines file of its own (first line: the columns), added to the
    archive one at a time: memory holds one chunk of rows."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                # One snapshot for every table (only possible as the transaction's first
                # statement; inside a caller's transaction, that one's isolation holds).
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts = row_counts()
        files = list(_media_files())
        manifest = _manifest(PORTABLE, counts, len(files))
        manifest["tables"] = [model._meta.label_lower for model in _backed_up_models()]
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        permission_to_key = _permission_keys()[0]
        for model in _backed_up_models():
            path = folder / "table.jsonl"
            fields = _columns(model)
            mapped = [index for index, field in enumerate(fields) if _is_permission(field)]
            with path.open("w", encoding="utf-8") as out:
                out.write(json.dumps([field.attname for field in fields]) + "\n")
                rows = (
                    model._base_manager.order_by("pk")
                    .values_list(*(field.attname for field in fields))
                    .iterator(chunk_size=CHUNK)
                )
                for row in rows:
                    if mapped:
                        row = list(row)
                        for index in mapped:
                            row[index] = permission_to_key[row[index]]
                    out.write(json.dumps(row, ensure_ascii=False, default=_encode) + "\n")
            archive.add(path, arcname=f"data/{model._meta.label_lower}.jsonl")
    return manifest


def _read_table(stream: IO[bytes]) -> tuple[list[str], Iterator[list]]:
    lines = io.TextIOWrapper(stream, encoding="utf-8")
    columns = json.loads(lines.readline())
    return columns, (json.loads(line) for line in lines if line.strip())


def _restore_table(model: type[models.Model], stream: IO[bytes], permissions: dict) -> None:
    columns, rows = _read_table(stream)
    by_name = {field.attname: field for field in _columns(model)}
    unknown = [name for name in columns if name not in by_name]
    if unknown:
        raise BackupError(
            f"{model._meta.label_lower} has no column {', '.join(unknown)} in this version: "
            "restore into the version of Hjulet that made the backup."
        )
    fields = [by_name[name] for name in columns]
    batch = []
    for row in rows:
        values = {}
        for field, value in zip(fields, row, strict=True):
            if value is not None and _is_permission(field):
                try:
                    value = permissions[tuple(value)]
                except KeyError as error:
                    raise BackupError(f"Unknown permission {value} in the backup.") from error
            values[field.attname] = None if value is None else field.to_python(value)
        batch.append(model(**values))
        if len(batch) >= CHUNK:
            _insert(model, fields, batch)
            batch = []
    if batch:
        _insert(model, fields, batch)


def _insert(model: type[models.Model], fields: list[models.Field], objects: list) -> None:
    """INSERT the rows as they are, like ``loaddata`` (raw): ``bulk_create`` would stamp
    ``auto_now`` fields with the time of the restore."""
    size = max(1, connection.ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)


def _restore_portable(archive: tarfile.TarFile, manifest: dict) -> None:
    by_label = {model._meta.label_lower: model for model in _backed_up_models()}
    missing = [label for label in manifest.get("tables", []) if label not in by_label]
    if missing:
        raise BackupError(f"Tables unknown to this version of Hjulet: {', '.join(missing)}.")
    with transaction.atomic():
        _delete_all_rows()
        permissions = _permission_keys()[1]
        for member in archive:
            name = PurePosixPath(member.name)
            if name.parent.as_posix() == "data" and name.suffix == ".jsonl":
                model = by_label.get(name.stem)
                if model is None:
                    raise BackupError(f"Unknown table in the backup: {name.stem}.")
                _restore_table(model, archive.extractfile(member), permissions)
        tables = [model._meta.db_table for model in by_label.values()]
        connection.check_constraints(table_names=tables)
        _reset_sequences(list(by_label.values()))
        call_command("rebuild_search_index", verbosity=0, stdout=io.StringIO())
        _check_counts(manifest["rows"])


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    """New rows after a restore get ids after the restored ones (PostgreSQL's sequences do
    not move when ids are given; SQLite's do)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- the pg_dump kind -------------------------------------------------------------------


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's environment for the database: the password never goes on a command line."""
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            environment[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS", {})
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ):
        if options.get(key):
            environment[variable] = str(options[key])
    return environment


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client tools (Debian: "
            "postgresql-client), or make a portable backup with --portable."
        )
    return found


def _run(command: list[str], environment: dict[str, str]) -> None:
    completed = subprocess.run(command, env=environment, capture_output=True, check=False)
    if completed.returncode != 0:
        error = completed.stderr.decode("utf-8", "replace").strip()
        raise BackupError(f"{Path(command[0]).name} failed: {error}")


def _pg_dump(destination: Path) -> dict[str, int]:
    """Dump the database in the snapshot in which the rows are counted: a connection of its
    own opens a repeatable-read transaction, exports its snapshot and counts every table;
    ``pg_dump --snapshot`` reads exactly those rows."""
    dump = _tool("pg_dump")
    snapshot_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    snapshot_connection.settings_dict = dict(connection.settings_dict)
    try:
        with snapshot_connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = {}
            for model in _backed_up_models():
                table = snapshot_connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT count(*) FROM {table}")
                counts[model._meta.label_lower] = cursor.fetchone()[0]
            _run(
                [
                    dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    "--exclude-table-data=django_session",
                    f"--file={destination}",
                ],
                _pg_environment(connection.settings_dict),
            )
            cursor.execute("COMMIT")
    finally:
        snapshot_connection.close()
    return counts


def _pg_restore(archive: tarfile.TarFile, manifest: dict, folder: Path) -> None:
    """Replace the database with the dump in one transaction (``--single-transaction``): a
    failure leaves it as it was. Other connections must not hold locks (stop the site
    first); after ``lock_timeout`` the restore gives up instead of waiting for them."""
    if connection.vendor != "postgresql":
        raise BackupError("This backup was made with pg_dump and restores into PostgreSQL only.")
    if connection.in_atomic_block:
        raise BackupError("A pg_dump backup cannot be restored inside a transaction.")
    restore_tool = _tool("pg_restore")
    try:
        member = archive.getmember("database.dump")
    except KeyError as error:
        raise BackupError("The backup has no database.dump.") from error
    dump = folder / "database.dump"
    with dump.open("wb") as out:
        shutil.copyfileobj(archive.extractfile(member), out)
    settings_dict = dict(connection.settings_dict)
    connection.close()  # our own connection must not hold the tables either
    environment = _pg_environment(settings_dict)
    environment["PGOPTIONS"] = "-c lock_timeout=60s"
    _run(
        [
            restore_tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={settings_dict['NAME']}",
            str(dump),
        ],
        environment,
    )
    _check_counts(manifest["rows"])


# --- restoring --------------------------------------------------------------------------


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


__all__ = ["BackupError", "create", "restore", "row_counts"]
