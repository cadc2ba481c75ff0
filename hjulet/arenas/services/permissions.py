"""Who may do what with arenas, agreements, challenges, ideas and comments."""

from collections.abc import Collection, Iterable
from typing import Any

from hjulet.accounts.models import Membership, Organisation
from hjulet.core.permissions import is_signed_in
from hjulet.regions.permissions import can_coordinate, hub_moderates

from ..models import (
    AgreementStatus,
    Arena,
    ArenaRole,
    Challenge,
    Comment,
    Idea,
    PartnershipAgreement,
    PersonRole,
)


def _is_member_of_any(actor: Any, organisation_ids: Iterable[int]) -> bool:
    return Membership.objects.filter(
        user=actor, organisation_id__in=list(organisation_ids)
    ).exists()


def can_manage_arena(actor: Any, arena: Arena) -> bool:
    """Coordinators (a hub's within its area), the arena's own coordinators and members of its
    lead organisations."""
    if not is_signed_in(actor):
        return False
    if can_coordinate(actor, arena):
        return True
    if arena.people.filter(user=actor, role=PersonRole.COORDINATOR).exists():
        return True
    leads = arena.memberships.filter(role=ArenaRole.LEAD).values_list("organisation_id", flat=True)
    return _is_member_of_any(actor, leads)


def can_post_challenge(
    actor: Any, *, arena: Arena | None, organisation: Organisation | None
) -> bool:
    if not is_signed_in(actor):
        return False
    if arena is not None:
        return can_manage_arena(actor, arena)
    if organisation is not None:
        return can_coordinate(actor, organisation) or _is_member_of_any(actor, [organisation.pk])
    return False


def can_manage_challenge(actor: Any, challenge: Challenge) -> bool:
    """Those who may post to its arena or for its organisation, and the coordinators of the
    challenge's kommun (a regional hub's moderate their area's challenges)."""
    return can_coordinate(actor, challenge) or can_post_challenge(
        actor, arena=challenge.arena, organisation=challenge.organisation
    )


def can_read_agreement(
    actor: Any,
    agreement: PartnershipAgreement,
    *,
    manages_arena: bool | None = None,
    organisation_ids: Collection[int] | None = None,
) -> bool:
    """Who sees an agreement on its arena's page, and may download its document: everyone,
    once it is in force or has ended (such agreements are public documents); while it is a
    draft, those who manage the arena and the members of its parties. Pages listing many
    agreements pass what they already know (``manages_arena``, the actor's organisations)."""
    if agreement.status != AgreementStatus.DRAFT:
        return True
    if not is_signed_in(actor):
        return False
    if manages_arena is None:
        manages_arena = can_manage_arena(actor, agreement.arena)
    if manages_arena:
        return True
    if organisation_ids is None:
        return agreement.parties.filter(pk__in=member_organisation_ids(actor)).exists()
    return any(party.pk in organisation_ids for party in agreement.parties.all())


def member_organisation_ids(actor: Any) -> set[int]:
    if not is_signed_in(actor):
        return set()
    return set(Membership.objects.filter(user=actor).values_list("organisation_id", flat=True))


def can_see(actor: Any, content: Idea | Comment) -> bool:
    """Hidden content: only moderators (a hub's coordinators in its area) and the author still
    see it."""
    if content.is_visible:
        return True
    if not is_signed_in(actor):
        return False
    return actor.is_moderator or content.author_id == actor.pk or hub_moderates(actor, content)
