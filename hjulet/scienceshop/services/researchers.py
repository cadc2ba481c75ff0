"""Every write in the science shop. Each function checks permissions first, validates, runs in
a transaction, records an audit entry and a step on the question's timeline, and e-mails the
people the step concerns. Status changes go through ``_move``, which consults the one
transition table in ``workflow.py``."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation, Role, User
from hjulet.core import audit
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.core.services import MissingVersion, check_version, notify
from hjulet.regions.permissions import can_coordinate, require_can_coordinate

from .. import searching, selectors
from ..indexing import index_researcher_profile
from ..models import (
    Assignment,
    AssignmentKind,
    EventKind,
    FollowUp,
    Interest,
    Meeting,
    Outcome,
    OutcomeKind,
    Question,
    QuestionEvent,
    QuestionFormulation,
    ResearcherProfile,
)
from ..workflow import (
    ASSIGNED,
    ASSIGNMENT_OPEN,
    COORDINATOR,
    DECISIONS,
    FORMULATION_OPEN,
    MEETINGS_OPEN,
    OPEN_TO_RESEARCHERS,
    OUTCOMES,
    Status,
    transition_for,
)

QUESTION_FIELDS = (
    "title",
    "background",
    "wanted_knowledge",
    "intended_use",
    "non_commercial",
    "results_may_be_public",
    "lacks_means",
)
PROFILE_FIELDS = ("university", "department", "expertise", "earlier_work", "is_available")
MEETING_FIELDS = (
    "starts_at",
    "duration_minutes",
    "place",
    "participants",
    "notes",
    "next_steps",
)
OUTCOME_STATUS = {
    OutcomeKind.SUMMARY: Status.PUBLISHED,
    OutcomeKind.RESEARCH_PROJECT: Status.RESEARCH_PROJECT,
    OutcomeKind.CLOSED: Status.CLOSED,
}


# --- permissions ------------------------------------------------------------------------


def is_member(actor: Any, organisation_id: int) -> bool:
    return (
        is_signed_in(actor)
        and Membership.objects.filter(user=actor, organisation_id=organisation_id).exists()
    )


def is_assigned(actor: Any, question: Question) -> bool:
    if not is_signed_in(actor):
        return False
    return (
        question.assignments.filter(researcher=actor).exists()
        or question.assignments.filter(supervisor=actor).exists()
    )


def is_researcher(actor: Any) -> bool:
    return is_signed_in(actor) and actor.is_researcher


def can_view_question(actor: Any, question: Question) -> bool:
    """Coordinators see every question (a regional hub's those of its area); the asking
    organisation its own; researchers the open ones and those they work on. Everyone else sees
    only published summaries."""
    if not is_signed_in(actor):
        return False
    return (
        can_coordinate(actor, question)
        or is_member(actor, question.organisation_id)
        or (actor.is_researcher and question.status in OPEN_TO_RESEARCHERS)
        or is_assigned(actor, question)
    )


def require_view(actor: Any, question: Question) -> None:
    require_signed_in(actor)
    require(
        can_view_question(actor, question),
        _(
            "Only the asking organisation, coordinators and researchers (once the question is "
            "accepted) can see this question."
        ),
    )


def can_see_meetings(actor: Any, question: Question) -> bool:
    """Meetings (participants, notes, next steps) are the working notes of the asking
    organisation, the assigned researchers and coordinators. Other researchers see an open
    question so that they can offer to help, not the meetings of those already on it."""
    return is_signed_in(actor) and (
        can_coordinate(actor, question)
        or is_member(actor, question.organisation_id)
        or is_assigned(actor, question)
    )


def can_move(actor: Any, question: Question, target: str) -> bool:
    transition = transition_for(question.status, target)
    if transition is None or not is_signed_in(actor):
        return False
    return (COORDINATOR in transition.actors and can_coordinate(actor, question)) or (
        ASSIGNED in transition.actors and is_assigned(actor, question)
    )


def _require_coordinator_or_assigned(actor: Any, question: Question) -> None:
    require_signed_in(actor)
    require(
        can_coordinate(actor, question) or is_assigned(actor, question),
        _("Only coordinators and the researchers assigned to the question can do this."),
    )


# --- shared helpers ---------------------------------------------------------------------


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("organisation").get(pk=question.pk)


def _event(question: Question, actor: Any, kind: str, text: str = "", **statuses: str) -> None:
    QuestionEvent.objects.create(
        question=question,
        kind=kind,
        actor=actor if is_signed_in(actor) else None,
        text=text,
        from_status=statuses.get("from_status", ""),
        to_status=statuses.get("to_status", ""),
    )


def _question_url(question: Question) -> str:
    return absolute_url(reverse("scienceshop:question-detail", args=[question.pk]))


def _mail(people: Iterable[User], template: str, **context: Any) -> None:
    seen: set[int] = set()
    for person in people:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        send_templated_mail(
            to=person.email,
            template=f"scienceshop/email/{template}",
            context={"person": person, **context},
            language=person.language,
        )


def _coordinators() -> list[User]:
    return list(User.objects.filter(role_grants__role=Role.COORDINATOR, is_active=True))


def _assigned_people(question: Question) -> list[User]:
    people = []
    for assignment in question.assignments.select_related("researcher", "supervisor"):
        people.extend(assignment.people)
    return people


def _concerned(question: Question) -> list[User]:
    """The asking side (who submitted) and the researchers and supervisors assigned."""
    return [question.submitted_by, *_assigned_people(question)]


def _stripped(fields: dict[str, Any]) -> dict[str, Any]:
    """Text with surrounding white space removed, so that blanks count as empty."""
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _check_challenges(terms: Sequence[Term], field: str = "challenges") -> None:
    wrong = [t for t in terms if t.vocabulary.slug != Vocabulary.CHALLENGE]
    if wrong:
        raise ValidationError(
            {
                field: _("%(terms)s cannot be used here.")
                % {"terms": ", ".join(t.label for t in wrong)}
            }
        )


def _move(
    *,
    actor: Any,
    question: Question,
    target: str,
    reason: str = "",
    already_told: Iterable[User] = (),
) -> Question:
    """Change the status of a locked question as the transition table allows, or refuse
    with a message that names both statuses; nothing is saved on refusal. Those concerned
    are e-mailed, but not the actor nor ``already_told`` (who had an e-mail of the same
    event: one e-mail per event and person)."""
    source = question.status
    transition = transition_for(source, target)
    if transition is None:
        raise ValidationError(
            _(
                "A question that is “%(current)s” cannot become “%(target)s”. Reload the page "
                "to see what can be done now."
            )
            % {"current": Status(source).label, "target": Status(target).label},
            code="transition",
        )
    require(
        can_move(actor, question, target),
        _("Only coordinators can make this decision.")
        if transition.actors == {COORDINATOR}
        else _("Only coordinators and the researchers assigned to the question can do this."),
    )
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError(
            {"reason": _("Give a reason; the organisation that asked will read it.")},
            code="reason",
        )
    skip = {actor.pk, *(person.pk for person in already_told if person is not None)}
    question.status = target
    question.status_changed_at = timezone.now()
    if reason:
        question.decision_reason = reason
    question.version += 1
    question.save(update_fields=["status", "status_changed_at", "decision_reason", "version"])
    _event(question, actor, EventKind.STATUS, reason, from_status=source, to_status=target)
    audit.record(
        actor=actor,
        action="question.transition",
        target=question,
        changes={"status": [source, target], **({"reason": [None, reason]} if reason else {})},
    )
    _mail(
        [p for p in _concerned(question) if p is not None and p.pk not in skip],
        "status",
        question=question,
        status=Status(target).label,
        reason=reason,
        url=_question_url(question),
    )
    if target == Status.ACCEPTED:
        concerned = {person.pk for person in _concerned(question) if person is not None}
        _tell_matching_researchers(question, skip | concerned)
    return question


#: How many researchers whose profiles match best hear of a newly accepted question.
MATCHING_RESEARCHERS_TOLD = 10


def _tell_matching_researchers(question: Question, skip: set[int]) -> None:
    """The available researchers whose profiles match an accepted question (the same
    matching as the coordinator's suggestions) are told, once each."""
    matching = [
        suggestion.profile.user
        for suggestion in selectors.suggest_researchers(question, limit=MATCHING_RESEARCHERS_TOLD)
        if suggestion.profile.user_id not in skip
    ]
    notify(
        matching,
        lambda: (
            _("An accepted science shop question matches your profile: %(title)s")
            % {"title": question.title}
        ),
        reverse("scienceshop:question-detail", args=[question.pk]),
    )


# --- asking -----------------------------------------------------------------------------


@transaction.atomic
def question_submit(
    *,
    actor: Any,
    organisation: Organisation,
    challenges: Sequence[Term] = (),
    **fields: Any,
) -> Question:
    """A member of an organisation asks a question on its behalf."""
    require_signed_in(actor)
    require(
        is_member(actor, organisation.pk),
        _("You can ask questions on behalf of organisations you are a member of."),
    )
    fields = _stripped(fields)
    missing = {
        name: _("Answer yes or no.")
        for name in ("non_commercial", "results_may_be_public", "lacks_means")
        if fields.get(name) is None
    }
    if missing:
        raise ValidationError(missing)
    question = Question(
        organisation=organisation,
        submitted_by=actor,
        **{k: v for k, v in fields.items() if k in QUESTION_FIELDS},
    )
    question.full_clean()
    _check_challenges(challenges)
    question.save()
    question.challenges.set(challenges)
    QuestionFormulation.objects.create(
        question=question,
        number=1,
        text=question.wanted_knowledge,
        comment=_("As the organisation first asked it."),
        author=actor,
    )
    _event(question, actor, EventKind.STATUS, to_status=Status.SUBMITTED)
    audit.record(
        actor=actor,
        action="question.submit",
        target=question,
        changes={
            **audit.created(question, ("organisation", *QUESTION_FIELDS)),
            "challenges": [None, sorted(t.code for t in challenges)],
        },
    )
    _mail(
        _coordinators(),
        "submitted",
        question=question,
        organisation=organisation,
        url=_question_url(question),
    )
    return question


# --- intake -----------------------------------------------------------------------------


@transaction.atomic
def formulation_add(
    *, actor: Any, question: Question, text: str, comment: str = ""
) -> QuestionFormulation:
    """A new version of the question's wording, by a coordinator or the asking organisation.
    The coordinator's first formulation opens the dialogue."""
    require_signed_in(actor)
    require(
        can_coordinate(actor, question) or is_member(actor, question.organisation_id),
        _("Only coordinators and the asking organisation can reformulate the question."),
    )
    coordinates = can_coordinate(actor, question)
    question = _locked(question)
    if question.status not in FORMULATION_OPEN:
        raise ValidationError(
            _("The question is “%(status)s”; its wording can no longer change.")
            % {"status": question.get_status_display()},
            code="transition",
        )
    number = (question.formulations.aggregate(last=Max("number"))["last"] or 0) + 1
    formulation = QuestionFormulation(
        question=question, number=number, text=(text or "").strip(), comment=comment, author=actor
    )
    formulation.full_clean()
    formulation.save()
    _event(question, actor, EventKind.FORMULATION, _("Version %(n)s") % {"n": number})
    audit.record(
        actor=actor,
        action="question.formulation_add",
        target=question,
        changes={"formulation": [None, number], "text": [None, formulation.text]},
    )
    if coordinates and question.status == Status.SUBMITTED:
        _move(actor=actor, question=question, target=Status.IN_DIALOGUE)
    readers = [question.submitted_by] if coordinates else _coordinators()
    _mail(
        [p for p in readers if p is not None and p.pk != actor.pk],
        "formulation",
        question=question,
        formulation=formulation,
        url=_question_url(question),
    )
    return formulation


@transaction.atomic
def question_decide(*, actor: Any, question: Question, decision: str, reason: str) -> Question:
    """Accept, refer elsewhere, give advice or decline; always with a reason."""
    require_can_coordinate(actor, question)
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose accept, refer, advise or decline.")})
    return _move(actor=actor, question=_locked(question), target=decision, reason=reason)


@transaction.atomic
def question_transition(
    *, actor: Any, question: Question, target: str, reason: str = ""
) -> Question:
    """The other moves of the table (start the dialogue, work has started). Outcomes are
    recorded with ``outcome_record`` so that they always carry their content."""
    _require_coordinator_or_assigned(actor, question)
    if target not in Status.values:
        raise ValidationError({"target": _("Unknown status.")})
    if target in OUTCOMES:
        raise ValidationError(
            {"target": _("Record the outcome instead; it says what became of the question.")}
        )
    return _move(actor=actor, question=_locked(question), target=target, reason=reason)


# --- researchers ------------------------------------------------------------------------


@transaction.atomic
def researcher_profile_save(
    *, actor: Any, expected_version: int | MissingVersion | None = None, **fields: Any
) -> ResearcherProfile:
    """A researcher describes their expertise (creates or updates their own profile)."""
    require_signed_in(actor)
    require(
        actor.is_researcher,
        _("Only people with the researcher role have a researcher profile. Ask a coordinator."),
    )
    fields = _stripped(fields)
    profile = ResearcherProfile.objects.select_for_update().filter(user=actor).first()
    is_new = profile is None
    profile = profile or ResearcherProfile(user=actor)
    if not is_new:
        check_version(profile, expected_version)
    before = {} if is_new else audit.snapshot(profile, PROFILE_FIELDS)
    for name, value in fields.items():
        if name in PROFILE_FIELDS:
            setattr(profile, name, value)
    profile.full_clean()
    changes = audit.diff(before, audit.snapshot(profile, PROFILE_FIELDS))
    if changes and not is_new:
        profile.version += 1
    profile.save()
    index_researcher_profile(profile)
    if changes:
        audit.record(
            actor=actor,
            action="researcher_profile.create" if is_new else "researcher_profile.update",
            target=profile,
            changes=changes,
        )
    return profile


@transaction.atomic
def interest_express(*, actor: Any, question: Question, message: str = "") -> Interest:
    require_signed_in(actor)
    require(actor.is_researcher, _("Only researchers can express interest in a question."))
    question = _locked(question)
    if question.status not in OPEN_TO_RESEARCHERS:
        raise ValidationError(
            _("The question is “%(status)s” and not open to researchers.")
            % {"status": question.get_status_display()},
            code="transition",
        )
    if question.interests.filter(researcher=actor).exists():
        raise ValidationError(
            _("You have already said that you are interested in this question."),
            code="duplicate",
        )
    interest = Interest(question=question, researcher=actor, message=(message or "").strip())
    interest.full_clean()
    interest.save()
    _event(question, actor, EventKind.INTEREST, message)
    audit.record(
        actor=actor,
        action="question.interest",
        target=question,
        changes={"interested": [None, actor.email]},
    )
    _mail(
        _coordinators(),
        "interest",
        question=question,
        researcher=actor,
        message=message,
        url=_question_url(question),
    )
    return interest


def _require_researcher(user: User | None, field: str) -> None:
    if user is not None and not user.is_researcher:
        raise ValidationError(
            {field: _("%(name)s does not have the researcher role.") % {"name": user}}
        )


@transaction.atomic
def assignment_create(
    *,
    actor: Any,
    question: Question,
    kind: str,
    researcher: User | None = None,
    students: str = "",
    thesis_level: str = "",
    supervisor: User | None = None,
) -> Assignment:
    """The coordinator assigns a researcher, or students with a supervisor. The first
    assignment of an accepted question makes it matched."""
    require_can_coordinate(actor, question)
    question = _locked(question)
    if question.status not in ASSIGNMENT_OPEN:
        raise ValidationError(
            _("The question is “%(status)s”; only accepted questions can be assigned.")
            % {"status": question.get_status_display()},
            code="transition",
        )
    if kind == AssignmentKind.RESEARCHER:
        students, thesis_level, supervisor = "", "", None
        if researcher is None:
            raise ValidationError({"researcher": _("Choose a researcher.")})
    elif kind == AssignmentKind.STUDENT:
        researcher = None
        errors = {}
        if not (students or "").strip():
            errors["students"] = _("Name the students.")
        if not thesis_level:
            errors["thesis_level"] = _("Choose the thesis level.")
        if supervisor is None:
            errors["supervisor"] = _("Choose a supervisor.")
        if errors:
            raise ValidationError(errors)
    else:
        raise ValidationError({"kind": _("Choose a researcher or a student project.")})
    _require_researcher(researcher, "researcher")
    _require_researcher(supervisor, "supervisor")
    if researcher is not None and question.assignments.filter(researcher=researcher).exists():
        raise ValidationError(
            {"researcher": _("%(name)s is already assigned.") % {"name": researcher}},
            code="duplicate",
        )
    assignment = Assignment(
        question=question,
        kind=kind,
        researcher=researcher,
        students=(students or "").strip(),
        thesis_level=thesis_level,
        supervisor=supervisor,
        created_by=actor,
    )
    assignment.full_clean()
    assignment.save()
    _event(question, actor, EventKind.ASSIGNMENT, str(assignment))
    audit.record(
        actor=actor,
        action="question.assign",
        target=question,
        changes={"assigned": [None, str(assignment)], "kind": [None, kind]},
    )
    _mail(
        assignment.people,
        "assigned",
        question=question,
        assignment=assignment,
        url=_question_url(question),
    )
    if question.status == Status.ACCEPTED:
        # The people assigned have just had the assignment's e-mail, which says so.
        _move(
            actor=actor,
            question=question,
            target=Status.MATCHED,
            already_told=assignment.people,
        )
    return assignment


# --- meeting again ----------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor: Any, question: Question, **fields: Any) -> Meeting:
    """Record a meeting (planned or held). The first meeting after matching starts the work."""
    _require_coordinator_or_assigned(actor, question)
    question = _locked(question)
    if question.status not in MEETINGS_OPEN:
        raise ValidationError(
            _("The question is “%(status)s”; meetings can no longer be added.")
            % {"status": question.get_status_display()},
            code="transition",
        )
    meeting = Meeting(
        question=question,
        created_by=actor,
        **{k: v for k, v in _stripped(fields).items() if k in MEETING_FIELDS and v is not None},
    )
    meeting.full_clean()
    meeting.save()
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    _event(question, actor, EventKind.MEETING, f"{when} {meeting.place}".strip())
    audit.record(
        actor=actor,
        action="question.meeting",
        target=question,
        changes=audit.created(meeting, MEETING_FIELDS),
    )
    _mail(
        [p for p in _concerned(question) if p is not None and p.pk != actor.pk],
        "meeting",
        question=question,
        meeting=meeting,
        url=_question_url(question),
    )
    if question.status == Status.MATCHED:
        _move(actor=actor, question=question, target=Status.IN_PROGRESS)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor: Any, meeting: Meeting, expected_version: int | None = None, **fields: Any
) -> Meeting:
    """Notes and next steps after the meeting (or a new time before it)."""
    question = meeting.question
    _require_coordinator_or_assigned(actor, question)
    question = _locked(question)
    if question.status not in MEETINGS_OPEN:
        raise ValidationError(
            _("The question is “%(status)s”; meetings can no longer be changed.")
            % {"status": question.get_status_display()},
            code="transition",
        )
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_version(meeting, expected_version)
    before = audit.snapshot(meeting, MEETING_FIELDS)
    for name, value in _stripped(fields).items():
        if name in MEETING_FIELDS and value is not None:
            setattr(meeting, name, value)
    meeting.full_clean()
    changes = audit.diff(before, audit.snapshot(meeting, MEETING_FIELDS))
    if changes:
        meeting.version += 1
        meeting.save()
        _event(question, actor, EventKind.MEETING, meeting.next_steps or meeting.notes)
        audit.record(
            actor=actor, action="question.meeting_update", target=question, changes=changes
        )
    return meeting


# --- outcome and follow-up --------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *,
    actor: Any,
    question: Question,
    kind: str,
    title: str = "",
    summary: str = "",
    challenges: Sequence[Term] = (),
    funder: str = "",
    link: str = "",
    reason: str = "",
) -> Outcome:
    """Publish a knowledge summary, record that it became a research project, or close the
    question with a reason."""
    _require_coordinator_or_assigned(actor, question)
    if kind not in OUTCOME_STATUS:
        raise ValidationError({"kind": _("Choose what became of the question.")})
    question = _locked(question)
    target = OUTCOME_STATUS[kind]
    if transition_for(question.status, target) is None:
        # _move explains which move is refused; nothing below has been written.
        _move(actor=actor, question=question, target=target, reason=reason)
    errors = {}
    if kind == OutcomeKind.SUMMARY:
        if not title.strip():
            errors["title"] = _("Give the summary a title.")
        if not summary.strip():
            errors["summary"] = _("Write the knowledge summary.")
        if not question.results_may_be_public:
            errors["kind"] = _(
                "The organisation did not agree that the results may be public; record the "
                "outcome in another way."
            )
    elif kind == OutcomeKind.RESEARCH_PROJECT:
        if not funder.strip():
            errors["funder"] = _("Name the funder.")
    elif not reason.strip():
        errors["reason"] = _("Give a reason; the organisation that asked will read it.")
    if errors:
        raise ValidationError(errors)
    _check_challenges(challenges)
    outcome = Outcome(
        question=question,
        kind=kind,
        title=title.strip(),
        summary=summary.strip(),
        funder=funder.strip(),
        link=link.strip(),
        reason=reason.strip(),
        created_by=actor,
        published_at=timezone.now() if kind == OutcomeKind.SUMMARY else None,
    )
    outcome.full_clean()
    _move(actor=actor, question=question, target=target, reason=reason)
    outcome.save()
    outcome.challenges.set(challenges)
    searching.index_summary(outcome)
    _event(question, actor, EventKind.OUTCOME, outcome.title or outcome.funder or reason)
    audit.record(
        actor=actor,
        action="question.outcome",
        target=question,
        changes={
            "outcome": [None, kind],
            "title": [None, outcome.title],
            "challenges": [None, sorted(t.code for t in challenges)],
        },
    )
    return outcome


@transaction.atomic
def follow_up_record(*, actor: Any, question: Question, was_used: str, how: str) -> FollowUp:
    """The asking organisation says whether and how the result was used."""
    require_signed_in(actor)
    require(
        is_member(actor, question.organisation_id) or can_coordinate(actor, question),
        _("Only the asking organisation can follow up its question."),
    )
    question = _locked(question)
    if question.status not in OUTCOMES:
        raise ValidationError(
            _("There is no result to follow up yet; the question is “%(status)s”.")
            % {"status": question.get_status_display()},
            code="transition",
        )
    if FollowUp.objects.filter(question=question).exists():
        raise ValidationError(_("The follow-up is already recorded."), code="duplicate")
    follow_up = FollowUp(
        question=question, was_used=was_used, how=(how or "").strip(), created_by=actor
    )
    follow_up.full_clean()
    follow_up.save()
    _event(question, actor, EventKind.FOLLOW_UP, how)
    audit.record(
        actor=actor,
        action="question.follow_up",
        target=question,
        changes={"was_used": [None, was_used], "how": [None, how]},
    )
    _mail(
        _coordinators() + _assigned_people(question),
        "follow_up",
        question=question,
        follow_up=follow_up,
        url=_question_url(question),
    )
    return follow_up
