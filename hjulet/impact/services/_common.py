"""What every part shares: who may write, the stored figures refreshed in the caller's
transaction, the allowed fields picked."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.utils.translation import gettext as _

from hjulet.core import changes
from hjulet.core.permissions import require
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.services import can_edit_initiative, can_manage_initiative

from .. import selectors
from ..models import ImpactFigures


def refresh_figures(initiative_id: int) -> None:
    """Store the initiative's figures for the totals anew (``ImpactFigures``), inside the
    caller's transaction. Every service below that changes indicators, measurements, test
    cycles, SROI analyses or the report calls it. The row is locked before the figures are
    read, so two writers to one initiative take turns and the later one sees the earlier
    one's rows (PostgreSQL; SQLite lets one writer in at a time anyway)."""
    ImpactFigures.objects.bulk_create(
        [ImpactFigures(initiative_id=initiative_id)], ignore_conflicts=True
    )
    row = ImpactFigures.objects.select_for_update().get(initiative_id=initiative_id)
    figures = selectors.compute_figures([initiative_id]).get(initiative_id)
    if figures is None:  # the initiative is gone
        return
    for name, value in selectors.stored_fields(figures).items():
        setattr(row, name, value)
    row.save()


def require_editor(actor: Any, initiative: Initiative) -> None:
    require(
        can_edit_initiative(actor, initiative),
        _(
            "Only the lead organisation's administrators, the people they named editors, or "
            "coordinators can follow up the initiative's impact."
        ),
    )


def require_publisher(actor: Any, initiative: Initiative) -> None:
    require(
        can_manage_initiative(actor, initiative),
        _(
            "Only the lead organisation's administrators, or coordinators, can publish or "
            "withdraw the impact report."
        ),
    )


def _pick(fields: dict[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k in allowed}


@contextmanager
def _editing(
    actor: Any,
    instance: Any,
    fields: Sequence[str],
    values: dict[str, Any],
    action: str,
    expected_version: Any,
    *,
    target: Any = None,
) -> Iterator[changes.Change]:
    """``changes.edit`` of the row the caller loaded (locked in place, so it keeps the
    relations it was loaded with), ``values`` assigned and validated before the block adds
    its own checks and the changes of related rows; audited on ``target`` when named."""
    with changes.edit(
        actor,
        instance,
        fields,
        action=action,
        expected_version=expected_version,
        lock="in_place",
        clean=False,
        target=target,
    ) as change:
        change.assign(values)
        instance.full_clean()
        yield change
