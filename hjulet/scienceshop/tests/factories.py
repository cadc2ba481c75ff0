"""Test helpers: questions and researchers through the services, or put straight into a
status for table-driven tests of the workflow."""

import datetime
from typing import Any

from django.utils import timezone

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import UserFactory, grant
from hjulet.core.models import Term, Vocabulary

from .. import services
from ..models import Assignment, AssignmentKind, Question

QUESTION = {
    "title": "Hur når vi äldre som är ensamma?",
    "background": "Föreningen ordnar träffar men de mest ensamma äldre kommer aldrig.",
    "wanted_knowledge": "Vilka arbetssätt når ensamma äldre i glesbygd?",
    "intended_use": "Vi vill ändra hur vi bjuder in till våra träffar.",
    "non_commercial": True,
    "results_may_be_public": True,
    "lacks_means": True,
}


def challenge(code: str) -> Term:
    return (
        Term.objects.in_vocabulary(Vocabulary.CHALLENGE).select_related("vocabulary").get(code=code)
    )


def submit(member: Any, organisation: Any, **fields: Any) -> Question:
    return services.question_submit(
        actor=member, organisation=organisation, **{**QUESTION, **fields}
    )


def in_status(question: Question, status: str) -> Question:
    """Put a question straight into a status (test set-up only; the app never does this)."""
    Question.objects.filter(pk=question.pk).update(status=status)
    return Question.objects.get(pk=question.pk)


def researcher_with_profile(email: str, expertise: str, **fields: Any):
    """A researcher who described their expertise through the service (which indexes it)."""
    user = grant(UserFactory(email=email), Role.RESEARCHER)
    services.researcher_profile_save(
        actor=user,
        university=fields.pop("university", "Umeå universitet"),
        expertise=expertise,
        **fields,
    )
    return user


def assign_directly(question: Question, researcher: Any) -> Assignment:
    return Assignment.objects.create(
        question=question, kind=AssignmentKind.RESEARCHER, researcher=researcher
    )


def soon() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=7)
