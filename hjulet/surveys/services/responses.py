"""Answering: the personal and the open link, saving and submitting, erasing a response."""

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import audit

from .. import tables
from ..answers import clean_answers, not_asked_names
from ..models import Invitation, Response, Survey, SurveyStatus, hash_token, new_token
from ._common import require_manage


class LinkRefused(ValidationError):
    """The link is unknown, used or expired; the message says which and what to do."""


def _check_open(survey: Survey) -> None:
    if survey.status == SurveyStatus.DRAFT:
        raise LinkRefused(_("The survey has not opened yet. Try again later."))
    if survey.status == SurveyStatus.CLOSED or survey.is_past_deadline:
        raise LinkRefused(
            _(
                "The survey has closed, so answers can no longer be given. Thank you for your "
                "interest!"
            )
        )


def response_for_token(token: str, *, lock: bool = False) -> Response:
    """The response a link belongs to (created on first use of an invitation). Refuses
    unknown, used and expired links with a clear message."""
    digest = hash_token(token or "")
    responses = Response.objects.select_related("survey", "invitation")
    if lock:  # only the response row: its invitation may be absent (an outer join)
        responses = responses.select_for_update(of=("self",))
    response = responses.filter(resume_hash=digest).first()
    invitation = None
    if response is None:
        invitations = Invitation.objects.select_related("survey", "organisation")
        if lock:  # two submits of a first answer at once: the second waits, then sees it
            invitations = invitations.select_for_update(of=("self",))
        invitation = invitations.filter(token_hash=digest).first()
        if invitation is None:
            raise LinkRefused(
                _(
                    "This link is not valid. It may have been replaced by a newer one in a "
                    "reminder: use the link in the latest e-mail."
                )
            )
        response = responses.filter(invitation=invitation).first()
    if response is not None and response.submitted_at is not None:
        raise LinkRefused(
            _(
                "This link has already been used: the answers were submitted. Each link can be "
                "used for one response."
            )
        )
    survey = response.survey if response else invitation.survey
    _check_open(survey)
    if response is None:
        organisation = invitation.organisation
        response = Response(
            survey=survey,
            invitation=invitation,
            organisation=organisation,
            county_code=(
                organisation.municipality.county_id
                if organisation and organisation.municipality
                else ""
            ),
            sector_code=organisation.sector.code if organisation else "",
        )
    return response


def check_open_link(*, survey: Survey, key: str) -> None:
    """Refuse an open link that was withdrawn or replaced, or whose survey is not open."""
    if not survey.anonymous_key or not secrets.compare_digest(
        key.encode(), survey.anonymous_key.encode()
    ):
        raise LinkRefused(_("This open link is not valid (any more)."))
    _check_open(survey)


@transaction.atomic
def response_start_anonymous(*, survey: Survey, key: str) -> str:
    """Start a response through the survey's open link; returns the personal link's token
    (which also lets the respondent save and continue later)."""
    check_open_link(survey=survey, key=key)
    token = new_token()
    response = Response(survey=survey, resume_hash=hash_token(token))
    response.save()
    return token


@transaction.atomic
def response_save(
    *, token: str, raw: dict[str, Any], submit: bool
) -> tuple[Response, dict[str, str]]:
    """Save answers (``submit`` False: save and continue later). On submit every required
    question must be answered; then the link is used up. Returns the response and any
    errors per question name (nothing is saved when there are errors on submit)."""
    response = response_for_token(token, lock=True)
    survey = response.survey
    questions = list(
        survey.questions.select_related("group")
        .prefetch_related("choices")
        .order_by("position", "pk")
    )
    answers, errors = clean_answers(questions, raw, submit=submit)
    if errors and submit:
        return response, errors
    response.answers = answers
    response.not_asked = not_asked_names(questions, answers)
    now = timezone.now()
    if submit:
        response.submitted_at = now
    response.save()
    if submit and response.invitation_id:
        Invitation.objects.filter(pk=response.invitation_id).update(used_at=now)
    if submit:
        audit.record(actor=None, action="response.submit", target=response)
    return response, errors


@transaction.atomic
def response_erase(*, actor: Any, response: Response) -> None:
    """Erase one response and everything coded from it (a respondent's request under the
    GDPR, or an answer given by mistake). It leaves the stored answer columns in the same
    transaction, so no figure counts it and no stored copy keeps it."""
    survey = response.survey
    require_manage(actor, survey)
    audit.record(
        actor=actor,
        action="response.erase",
        target=response,
        label=_("erased response #%(id)s") % {"id": response.pk},
    )
    pk = response.pk
    response.delete()
    tables.remove(survey, [pk])
