"""The portable kind: every row as JSON lines, one file per table, restored into either
database a chunk at a time."""

import base64
import datetime
import decimal
import io
import json
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.duration import duration_iso_string

from ._common import (
    CHUNK,
    PORTABLE,
    BackupError,
    _add_bytes,
    _backed_up_models,
    _check_counts,
    _delete_all_rows,
    _manifest,
    _media_files,
    row_counts,
)


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
