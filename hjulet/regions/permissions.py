"""Coordinator rights with a hub's scope, in one place.

National coordinators (and administrators) coordinate everything. A hub's coordinators and
advisers coordinate what lies in their hub's area: ``can_coordinate(actor, obj)`` asks where
``obj`` is (``place_of``: its kommun, or its organisation's, or its challenge's) and whether
one of the actor's hubs covers it. Services call ``can_coordinate`` or
``require_can_coordinate`` where they used to ask ``actor.is_coordinator``."""

from typing import Any

from django.utils.translation import gettext as _

from hjulet.core.permissions import is_signed_in, require, require_signed_in

from .area import Area

_CACHE = "_hjulet_hub_areas"


def hub_areas(actor: Any) -> list[Area]:
    """The areas of the hubs ``actor`` coordinates or advises (kept on the user object for
    the rest of the request)."""
    if not is_signed_in(actor):
        return []
    cached = getattr(actor, _CACHE, None)
    if cached is None:
        from .models import Hub

        cached = [hub.area() for hub in Hub.objects.filter(people__user=actor).distinct()]
        setattr(actor, _CACHE, cached)
    return cached


def forget_hub_areas(actor: Any) -> None:
    if hasattr(actor, _CACHE):
        delattr(actor, _CACHE)


def is_national_coordinator(actor: Any) -> bool:
    return is_signed_in(actor) and actor.is_coordinator


def is_hub_coordinator(actor: Any) -> bool:
    return bool(hub_areas(actor))


def coordinates_somewhere(actor: Any) -> bool:
    """May see coordinators' pages at all (their contents are scoped by ``coordinated_area``)."""
    return is_national_coordinator(actor) or is_hub_coordinator(actor)


def place_of(obj: Any) -> str | None:
    """The kommun code where ``obj`` is: its own municipality, else its challenge's, else its
    organisation's; ``None`` for what has no place (a method, a national call)."""
    if obj is None:
        return None
    code = getattr(obj, "municipality_id", None)
    if code:
        return code
    for related in ("challenge", "idea", "comment", "question", "arena", "organisation"):
        if getattr(obj, f"{related}_id", None):
            return place_of(getattr(obj, related))
    return None


def can_coordinate(actor: Any, obj: Any) -> bool:
    """National coordinators everywhere; a hub's coordinators and advisers in its area."""
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator:
        return True
    code = place_of(obj)
    return code is not None and any(area.contains(code) for area in hub_areas(actor))


def require_can_coordinate(actor: Any, obj: Any, message: str | None = None) -> None:
    require_signed_in(actor)
    require(
        can_coordinate(actor, obj),
        message
        or _(
            "Only coordinators may do this; a regional hub's coordinators only within the "
            "hub's area."
        ),
    )


def coordinated_codes(actor: Any) -> frozenset[str] | None:
    """For selectors: ``None`` means everywhere (national coordinators), otherwise the kommun
    codes of the actor's hubs (empty for someone who coordinates nothing)."""
    if is_national_coordinator(actor):
        return None
    codes: set[str] = set()
    for area in hub_areas(actor):
        codes |= area.codes
    return frozenset(codes)


def hub_people_for(obj: Any) -> Any:
    """The coordinators and advisers of the hubs whose area holds ``obj`` (a queryset of
    users; empty for what has no place)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects
    code = place_of(obj)
    if code is None:
        return users.none()
    return users.filter(
        Q(hub_roles__hub__counties=code[:2]) | Q(hub_roles__hub__municipalities=code),
        is_active=True,
    ).distinct()


def can_see_dashboard(actor: Any, hub: Any) -> bool:
    """National coordinators, and the hub's own coordinators and advisers."""
    if not is_signed_in(actor):
        return False
    return actor.is_coordinator or hub.people.filter(user=actor).exists()


def hub_moderates(actor: Any, obj: Any) -> bool:
    """A regional hub's coordinators and advisers moderate the challenges of their area
    (ideas and comments on them). National coordinators do not moderate by that role:
    moderators do."""
    return is_signed_in(actor) and not actor.is_coordinator and can_coordinate(actor, obj)


def hub_codes(actor: Any) -> frozenset[str]:
    """The kommun codes of the hubs ``actor`` coordinates or advises (empty for others)."""
    codes: set[str] = set()
    for area in hub_areas(actor):
        codes |= area.codes
    return frozenset(codes)
