"""What the parts of the science shop services share: the timeline, e-mail, and moving a
question from one status to another (``_move``, which consults the one transition table in
``workflow.py``)."""

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Role, User
from hjulet.core import audit
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import is_signed_in, require
from hjulet.core.services import notify

from .. import selectors
from ..models import EventKind, Question, QuestionEvent
from ..workflow import COORDINATOR, Status, transition_for
from .permissions import can_move


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("organisation").get(pk=question.pk)


def _locked_in(question: Question, statuses: Collection[str], refusal: str) -> Question:
    """The question, locked, if its status is one of ``statuses``; else ``refusal`` (which
    names the status as ``%(status)s``)."""
    question = _locked(question)
    if question.status not in statuses:
        raise ValidationError(
            refusal % {"status": question.get_status_display()}, code="transition"
        )
    return question


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
