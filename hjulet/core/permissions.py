"""Permission checks used by every service. A failed check raises PermissionDenied with a
message the person can act on; views render it as a 403 page and the API as a 403 JSON body."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def is_signed_in(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def require_signed_in(actor: Any) -> None:
    require(is_signed_in(actor), _("You need to log in to do this."))


def require_coordinator(actor: Any) -> None:
    require_signed_in(actor)
    require(actor.is_coordinator, _("Only coordinators may do this."))


def require_admin(actor: Any) -> None:
    require_signed_in(actor)
    require(actor.is_admin, _("Only administrators may do this."))
