"""Recording that an initiative adapted a method or another initiative."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.core import changes
from hjulet.core.permissions import require

from ..models import Adaptation, Initiative, Method
from .permissions import can_edit_initiative, edit_refused


@transaction.atomic
def adaptation_create(
    *,
    actor: Any,
    initiative: Initiative,
    what_changed: str,
    why: str = "",
    source_method: Method | None = None,
    source_initiative: Initiative | None = None,
) -> Adaptation:
    """Record that ``initiative`` adapted a method or another initiative."""
    require(
        can_edit_initiative(actor, initiative),
        edit_refused(),
    )
    if (source_method is None) == (source_initiative is None):
        raise ValidationError(
            _("Choose either a method or an initiative that was adapted."), code="one_source"
        )
    if source_initiative is not None and source_initiative.pk == initiative.pk:
        raise ValidationError(_("An initiative cannot adapt itself."), code="self")
    if source_initiative is not None and _adapts_from(source_initiative, initiative):
        raise ValidationError(
            _("%(source)s already builds on %(initiative)s; an adaptation cannot go in a circle.")
            % {"source": source_initiative, "initiative": initiative},
            code="cycle",
        )
    adaptation = Adaptation(
        initiative=initiative,
        source_method=source_method,
        source_initiative=source_initiative,
        what_changed=what_changed,
        why=why,
        created_by=actor,
    )
    if Adaptation.objects.filter(
        initiative=initiative, source_method=source_method, source_initiative=source_initiative
    ).exists():
        raise ValidationError(_("This adaptation is already recorded."), code="duplicate")
    changes.create(
        actor,
        adaptation,
        action="adaptation.create",
        target=initiative,
        also={"adapted": [None, str(adaptation.source)], "what_changed": [None, what_changed]},
    )
    return adaptation


def _adapts_from(initiative: Initiative, ancestor: Initiative) -> bool:
    """Whether ``initiative`` (directly or through others) adapted ``ancestor``."""
    seen: set[int] = set()
    frontier = [initiative.pk]
    while frontier:
        sources = list(
            Adaptation.objects.filter(
                initiative_id__in=frontier, source_initiative__isnull=False
            ).values_list("source_initiative_id", flat=True)
        )
        if ancestor.pk in sources:
            return True
        seen.update(frontier)
        frontier = [pk for pk in sources if pk not in seen]
    return False


@transaction.atomic
def adaptation_delete(*, actor: Any, adaptation: Adaptation) -> None:
    require(
        can_edit_initiative(actor, adaptation.initiative),
        edit_refused(),
    )
    changes.delete(
        actor,
        adaptation,
        action="adaptation.delete",
        target=adaptation.initiative,
        changes={"adapted": [str(adaptation.source), None]},
    )
