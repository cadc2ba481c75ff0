"""Every write to surveys, questions, invitations, responses, codes and reports.

Each function checks permissions, validates, runs in a transaction and records an audit entry.
"""

import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation, canonical_or_none
from hjulet.core import audit
from hjulet.core.mail import absolute_url, render_templated_mail, send_templated_mail
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.core.services import check_version, lock_and_check_version
from hjulet.lib import conditions
from hjulet.lib.emails import InvalidEmail, canonical_email
from hjulet.regions.permissions import can_coordinate

from . import searching, tables
from .answers import clean_answers, not_asked_names
from .models import (
    CHOICE_TYPES,
    BlockKind,
    Choice,
    Code,
    Coding,
    Invitation,
    Question,
    QuestionType,
    Report,
    ReportBlock,
    Response,
    Survey,
    SurveyAccess,
    SurveyStatus,
    hash_token,
    new_token,
)
from .xlsform import ParsedForm, parse_xlsform

SURVEY_FIELDS = ("title", "description", "languages", "deadline")
QUESTION_FIELDS = (
    "name",
    "type",
    "group",
    "label_sv",
    "label_en",
    "hint_sv",
    "hint_en",
    "required",
    "relevant",
    "constraint",
    "constraint_message_sv",
    "constraint_message_en",
    "choice_filter",
    "calculation",
    "appearance",
)
REPORT_FIELDS = ("title", "introduction")
MAX_INVITATIONS = 2000


# --- permissions ------------------------------------------------------------------------


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


def _require_manage(actor: Any, survey: Survey) -> None:
    require_signed_in(actor)
    require(
        can_manage(actor, survey),
        _(
            "Only coordinators and the administrators of the organisation behind the survey "
            "can do this."
        ),
    )


def _require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(
            _("Questions can only be changed while the survey is a draft (no one has answered).")
        )


def _unique_slug(model: type, title: str) -> str:
    base = slugify(title)[:200] or model._meta.model_name
    slug, counter = base, 2
    while slug in ("ny", "import", "svar", "rapport") or model.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


# --- surveys ----------------------------------------------------------------------------


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
    survey.full_clean()
    survey.save()
    audit.record(
        actor=actor,
        action="survey.create",
        target=survey,
        changes=audit.created(survey, (*SURVEY_FIELDS, "organisation")),
    )
    return survey


