"""What the parts of the services share: the managers' check, the draft check, slugs."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from hjulet.core.permissions import require, require_signed_in
from hjulet.core.slugs import unique_slug

from ..models import Survey, SurveyStatus
from .permissions import can_manage


def require_manage(actor: Any, survey: Survey) -> None:
    """Coordinators and the owning organisation's administrators only (pages, API, services)."""
    require_signed_in(actor)
    require(
        can_manage(actor, survey),
        _(
            "Only coordinators and the administrators of the organisation behind the survey "
            "can do this."
        ),
    )


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(
            _("Questions can only be changed while the survey is a draft (no one has answered).")
        )


def _unique_slug(model: type, title: str) -> str:
    return unique_slug(model, title, reserved=("ny", "import", "svar", "rapport"))


def _move(items: models.Manager, item: Any, offset: int, message: str) -> tuple[int, int]:
    """Move ``item`` up (-1) or down (+1) among ``items`` (a related manager: its rows are
    locked and numbered anew from 1). Returns its old and new index; ``message`` refuses a
    move past either end."""
    rows = list(items.select_for_update().order_by("position", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == item.pk)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(rows):
        raise ValidationError(message)
    rows[index], rows[target] = rows[target], rows[index]
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    return index, target
