"""Every write to regional hubs and their people: national coordinators (and administrators)
manage hubs; each function checks that first, validates, runs in a transaction and records an
audit entry."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hjulet.accounts.models import User
from hjulet.core import audit, changes
from hjulet.core.models import County, Municipality
from hjulet.core.permissions import is_signed_in, require, require_signed_in

from . import hosts
from .models import Hub, HubPerson, HubRole
from .permissions import forget_hub_areas

HUB_FIELDS = ("name", "slug", "description", "brand_colour", "tint_colour", "host")


def can_manage_hubs(actor: Any) -> bool:
    return is_signed_in(actor) and actor.is_coordinator


def can_edit_hub(actor: Any, hub: Hub) -> bool:
    """National coordinators, and the hub's own coordinators (its logo and description)."""
    if not is_signed_in(actor):
        return False
    return actor.is_coordinator or hub.people.filter(user=actor, role=HubRole.COORDINATOR).exists()


def _require_manage(actor: Any) -> None:
    require_signed_in(actor)
    require(
        can_manage_hubs(actor),
        _("Only national coordinators may set up regional hubs and their people."),
    )


def _set_area(
    hub: Hub, counties: Iterable[County] | None, municipalities: Iterable[Municipality] | None
) -> None:
    if counties is not None:
        hub.counties.set(list(counties))
    if municipalities is not None:
        hub.municipalities.set(list(municipalities))
    if not hub.counties.exists() and not hub.municipalities.exists():
        raise ValidationError(
            {"counties": _("Choose the hub's area: at least one county or municipality.")}
        )


def _area_snapshot(hub: Hub) -> dict[str, list[str]]:
    return {
        "counties": sorted(hub.counties.values_list("code", flat=True)),
        "municipalities": sorted(hub.municipalities.values_list("code", flat=True)),
    }


@transaction.atomic
def hub_create(
    *,
    actor: Any,
    name: str,
    counties: Iterable[County] = (),
    municipalities: Iterable[Municipality] = (),
    **fields: Any,
) -> Hub:
    _require_manage(actor)
    unknown = set(fields) - set(HUB_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    hub = Hub(name=(name or "").strip(), **fields)
    hub.slug = hub.slug or slugify(hub.name)[:80]
    counties, municipalities = list(counties), list(municipalities)
    area = {
        "counties": sorted({county.code for county in counties}),
        "municipalities": sorted({municipality.code for municipality in municipalities}),
    }
    changes.create(
        actor, hub, ("name",), action="hub.create", also={k: [None, v] for k, v in area.items()}
    )
    _set_area(hub, counties, municipalities)
    hosts.forget()
    return hub


@transaction.atomic
def hub_update(
    *,
    actor: Any,
    hub: Hub,
    counties: Iterable[County] | None = None,
    municipalities: Iterable[Municipality] | None = None,
    **fields: Any,
) -> Hub:
    _require_manage(actor)
    unknown = set(fields) - set(HUB_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with changes.edit(
        actor, hub, HUB_FIELDS, action="hub.update", clean=False, extra_state=_area_snapshot
    ) as change:
        change.assign(fields)
        change.instance.full_clean()  # the fields' errors before the area's
        _set_area(change.instance, counties, municipalities)
    hosts.forget()
    return change.instance


@transaction.atomic
def hub_person_add(*, actor: Any, hub: Hub, user: User, role: str) -> HubPerson:
    """Make ``user`` a coordinator or adviser of ``hub`` (or change their role there)."""
    _require_manage(actor)
    if role not in HubRole.values:
        raise ValidationError({"role": _("Choose coordinator or adviser.")})
    person, created = HubPerson.objects.get_or_create(hub=hub, user=user, defaults={"role": role})
    if not created and person.role == role:
        raise ValidationError(
            _("%(name)s already has this role in the hub.") % {"name": user.display_name},
            code="duplicate",
        )
    before = None if created else person.role
    person.role = role
    person.save()
    audit.record(
        actor=actor,
        action="hub.person_add",
        target=hub,
        changes={"person": [None, user.email], "role": [before, role]},
    )
    forget_hub_areas(user)
    return person


@transaction.atomic
def hub_person_remove(*, actor: Any, person: HubPerson) -> None:
    _require_manage(actor)
    user = person.user
    changes.delete(
        actor,
        person,
        action="hub.person_remove",
        target=person.hub,
        changes={"person": [user.email, None], "role": [person.role, None]},
    )
    forget_hub_areas(user)
