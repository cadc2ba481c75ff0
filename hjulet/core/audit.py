"""The audit log: services call ``record`` inside their transaction."""

import datetime
import decimal
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

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
    for name in fields:
        field = instance._meta.get_field(name)
        raw = getattr(instance, field.attname) if field.concrete else getattr(instance, name)
        values[name] = "***" if name in SENSITIVE_FIELDS else _json_value(raw)
    return values


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
    entries: Sequence[tuple[models.Model, dict[str, Any]]],
    batch_size: int = 1000,
) -> None:
    """``record`` for many objects at once (target, changes), written a batch at a time: the
    history of each object is the same as if a service had recorded it alone."""
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    AuditEntry.objects.bulk_create(
        (
            AuditEntry(
                actor=actor if is_person else None,
                actor_label=actor.email if is_person else "",
                action=action,
                target_type=target._meta.label_lower,
                target_id=str(target.pk),
                target_label=str(target)[:255],
                changes=changes,
            )
            for target, changes in entries
        ),
        batch_size=batch_size,
    )
