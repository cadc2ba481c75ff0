"""Surveys: create, edit, open and close, the open link and access to the answers."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import audit, changes
from hjulet.core.permissions import require, require_signed_in
from hjulet.lib.emails import InvalidEmail, canonical_email

from ..models import QuestionType, Survey, SurveyAccess, SurveyStatus, new_token
from ._common import _unique_slug, require_manage
from .permissions import can_manage_organisation

SURVEY_FIELDS = ("title", "description", "languages", "deadline")


@transaction.atomic
def survey_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Survey:
    require_signed_in(actor)
    require(
        can_manage_organisation(actor, organisation),
        _("Only coordinators and the organisation's administrators can create its surveys."),
    )
    survey = Survey(
        organisation=organisation,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in SURVEY_FIELDS},
    )
    survey.slug = _unique_slug(Survey, survey.title)
    return changes.create(actor, survey, (*SURVEY_FIELDS, "organisation"), action="survey.create")


@transaction.atomic
def survey_update(
    *, actor: Any, survey: Survey, expected_version: int | None = None, **fields: Any
) -> Survey:
    require_manage(actor, survey)
    return changes.update(
        actor,
        survey,
        SURVEY_FIELDS,
        fields,
        action="survey.update",
        expected_version=expected_version,
    ).instance


def _transition(actor: Any, survey: Survey, allowed: set[str], new: str, message: str) -> Survey:
    require_manage(actor, survey)
    with changes.edit(actor, survey, ("status",), action=f"survey.{new}", clean=False) as change:
        if change.instance.status not in allowed:
            raise ValidationError(message)
        change.assign({"status": new})
    return change.instance


@transaction.atomic
def survey_open(*, actor: Any, survey: Survey) -> Survey:
    if not survey.questions.exclude(type__in=(QuestionType.NOTE, QuestionType.GROUP)).exists():
        raise ValidationError(_("Add at least one question before you open the survey."))
    if survey.is_past_deadline:
        raise ValidationError(_("The deadline has passed: set a later one first."))
    return _transition(
        actor,
        survey,
        {SurveyStatus.DRAFT, SurveyStatus.CLOSED},
        SurveyStatus.OPEN,
        _("The survey is already open."),
    )


@transaction.atomic
def survey_close(*, actor: Any, survey: Survey) -> Survey:
    return _transition(
        actor,
        survey,
        {SurveyStatus.OPEN},
        SurveyStatus.CLOSED,
        _("Only an open survey can be closed."),
    )


@transaction.atomic
def survey_set_anonymous_link(*, actor: Any, survey: Survey, enabled: bool) -> Survey:
    """Open (or withdraw) a link anyone can answer through, one response per visit."""
    require_manage(actor, survey)
    survey = changes.locked(survey)
    old = bool(survey.anonymous_key)
    survey.anonymous_key = new_token() if enabled else ""
    survey.save(update_fields=["anonymous_key", "updated_at"])
    audit.record(
        actor=actor,
        action="survey.anonymous_link",
        target=survey,
        changes={"anonymous_link": [old, enabled]},
    )
    return survey


@transaction.atomic
def survey_access_grant(*, actor: Any, survey: Survey, email: str, note: str = "") -> SurveyAccess:
    """Give someone outside the organisation (a research partner) access to the raw answers.
    They read them once signed in with this address, verified."""
    require_manage(actor, survey)
    try:
        email = canonical_email(email)
    except InvalidEmail:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if SurveyAccess.objects.filter(survey=survey, email=email).exists():
        raise ValidationError({"email": _("%(email)s already has access.") % {"email": email}})
    access = SurveyAccess(survey=survey, email=email, note=note.strip(), granted_by=actor)
    changes.create(
        actor,
        access,
        action="survey.access_grant",
        target=survey,
        also={"access": [None, email], "note": [None, access.note]},
    )
    return access


@transaction.atomic
def survey_access_revoke(*, actor: Any, access: SurveyAccess) -> None:
    """Withdraw a person's access to the raw answers; it stops at their next request."""
    require_manage(actor, access.survey)
    changes.delete(
        actor,
        access,
        action="survey.access_revoke",
        target=access.survey,
        changes={"access": [access.email, None]},
    )
