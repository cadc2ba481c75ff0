"""Who may plan a method's spread, change an adaptation draft and write in its thread."""

from typing import Any

from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole
from hjulet.core.permissions import is_signed_in
from hjulet.knowledge import services as knowledge
from hjulet.knowledge.models import InitiativeEditor, Method

from ..models import AdaptationDraft, SpreadPlan


def can_create_plan(actor: Any, method: Method) -> bool:
    """Those who edit the method (its organisations' people, coordinators) plan its spread."""
    return knowledge.can_edit_method(actor, method)


def can_edit_plan(actor: Any, plan: SpreadPlan) -> bool:
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator or plan.owners.filter(pk=actor.pk).exists():
        return True
    return knowledge.can_edit_method(actor, plan.method)


def can_edit_draft(actor: Any, draft: AdaptationDraft) -> bool:
    """The draft's owner, its organisation's administrators and coordinators."""
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator or draft.owner_id == actor.pk:
        return True
    return (
        draft.organisation_id is not None
        and Membership.objects.filter(
            user=actor, organisation_id=draft.organisation_id, role=MembershipRole.ADMIN
        ).exists()
    )


def original_team(draft: AdaptationDraft) -> list[Any]:
    """Who answers for what is adapted: an initiative's named editors and its lead
    organisation's administrators; a method's organisations' administrators (or whoever
    recorded it, when no organisation is named)."""
    if draft.source_initiative_id:
        people = [
            e.user
            for e in InitiativeEditor.objects.filter(
                initiative_id=draft.source_initiative_id
            ).select_related("user")
        ]
        people += [
            m.user
            for m in knowledge.lead_admin_memberships(draft.source_initiative).select_related(
                "user"
            )
        ]
        return people
    method = draft.source_method
    organisation_ids = list(method.organisations.values_list("pk", flat=True))
    if organisation_ids:
        return [
            m.user
            for m in Membership.objects.filter(
                organisation_id__in=organisation_ids, role=MembershipRole.ADMIN
            ).select_related("user")
        ]
    return [method.created_by] if method.created_by_id else []


def is_original_team(actor: Any, draft: AdaptationDraft) -> bool:
    return is_signed_in(actor) and any(p.pk == actor.pk for p in original_team(draft))


def can_read_draft(actor: Any, draft: AdaptationDraft) -> bool:
    """A published adaptation is public; a draft is for its people and the original team."""
    if draft.is_published:
        return True
    return can_use_thread(actor, draft)


def can_use_thread(actor: Any, draft: AdaptationDraft) -> bool:
    """The thread is between the place adapting and the original team (and coordinators)."""
    return can_edit_draft(actor, draft) or is_original_team(actor, draft)


def plan_refused() -> str:
    return _(
        "Only the people of the organisations behind the method, or coordinators, can plan "
        "its spread."
    )


def draft_refused() -> str:
    return _(
        "Only the person who started this adaptation, their organisation's administrators "
        "or coordinators can change it."
    )
