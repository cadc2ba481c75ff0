"""One way to change a row and audit it, for every service.

Every update service does the same steps around its own checks: lock the row, refuse a
stale version, remember the fields' values, assign the allowed ones, validate, and, when
something changed, raise the version, save and record the changes in the audit log. ``edit``
does the steps; the service keeps what is its own (who may, what else changes with it)::

    with changes.edit(actor, call, CALL_FIELDS, action="funding_call.update",
                      expected_version=version) as change:
        change.assign(fields)
        change.also(area_changes)        # changes the snapshot cannot see (many-to-many)
    if "deadline" in change.changes: …

The block ends by saving and recording ``action``; an exception inside it saves nothing.
``create`` is the same for a new row (``record_created`` records one saved already, after
what is set up around it), ``delete`` records what goes and deletes it, and ``set_related``
sets many-to-many fields and says what changed. Where the audit entry
belongs to another object (an editor added is audited on the initiative, a meeting on its
question), ``target=`` names it.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from . import audit


class PreconditionRequired(Exception):
    """An update that must say which version it was based on did not (the API answers 428)."""


class MissingVersion:
    """Passed as ``expected_version`` by callers that require one (the API) when none was
    sent: refused by ``check_version`` after the service's permission check, so that a
    refused caller still learns only that they may not."""

    def __repr__(self) -> str:
        return "MISSING_VERSION"


MISSING_VERSION = MissingVersion()


def check_version(instance: Any, expected_version: int | MissingVersion | None) -> None:
    """Refuse a write based on a stale copy, so two editors never overwrite each other."""
    if expected_version is MISSING_VERSION:
        raise PreconditionRequired(
            _(
                "Send the version you edited (the field version, or the If-Match header with "
                "the ETag from reading the object), so that no one else's changes are "
                "overwritten."
            )
        )
    if expected_version is not None and expected_version != instance.version:
        raise ValidationError(
            _(
                "Someone else changed this while you were editing. Reload the page to see "
                "their changes, then make yours again."
            ),
            code="conflict",
        )


def lock_and_check_version(instance: Any, expected_version: int | MissingVersion | None) -> None:
    """Lock ``instance``'s row until the transaction ends and refuse a stale edit: compared
    with the version in the database, not the copy the caller loaded, so two edits sent at
    the same moment cannot both pass."""
    if instance.pk is None:
        return
    manager = type(instance)._default_manager
    instance.version = (
        manager.select_for_update().values_list("version", flat=True).get(pk=instance.pk)
    )
    check_version(instance, expected_version)


def locked(instance: models.Model, expected_version: int | MissingVersion | None = None) -> Any:
    """A fresh copy of ``instance`` whose row is locked until the transaction ends (its
    model from ``_meta``: the signed-in user is a lazy object, not of the model's type),
    refused when it is not the ``expected_version``."""
    row = instance._meta.model._default_manager.select_for_update().get(pk=instance.pk)
    check_version(row, expected_version)
    return row


@dataclass
class Change:
    """An edit in progress: the locked row, the fields it may change and their values before."""

    instance: Any
    fields: tuple[str, ...]
    before: dict[str, Any]
    extra_state: Callable[[Any], dict[str, Any]] | None = None
    changes: dict[str, list[Any]] = field(default_factory=dict)
    _also: dict[str, Any] = field(default_factory=dict)

    def assign(self, values: Mapping[str, Any]) -> None:
        """Set the given values of the fields this edit may change; others are ignored."""
        for name, value in values.items():
            if name in self.fields:
                setattr(self.instance, name, value)

    def also(self, changes: Mapping[str, Any]) -> None:
        """Changes the fields' snapshot cannot see (related rows): audited with the rest."""
        self._also.update(changes)

    def state(self) -> dict[str, Any]:
        values = audit.snapshot(self.instance, self.fields)
        if self.extra_state is not None:
            values.update(self.extra_state(self.instance))
        return values

    def collect(self) -> dict[str, list[Any]]:
        self.changes = {**audit.diff(self.before, self.state()), **self._also}
        return self.changes


Lock = bool | Literal["in_place"]


def _locked_row(instance: Any, lock: Lock, expected_version: Any) -> Any:
    """The row ``edit`` changes: a fresh locked copy (``True``); the caller's copy, its row
    locked and its version checked against the stored one (``"in_place"``: it keeps the
    relations it was loaded with); or the caller's copy as it is (``False``: locked already)."""
    if lock == "in_place":
        lock_and_check_version(instance, expected_version)
        return instance
    return locked(instance) if lock else instance


@contextmanager
def edit(
    actor: Any,
    instance: Any,
    fields: Sequence[str],
    *,
    action: str,
    expected_version: int | MissingVersion | None = None,
    lock: Lock = True,
    clean: bool = True,
    extra_state: Callable[[Any], dict[str, Any]] | None = None,
    save_fields: Sequence[str] | None = None,
    target: models.Model | None = None,
):
    """Lock ``instance`` (a fresh copy; ``lock="in_place"`` locks the row but edits the
    caller's copy; ``lock=False``: the caller locked it), check the version and yield a
    ``Change``. When the block ends: validate (unless ``clean=False``), and if any field or
    ``also`` changed, raise the version (where the model has one), save (only
    ``save_fields`` and the version, when given) and record ``action`` on ``target`` (the
    row itself unless another object is named)."""
    row = _locked_row(instance, lock, expected_version)
    has_version = hasattr(row, "version")
    if has_version:
        check_version(row, expected_version)
    change = Change(row, tuple(fields), {}, extra_state)
    change.before = change.state()
    yield change
    if clean:
        row.full_clean()
    if not change.collect():
        return
    if has_version:
        row.version += 1
    if save_fields is None:
        row.save()
    else:
        extra = ["version"] if has_version else []
        row.save(update_fields=[*save_fields, *extra])
    audit.record(
        actor=actor,
        action=action,
        target=row if target is None else target,
        changes=change.changes,
    )


def update(
    actor: Any,
    instance: Any,
    fields: Sequence[str],
    values: Mapping[str, Any],
    **options: Any,
) -> Change:
    """``edit`` that only assigns ``values``: the common case of an update service."""
    with edit(actor, instance, fields, **options) as change:
        change.assign(values)
    return change


def create(
    actor: Any,
    instance: models.Model,
    fields: Iterable[str] = (),
    *,
    action: str,
    clean: bool = True,
    also: Mapping[str, Any] | None = None,
    target: models.Model | None = None,
) -> Any:
    """Validate and save a new row and record ``action`` with its fields (and ``also``: what
    the fields cannot show, such as the related rows it is created with) on ``target``: the
    new row, unless another object is named (an editor added is audited on the initiative)."""
    if clean:
        instance.full_clean()
    instance.save()
    return record_created(actor, instance, fields, action=action, also=also, target=target)


def record_created(
    actor: Any,
    instance: models.Model,
    fields: Iterable[str] = (),
    *,
    action: str,
    also: Mapping[str, Any] | None = None,
    target: models.Model | None = None,
) -> Any:
    """Record ``action`` for a row already saved (with what was set up around it: its
    related rows, its search entry), as ``create`` records it: its ``fields`` and ``also``,
    on ``target`` or the row itself."""
    audit.record(
        actor=actor,
        action=action,
        target=instance if target is None else target,
        changes={**audit.created(instance, fields), **(also or {})},
    )
    return instance


def delete(
    actor: Any,
    instance: models.Model,
    *,
    action: str,
    changes: Mapping[str, Any] | None = None,
    target: models.Model | None = None,
) -> None:
    """Record ``action`` with what goes (``changes``, each ``[before, None]``) on ``target``
    (the row itself, unless another object is named), then delete the row: the entry is
    written while the row can still be named."""
    audit.record(
        actor=actor,
        action=action,
        target=instance if target is None else target,
        changes=dict(changes or {}),
    )
    instance.delete()


def set_related(
    instance: models.Model, rows: Mapping[str, Sequence[Any] | None], *, label: str = "code"
) -> dict[str, list[Any]]:
    """Set each many-to-many field named in ``rows`` to the rows given (None: leave it as it
    is) and return what changed, for the audit log (``Change.also``): each field's rows
    before and after, named by their ``label`` and sorted."""
    found: dict[str, list[Any]] = {}
    for name, items in rows.items():
        if items is None:
            continue
        before = sorted(getattr(instance, name).values_list(label, flat=True))
        after = sorted(getattr(item, label) for item in items)
        if before != after:
            getattr(instance, name).set(items)
            found[name] = [before, after]
    return found