@transaction.atomic
def survey_update(
    *, actor: Any, survey: Survey, expected_version: int | None = None, **fields: Any
) -> Survey:
    _require_manage(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    check_version(survey, expected_version)
    before = audit.snapshot(survey, SURVEY_FIELDS)
    for name, value in fields.items():
        if name in SURVEY_FIELDS:
            setattr(survey, name, value)
    survey.full_clean()
    changes = audit.diff(before, audit.snapshot(survey, SURVEY_FIELDS))
    if changes:
        survey.version += 1
        survey.save()
        audit.record(actor=actor, action="survey.update", target=survey, changes=changes)
    return survey


def _transition(actor: Any, survey: Survey, allowed: set[str], new: str, message: str) -> Survey:
    _require_manage(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status not in allowed:
        raise ValidationError(message)
    old = survey.status
    survey.status = new
    survey.version += 1
    survey.save()
    audit.record(actor=actor, action=f"survey.{new}", target=survey, changes={"status": [old, new]})
    return survey


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
    _require_manage(actor, survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
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
    _require_manage(actor, survey)
    try:
        email = canonical_email(email)
    except InvalidEmail:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if SurveyAccess.objects.filter(survey=survey, email=email).exists():
        raise ValidationError({"email": _("%(email)s already has access.") % {"email": email}})
    access = SurveyAccess(survey=survey, email=email, note=note.strip(), granted_by=actor)
    access.full_clean()
    access.save()
    audit.record(
        actor=actor,
        action="survey.access_grant",
        target=survey,
        changes={"access": [None, email], "note": [None, access.note]},
    )
    return access


@transaction.atomic
def survey_access_revoke(*, actor: Any, access: SurveyAccess) -> None:
    """Withdraw a person's access to the raw answers; it stops at their next request."""
    _require_manage(actor, access.survey)
    audit.record(
        actor=actor,
        action="survey.access_revoke",
        target=access.survey,
        changes={"access": [access.email, None]},
    )
    access.delete()


def _create_questions(survey: Survey, form: ParsedForm) -> None:
    groups: dict[str, Question] = {}
    for position, spec in enumerate(form.questions, start=1):
        question = Question(
            survey=survey,
            position=position,
            group=groups.get(spec.group),
            **{
                name: getattr(spec, name)
                for name in QUESTION_FIELDS
                if name not in ("group",) and hasattr(spec, name)
            },
        )
        question.full_clean(exclude=["survey", "group"])
        question.save()
        if spec.type == QuestionType.GROUP:
            groups[spec.name] = question
        Choice.objects.bulk_create(
            Choice(
                question=question,
                position=index,
                name=choice.name[:100],
                label_sv=choice.label_sv[:300],
                label_en=choice.label_en[:300],
                columns=choice.columns,
            )
            for index, choice in enumerate(spec.choices, start=1)
        )


@transaction.atomic
def survey_import_xlsform(
    *, actor: Any, organisation: Organisation, data: bytes, title: str = ""
) -> Survey:
    """Create a draft survey from an XLSForm. Refused as a whole when anything in the form
    is not supported; the ValidationError lists every problem as 'sheet, row N: …'."""
    require_signed_in(actor)
    require(
        can_manage_organisation(actor, organisation),
        _("Only coordinators and the organisation's administrators can create its surveys."),
    )
    form = parse_xlsform(data)
    if not form.ok:
        raise ValidationError([problem_text(p) for p in form.problems])
    survey = Survey(
        organisation=organisation,
        created_by=actor,
        title=(title or form.title or form.form_id or _("Imported survey"))[:200],
        languages=",".join(form.languages),
        form_id=form.form_id[:100],
        form_version=form.version[:100],
    )
    survey.slug = _unique_slug(Survey, survey.title)
    survey.full_clean()
    survey.save()
    try:
        _create_questions(survey, form)
    except ValidationError as error:
        raise ValidationError(
            _("The form could not be imported: %(error)s") % {"error": " ".join(error.messages)}
        ) from error
    audit.record(
        actor=actor,
        action="survey.import",
        target=survey,
        changes={"questions": [None, len(form.questions)], "form_id": [None, form.form_id]},
    )
    return survey


def problem_text(problem: Any) -> str:
    where = problem.sheet or _("file")
    if problem.row:
        where = _("%(sheet)s, row %(row)s") % {"sheet": where, "row": problem.row}
    if problem.feature:
        where = f"{where} ({problem.feature})"
    return f"{where}: {problem.reason}"


# --- questions and choices --------------------------------------------------------------


def _check_question(question: Question) -> None:
    errors: dict[str, str] = {}
    names = set(question.survey.questions.exclude(pk=question.pk).values_list("name", flat=True))
    names.add(question.name)
    if question.type == QuestionType.CALCULATE and not question.calculation:
        errors["calculation"] = _("A calculated value needs a calculation.")
    elif question.type != QuestionType.CALCULATE and question.calculation:
        errors["calculation"] = _("Only calculated values have a calculation.")
    for field in ("relevant", "constraint", "choice_filter", "calculation"):
        if field in errors:
            continue
        source = getattr(question, field)
        if not source:
            continue
        try:
            expression = conditions.parse(source)
        except conditions.ExpressionError as error:
            errors[field] = _("The condition cannot be used: %(error)s.") % {"error": error}
            continue
        unknown = expression.references - names
        if unknown:
            errors[field] = _("Refers to unknown questions: %(names)s.") % {
                "names": ", ".join(sorted(unknown))
            }
    if question.group_id and question.group.survey_id != question.survey_id:
        errors["group"] = _("The group belongs to another survey.")
    if errors:
        raise ValidationError(errors)


def _parse_choice_lines(text: str) -> list[tuple[str, str, str]]:
    """'value | Swedish label | English label' per line (a line with just a label gets its
    value from the label)."""
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 1:
            parts = [slugify(parts[0]).replace("-", "_") or str(number), parts[0]]
        name, label_sv, label_en = [*parts, "", ""][:3]
        if not name or not label_sv:
            errors.append(_("Line %(number)s needs a value and a label.") % {"number": number})
        rows.append((name[:100], label_sv[:300], label_en[:300]))
    if errors:
        raise ValidationError({"choices": errors})
    if len({row[0] for row in rows}) != len(rows):
        raise ValidationError({"choices": _("Each option needs its own value.")})
    return rows


def _set_choices(question: Question, text: str | None) -> list[str] | None:
    if text is None:
        return None
    rows = _parse_choice_lines(text) if question.type in CHOICE_TYPES else []
    if question.type in CHOICE_TYPES and len(rows) < 2:
        raise ValidationError({"choices": _("A choice question needs at least two options.")})
    existing = {c.name: c for c in question.choices.all()}
    keep = []
    for position, (name, label_sv, label_en) in enumerate(rows, start=1):
        choice = existing.get(name) or Choice(question=question, name=name)
        choice.position, choice.label_sv, choice.label_en = position, label_sv, label_en
        choice.save()
        keep.append(choice.pk)
    question.choices.exclude(pk__in=keep).delete()
    return [row[0] for row in rows]


@transaction.atomic
def question_create(
    *, actor: Any, survey: Survey, choices: str | None = None, **fields: Any
) -> Question:
    _require_manage(actor, survey)
    _require_draft(survey)
    last = survey.questions.aggregate(last=Max("position"))["last"] or 0
    question = Question(
        survey=survey,
        position=last + 1,
        **{k: v for k, v in fields.items() if k in QUESTION_FIELDS},
    )
    question.full_clean()
    _check_question(question)
    question.save()
    names = _set_choices(question, choices or "")
    audit.record(
        actor=actor,
        action="question.create",
        target=question,
        changes={**audit.created(question, QUESTION_FIELDS), "choices": [None, names]},
    )
    return question


@transaction.atomic
def question_update(
    *,
    actor: Any,
    question: Question,
    choices: str | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> Question:
    _require_manage(actor, question.survey)
    _require_draft(question.survey)
    lock_and_check_version(question, expected_version)
    before = audit.snapshot(question, QUESTION_FIELDS)
    old_choices = list(question.choices.values_list("name", flat=True))
    for name, value in fields.items():
        if name in QUESTION_FIELDS:
            setattr(question, name, value)
    question.full_clean()
    _check_question(question)
    question.save()
    changes = audit.diff(before, audit.snapshot(question, QUESTION_FIELDS))
    names = _set_choices(question, choices)
    if names is not None and names != old_choices:
        changes["choices"] = [old_choices, names]
    if changes:
        question.version += 1
        question.save(update_fields=["version"])
        audit.record(actor=actor, action="question.update", target=question, changes=changes)
    return question


@transaction.atomic
def question_move(*, actor: Any, question: Question, offset: int) -> Question:
    """Move a question up (-1) or down (+1) among its survey's questions."""
    _require_manage(actor, question.survey)
    _require_draft(question.survey)
    questions = list(question.survey.questions.select_for_update().order_by("position", "pk"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(questions):
        raise ValidationError(_("The question cannot move further."))
    questions[index], questions[target] = questions[target], questions[index]
    for position, item in enumerate(questions, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit.record(
        actor=actor,
        action="question.move",
        target=question,
        changes={"position": [index + 1, target + 1]},
    )
    return question


@transaction.atomic
def question_delete(*, actor: Any, question: Question) -> None:
    _require_manage(actor, question.survey)
    _require_draft(question.survey)
    dependants = [
        q.name
        for q in question.survey.questions.exclude(pk=question.pk)
        if f"${{{question.name}}}" in f"{q.relevant} {q.constraint} {q.choice_filter}"
    ]
    if dependants:
        raise ValidationError(
            _("Other questions refer to this one in their conditions: %(names)s.")
            % {"names": ", ".join(dependants)}
        )
    audit.record(actor=actor, action="question.delete", target=question)
    question.delete()


# --- distribution -----------------------------------------------------------------------


def _answer_url(token: str) -> str:
    return absolute_url(reverse("surveys:answer", args=[token]))


def _mail_context(survey: Survey, organisation: Organisation | None, sender: Any, url: str):
    return {
        "survey": survey,
        "owner": survey.organisation,
        "organisation": organisation,
        "sender": sender,
        "url": url,
    }


def _send_invitation(invitation: Invitation, token: str, template: str) -> None:
    send_templated_mail(
        to=invitation.email,
        template=template,
        context=_mail_context(
            invitation.survey, invitation.organisation, invitation.invited_by, _answer_url(token)
        ),
    )


def invitation_preview(
    *, actor: Any, survey: Survey, organisation: Organisation | None = None
) -> tuple[str, str]:
    """The invitation's subject and body as a recipient would get them (from ``actor``, for
    ``organisation`` when given), with a stand-in for the personal link. Nothing is sent."""
    _require_manage(actor, survey)
    url = absolute_url(reverse("surveys:answer", args=[_("your-personal-link")]))
    return render_templated_mail(
        template="surveys/email/invitation",
        context=_mail_context(survey, organisation, actor, url),
    )


@transaction.atomic
def invitations_send(
    *,
    actor: Any,
    survey: Survey,
    emails: Sequence[str] = (),
    organisations: Sequence[Organisation] = (),
    send_email: bool = True,
) -> list[Invitation]:
    """Invite people (by address) and member organisations (at their contact address, or
    their administrators when they have none) with one-time links. Addresses already invited
    are skipped. Only an open survey can be sent. Each new invitation carries its link's
    secret in ``.token`` (never stored); ``send_email`` False registers without mailing."""
    _require_manage(actor, survey)
    if not survey.accepts_answers:
        raise ValidationError(_("Open the survey (with a deadline in the future) before sending."))
    targets: dict[str, Organisation | None] = {e.strip().lower(): None for e in emails if e.strip()}
    for organisation in organisations:
        addresses = (
            [organisation.email]
            if organisation.email
            else list(
                Membership.objects.filter(
                    organisation=organisation, role=MembershipRole.ADMIN
                ).values_list("user__email", flat=True)
            )
        )
        if not addresses:
            raise ValidationError(
                _("%(name)s has no administrator or contact address to send to.")
                % {"name": organisation.name}
            )
        for email in addresses:
            targets[email.lower()] = organisation
    if len(targets) > MAX_INVITATIONS:
        raise ValidationError(_("Send at most 2000 invitations at a time."))
    already = set(survey.invitations.values_list("email", flat=True))
    created = []
    for email, organisation in targets.items():
        if email in already:
            continue
        if organisation is None:
            membership = Membership.objects.filter(
                user__email_canonical=canonical_or_none(email)
            ).first()
            organisation = membership.organisation if membership else None
        token = new_token()
        invitation = Invitation(
            survey=survey,
            email=email,
            organisation=organisation,
            token_hash=hash_token(token),
            invited_by=actor,
        )
        invitation.full_clean()
        invitation.save()
        if send_email:
            _send_invitation(invitation, token, "surveys/email/invitation")
        invitation.token = token
        created.append(invitation)
    audit.record(
        actor=actor,
        action="survey.invite",
        target=survey,
        changes={"invitations": [None, [i.email for i in created]]},
    )
    return created


@transaction.atomic
def invitations_remind(*, actor: Any | None, survey: Survey) -> int:
    """Send a fresh link to everyone who has not submitted yet (the old link stops working,
    as only its hash is kept; a saved draft answer follows the invitation). ``actor`` None is
    the scheduled reminder command."""
    if actor is not None:
        _require_manage(actor, survey)
    if not survey.accepts_answers:
        raise ValidationError(_("The survey is not open, so no reminders are sent."))
    count = 0
    for invitation in survey.invitations.select_for_update().filter(used_at__isnull=True):
        token = new_token()
        invitation.token_hash = hash_token(token)
        invitation.reminder_count += 1
        invitation.reminded_at = timezone.now()
        invitation.save(update_fields=["token_hash", "reminder_count", "reminded_at"])
        _send_invitation(invitation, token, "surveys/email/reminder")
        count += 1
    audit.record(actor=actor, action="survey.remind", target=survey, changes={"sent": [0, count]})
    return count


# --- answering --------------------------------------------------------------------------


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
    _require_manage(actor, survey)
    audit.record(
        actor=actor,
        action="response.erase",
        target=response,
        label=_("erased response #%(id)s") % {"id": response.pk},
    )
    pk = response.pk
    response.delete()
    tables.remove(survey, [pk])


# --- coding of free text ----------------------------------------------------------------


@transaction.atomic
def code_create(*, actor: Any, survey: Survey, label: str) -> Code:
    _require_manage(actor, survey)
    code = Code(survey=survey, label=label.strip())
    code.full_clean()
    code.save()
    audit.record(actor=actor, action="code.create", target=code)
    return code


@transaction.atomic
def coding_set(
    *,
    actor: Any,
    response: Response,
    question: Question,
    codes: Sequence[Code],
    factor: str = "",
) -> list[Coding]:
    """Set the codes of one free-text answer (replacing earlier ones)."""
    survey = response.survey
    _require_manage(actor, survey)
    if question.survey_id != survey.pk or question.type != QuestionType.TEXT:
        raise ValidationError(_("Only free-text answers of this survey can be coded."))
    if any(code.survey_id != survey.pk for code in codes):
        raise ValidationError(_("Use the codes of this survey."))
    before = sorted(
        Coding.objects.filter(response=response, question=question).values_list(
            "code__label", flat=True
        )
    )
    Coding.objects.filter(response=response, question=question).delete()
    codings = [
        Coding(response=response, question=question, code=code, factor=factor, coded_by=actor)
        for code in codes
    ]
    for coding in codings:
        coding.full_clean(validate_unique=False)
    Coding.objects.bulk_create(codings)
    audit.record(
        actor=actor,
        action="response.code",
        target=response,
        changes={question.name: [before, sorted(c.label for c in codes)], "factor": [None, factor]},
    )
    return codings


# --- reports ----------------------------------------------------------------------------


@transaction.atomic
def report_create(*, actor: Any, survey: Survey, **fields: Any) -> Report:
    _require_manage(actor, survey)
    report = Report(survey=survey, **{k: v for k, v in fields.items() if k in REPORT_FIELDS})
    report.slug = _unique_slug(Report, report.title)
    report.full_clean()
    report.save()
    audit.record(
        actor=actor,
        action="report.create",
        target=report,
        changes=audit.created(report, REPORT_FIELDS),
    )
    return report


@transaction.atomic
def report_update(
    *, actor: Any, report: Report, expected_version: int | None = None, **fields: Any
) -> Report:
    _require_manage(actor, report.survey)
    report = Report.objects.select_for_update().get(pk=report.pk)
    check_version(report, expected_version)
    before = audit.snapshot(report, REPORT_FIELDS)
    for name, value in fields.items():
        if name in REPORT_FIELDS:
            setattr(report, name, value)
    report.full_clean()
    changes = audit.diff(before, audit.snapshot(report, REPORT_FIELDS))
    if changes:
        report.version += 1
        report.save()
        if report.is_published:
            searching.index_report(report)
        audit.record(actor=actor, action="report.update", target=report, changes=changes)
    return report


@transaction.atomic
def report_block_add(
    *,
    actor: Any,
    report: Report,
    kind: str,
    heading: str = "",
    text: str = "",
    question: Question | None = None,
) -> ReportBlock:
    _require_manage(actor, report.survey)
    if kind in (BlockKind.CHART, BlockKind.CODES) and question is None:
        raise ValidationError({"question": _("Choose the question the chart shows.")})
    if question is not None and question.survey_id != report.survey_id:
        raise ValidationError({"question": _("The question belongs to another survey.")})
    if (
        kind == BlockKind.CHART
        and question is not None
        and not (
            question.has_choices or question.type in (QuestionType.INTEGER, QuestionType.DECIMAL)
        )
    ):
        raise ValidationError({"question": _("Charts show choice and number questions.")})
    if kind == BlockKind.CODES and question is not None and question.type != QuestionType.TEXT:
        raise ValidationError({"question": _("Code frequencies are for free-text questions.")})
    if kind == BlockKind.TEXT and not text.strip():
        raise ValidationError({"text": _("Write the text of the block.")})
    last = report.blocks.aggregate(last=Max("position"))["last"] or 0
    block = ReportBlock(
        report=report,
        position=last + 1,
        kind=kind,
        heading=heading,
        text=text,
        question=question,
    )
    block.full_clean()
    block.save()
    if report.is_published:
        searching.index_report(report)
    audit.record(
        actor=actor,
        action="report.block_add",
        target=report,
        changes={"block": [None, {"kind": kind, "heading": heading}]},
    )
    return block


@transaction.atomic
def report_block_delete(*, actor: Any, block: ReportBlock) -> None:
    _require_manage(actor, block.report.survey)
    audit.record(
        actor=actor,
        action="report.block_delete",
        target=block.report,
        changes={"block": [{"kind": block.kind, "heading": block.heading}, None]},
    )
    block.delete()
    if block.report.is_published:
        searching.index_report(block.report)


@transaction.atomic
def report_block_move(*, actor: Any, block: ReportBlock, offset: int) -> None:
    _require_manage(actor, block.report.survey)
    blocks = list(block.report.blocks.select_for_update().order_by("position", "pk"))
    index = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
    target = index + offset
    if offset not in (-1, 1) or not 0 <= target < len(blocks):
        raise ValidationError(_("The block cannot move further."))
    blocks[index], blocks[target] = blocks[target], blocks[index]
    for position, item in enumerate(blocks, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    audit.record(actor=actor, action="report.block_move", target=block.report)


@transaction.atomic
def report_set_published(*, actor: Any, report: Report, published: bool) -> Report:
    _require_manage(actor, report.survey)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if published and not report.blocks.exists():
        raise ValidationError(_("Add at least one block before publishing the report."))
    if report.is_published == published:
        return report
    report.is_published = published
    report.published_at = timezone.now() if published else None
    report.version += 1
    report.save()
    searching.index_report(report)
    audit.record(
        actor=actor,
        action="report.publish" if published else "report.unpublish",
        target=report,
        changes={"is_published": [not published, published]},
    )
    return report
