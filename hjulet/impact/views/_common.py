"""What the follow-up pages share: the initiative (if this person may see or change its
follow-up) and the context every page gets."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hjulet.knowledge.models import Initiative
from hjulet.knowledge.services import can_edit_initiative

from .. import selectors, services


def _initiative(request: HttpRequest, slug: str, *, edit: bool = False) -> Initiative:
    """The initiative, if this person may see (or with ``edit``, change) its follow-up."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("municipality__county"), slug=slug
    )
    if edit:
        services.require_editor(request.user, initiative)
    elif not selectors.can_view(request.user, initiative):
        raise PermissionDenied(
            _(
                "The impact follow-up of this initiative is not published yet. Members of its "
                "lead and partner organisations can see it when they log in."
            )
        )
    return initiative


def _context(request: HttpRequest, initiative: Initiative, **extra) -> dict:
    return {
        "initiative": initiative,
        "can_edit": can_edit_initiative(request.user, initiative),
        "report": selectors.report_of(initiative),
        **extra,
    }
