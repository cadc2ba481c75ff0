"""Who may do what with a survey: build and send it, read its answers, see it."""

from typing import Any

from hjulet.accounts.models import Membership, MembershipRole, Organisation
from hjulet.core.permissions import is_signed_in
from hjulet.lib.emails import InvalidEmail, canonical_email
from hjulet.regions.permissions import can_coordinate

from ..models import Survey, SurveyAccess, SurveyStatus


def can_manage_organisation(actor: Any, organisation: Organisation) -> bool:
    """Coordinators (a regional hub's for the organisations of its area) and the
    organisation's administrators."""
    if not is_signed_in(actor):
        return False
    return (
        can_coordinate(actor, organisation)
        or Membership.objects.filter(
            user=actor, organisation=organisation, role=MembershipRole.ADMIN
        ).exists()
    )


def can_manage(actor: Any, survey: Survey) -> bool:
    """Coordinators and the owning organisation's administrators build, send and report."""
    return can_manage_organisation(actor, survey.organisation)


def has_access_grant(actor: Any, survey: Survey) -> bool:
    """The owning organisation has given this person access to the answers (by their
    verified address)."""
    if not is_signed_in(actor) or not actor.is_email_verified:
        return False
    try:
        email = canonical_email(actor.email)
    except InvalidEmail:
        return False
    return SurveyAccess.objects.filter(survey=survey, email=email).exists()


def can_read_answers(actor: Any, survey: Survey) -> bool:
    """Raw answers and everything computed from them (results, segments, cross-tabs,
    exports, unpublished reports) are for the owning organisation's people, coordinators
    (who run surveys for organisations) and the people the organisation gives access to.
    The researcher role alone gives none: segments by län and sector narrow to single
    respondents."""
    if not is_signed_in(actor):
        return False
    return (
        can_manage(actor, survey)
        or Membership.objects.filter(user=actor, organisation=survey.organisation).exists()
        or has_access_grant(actor, survey)
    )


def can_see_survey(actor: Any, survey: Survey) -> bool:
    """Who may see that the survey exists and read its questionnaire: those who read its
    answers, and researchers once it is no longer a draft."""
    if can_read_answers(actor, survey):
        return True
    return is_signed_in(actor) and actor.is_researcher and survey.status != SurveyStatus.DRAFT
