"""Who may edit, manage, follow or answer for methods, initiatives and partnerships."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation
from hjulet.core.permissions import is_signed_in

from ..models import Initiative, InitiativeEditor, Method, PartnerRole, Partnership


def _member_of(actor: Any, organisation_ids: Iterable[int]) -> bool:
    return Membership.objects.filter(
        user=actor, organisation_id__in=list(organisation_ids)
    ).exists()


def lead_admin_memberships(initiative: Any) -> QuerySet[Membership]:
    """The administrator memberships of the organisation that leads ``initiative`` (an
    initiative or an ``OuterRef`` to one)."""
    return Membership.objects.filter(
        role=MembershipRole.ADMIN,
        organisation__partnerships__initiative=initiative,
        organisation__partnerships__role=PartnerRole.LEAD,
    )


def is_lead_admin(actor: Any, initiative: Initiative) -> bool:
    return is_signed_in(actor) and lead_admin_memberships(initiative).filter(user=actor).exists()


def can_edit_initiative(actor: Any, initiative: Initiative) -> bool:
    """Coordinators, the lead organisation's administrators and the named editors edit an
    initiative and follow up its impact. Partner organisations' members do not, unless they
    are named editors."""
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator:
        return True
    return Initiative.objects.filter(
        Exists(InitiativeEditor.objects.filter(initiative=OuterRef("pk"), user=actor))
        | Exists(lead_admin_memberships(OuterRef("pk")).filter(user=actor)),
        pk=initiative.pk,
    ).exists()


def can_manage_initiative(actor: Any, initiative: Initiative) -> bool:
    """Naming editors and publishing or withdrawing the impact report speak for the lead
    organisation: its administrators and coordinators only."""
    if not is_signed_in(actor):
        return False
    return actor.is_coordinator or is_lead_admin(actor, initiative)


def can_follow_initiative(actor: Any, initiative: Initiative) -> bool:
    """Who may read the unpublished work on an initiative (drafts of its impact follow-up):
    those who edit it and the members of the lead and of the partners that accepted."""
    if not is_signed_in(actor):
        return False
    if can_edit_initiative(actor, initiative):
        return True
    return _member_of(
        actor,
        Partnership.objects.accepted()
        .filter(initiative=initiative)
        .values_list("organisation_id", flat=True),
    )


def can_answer_for(actor: Any, organisation: Organisation) -> bool:
    """Who accepts or declines a partnership on an organisation's behalf: its
    administrators, and coordinators."""
    if not is_signed_in(actor):
        return False
    return (
        actor.is_coordinator
        or Membership.objects.filter(
            user=actor, organisation=organisation, role=MembershipRole.ADMIN
        ).exists()
    )


def edit_refused() -> str:
    return _(
        "Only the lead organisation's administrators, the people they named editors, or "
        "coordinators can change this initiative."
    )


def method_edit_refused() -> str:
    return _("Only members of the organisations behind the method, or coordinators, can change it.")


def can_edit_method(actor: Any, method: Method) -> bool:
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator:
        return True
    organisation_ids = list(method.organisations.values_list("pk", flat=True))
    if organisation_ids:
        return _member_of(actor, organisation_ids)
    return method.created_by_id == actor.pk


def answer_refused() -> str:
    return _("Only the organisation's administrators, or coordinators, can answer this request.")


def manage_refused() -> str:
    return _(
        "Only the lead organisation's administrators, or coordinators, can name the "
        "initiative's editors."
    )
