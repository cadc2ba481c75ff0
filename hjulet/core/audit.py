"""The audit log: services call ``record`` inside their transaction. Recording also tells
``core.freshness`` that something changed, so that no worker keeps serving what it cached."""

import datetime
import decimal
import functools
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.utils import timezone

from . import freshness
from .bulk import insert_rows
from .models import AuditEntry

SENSITIVE_FIELDS = frozenset({"password", "key_hash"})


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_json_value(item) for item in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-able values of ``fields`` (foreign keys as their primary key)."""
    values: dict[str, Any] = {}
    for name, attribute in _attributes(type(instance), tuple(fields)):
        raw = getattr(instance, attribute)
        values[name] = "***" if name in SENSITIVE_FIELDS else _json_value(raw)
    return values


@functools.lru_cache(maxsize=256)
def _attributes(model: type[models.Model], fields: tuple[str, ...]) -> list[tuple[str, str]]:
    """(field name, attribute to read) for each field: a foreign key's id column."""
    found = []
    for name in fields:
        field = model._meta.get_field(name)
        found.append((name, field.attname if field.concrete else name))
    return found


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def created(instance: models.Model, fields: Iterable[str]) -> dict[str, list[Any]]:
    return {name: [None, value] for name, value in snapshot(instance, fields).items()}


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    label: str | None = None,
) -> AuditEntry:
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    freshness.changed(target._meta.label_lower)
    return AuditEntry.objects.create(
        actor=actor if is_person else None,
        actor_label=actor.email if is_person else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=(label if label is not None else str(target))[:255],
        changes=changes or {},
    )


def record_many(
    *,
    actor: Any,
    action: str,
    entries: Iterable[tuple[models.Model, dict[str, Any]]],
    batch_size: int = 1000,
) -> None:
    """``record`` for many objects at once (target, changes): the history of each object is
    what a service recording it alone would leave, written a batch of entries per statement
    (no model instance per entry: a bulk import records 100,000)."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    actor_id, actor_label = (actor.pk, actor.email) if is_person else (None, "")
    when = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = (
        "created_at",
        "actor_id",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes",
    )
    target_types: set[str] = set()

    def target_type(target: models.Model) -> str:
        target_types.add(target._meta.label_lower)
        return target._meta.label_lower

    rows = (
        (
            when,
            actor_id,
            actor_label,
            action,
            target_type(target),
            str(target.pk),
            str(target)[:255],
            json.dumps(target_changes),
        )
        for target, target_changes in entries
    )
    insert_rows(AuditEntry, columns, rows, batch_size=batch_size)
    freshness.changed(*target_types)
