"""What the survey pages share: the survey its managers work on, posted ids."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .. import selectors, services
from ..models import Survey


def _survey_to_manage(request: HttpRequest, slug: str) -> Survey:
    survey = selectors.survey_to_see(request.user, slug)
    if not services.can_manage(request.user, survey):
        raise PermissionDenied(
            _(
                "Only coordinators and the administrators of the organisation behind the survey "
                "can do this."
            )
        )
    return survey


def _number(value: str | None) -> int:
    """A posted id, or 0 (which matches nothing) when it is not a number."""
    return int(value) if value and value.isdigit() else 0
