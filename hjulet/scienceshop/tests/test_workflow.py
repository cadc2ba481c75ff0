"""The workflow, table-driven: every (from, to) pair of statuses is tried through the
services; the allowed ones change the status and leave a trace, the others are refused with
a clear message and change nothing."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from hjulet.core.models import AuditEntry

from .. import services
from ..models import Outcome, OutcomeKind, Question, QuestionEvent
from ..workflow import DECISIONS, OUTCOMES, TRANSITIONS, Status, targets_from
from .factories import assign_directly, in_status, submit

pytestmark = pytest.mark.django_db

OUTCOME_KIND = {
    Status.PUBLISHED: OutcomeKind.SUMMARY,
    Status.RESEARCH_PROJECT: OutcomeKind.RESEARCH_PROJECT,
    Status.CLOSED: OutcomeKind.CLOSED,
}


def attempt(actor, question: Question, target: str) -> None:
    """Ask for a move through the service a person would use for it."""
    if target in DECISIONS:
        services.question_decide(
            actor=actor, question=question, decision=target, reason="Passar vår verkstad."
        )
    elif target in OUTCOMES:
        services.outcome_record(
            actor=actor,
            question=question,
            kind=OUTCOME_KIND[target],
            title="Så når man ensamma äldre",
            summary="Personlig inbjudan fungerar bäst.",
            funder="Forte",
            link="https://exempel.se/projekt",
            reason="Frågan besvarades av annan forskning.",
        )
    else:
        services.question_transition(actor=actor, question=question, target=target)


ALL_PAIRS = [
    pair for pair in itertools.product(Status.values, Status.values) if pair[1] != Status.SUBMITTED
]


def test_the_table_is_what_the_design_says():
    assert sorted(targets_from(Status.SUBMITTED)) == sorted(
        [Status.IN_DIALOGUE, Status.ACCEPTED, Status.REFERRED, Status.ADVISED, Status.DECLINED]
    )
    assert sorted(targets_from(Status.ACCEPTED)) == [Status.CLOSED, Status.MATCHED]
    assert sorted(targets_from(Status.IN_PROGRESS)) == sorted(OUTCOMES)
    for finished in (Status.DECLINED, Status.REFERRED, Status.ADVISED, *OUTCOMES):
        assert targets_from(finished) == []
    assert all(t.needs_reason for t in TRANSITIONS.values() if t.target in DECISIONS)


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS, ids=lambda s: str(s))
def test_every_pair_of_statuses(source, target, member, organisation, coordinator, after_commit):
    question = in_status(submit(member, organisation), source)
    events = QuestionEvent.objects.count()
    audits = AuditEntry.objects.count()
    allowed = (source, target) in TRANSITIONS
    if allowed:
        with after_commit():
            attempt(coordinator, question, target)
        question.refresh_from_db()
        assert question.status == target
        event = QuestionEvent.objects.filter(question=question, kind="status").last()
        assert (event.from_status, event.to_status) == (source, target)
        assert AuditEntry.objects.filter(
            action="question.transition", target_id=str(question.pk)
        ).exists()
        assert member.email in {m.to[0] for m in mail.outbox}  # the submitter is told
        if target in OUTCOMES:
            assert Outcome.objects.get(question=question).kind == OUTCOME_KIND[target]
    else:
        with pytest.raises(ValidationError) as error:
            attempt(coordinator, question, target)
        assert [e.code for e in error.value.error_list] == ["transition"]
        assert str(Status(source).label) in error.value.messages[0]
        question.refresh_from_db()
        assert question.status == source
        assert QuestionEvent.objects.count() == events
        assert AuditEntry.objects.count() == audits
        assert not Outcome.objects.filter(question=question).exists()


def test_forbidden_message_is_swedish_and_names_both_statuses(member, organisation, coordinator):
    question = in_status(submit(member, organisation), Status.DECLINED)
    with pytest.raises(ValidationError) as error:
        attempt(coordinator, question, Status.PUBLISHED)
    assert error.value.messages == [
        "En fråga som har status ”Avböjd” kan inte få status ”Kunskapssammanställning "
        "publicerad”. Ladda om sidan för att se vad som går att göra nu."
    ]


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_decision_needs_a_reason(decision, member, organisation, coordinator):
    question = submit(member, organisation)
    with pytest.raises(ValidationError) as error:
        services.question_decide(
            actor=coordinator, question=question, decision=decision, reason="   "
        )
    assert "reason" in error.value.message_dict
    question.refresh_from_db()
    assert question.status == Status.SUBMITTED


def test_an_unknown_decision_is_refused(member, organisation, coordinator):
    question = submit(member, organisation)
    with pytest.raises(ValidationError):
        services.question_decide(
            actor=coordinator, question=question, decision="matched", reason="x"
        )


@pytest.mark.parametrize(
    "persona", ["member", "org_admin", "researcher", "outsider", "resident", "moderator"]
)
def test_only_coordinators_decide(persona, request, member, organisation):
    actor = request.getfixturevalue(persona)
    question = submit(member, organisation)
    with pytest.raises(PermissionDenied):
        services.question_decide(actor=actor, question=question, decision="accepted", reason="x")
    question.refresh_from_db()
    assert question.status == Status.SUBMITTED


def test_anonymous_cannot_move_anything(member, organisation):
    question = submit(member, organisation)
    with pytest.raises(PermissionDenied):
        services.question_decide(
            actor=AnonymousUser(), question=question, decision="accepted", reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.question_transition(
            actor=AnonymousUser(), question=question, target=Status.IN_DIALOGUE
        )


def test_assigned_researcher_may_start_work_and_publish_but_not_decide(
    member, organisation, researcher, coordinator
):
    question = in_status(submit(member, organisation), Status.MATCHED)
    assign_directly(question, researcher)
    services.question_transition(actor=researcher, question=question, target=Status.IN_PROGRESS)
    question.refresh_from_db()
    assert question.status == Status.IN_PROGRESS
    attempt(researcher, question, Status.PUBLISHED)
    question.refresh_from_db()
    assert question.status == Status.PUBLISHED
    other = in_status(submit(member, organisation, title="En annan fråga"), Status.IN_DIALOGUE)
    assign_directly(other, researcher)
    with pytest.raises(PermissionDenied):
        attempt(researcher, other, Status.ACCEPTED)


def test_an_unassigned_researcher_may_not_publish(member, organisation, researcher):
    question = in_status(submit(member, organisation), Status.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        attempt(researcher, question, Status.PUBLISHED)
    question.refresh_from_db()
    assert question.status == Status.IN_PROGRESS


def test_deciding_twice_is_refused_the_second_time(member, organisation, coordinator):
    question = submit(member, organisation)
    attempt(coordinator, question, Status.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        attempt(coordinator, question, Status.ACCEPTED)  # the stale page sent again
    assert "”Antagen” kan inte få status ”Antagen”" in error.value.messages[0]
    assert QuestionEvent.objects.filter(question=question, to_status="accepted").count() == 1
