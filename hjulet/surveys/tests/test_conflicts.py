"""Two people editing the same survey question: the second, stale edit gets the conflict
message and the first edit is kept (surveys and reports are tested in test_services)."""

import pytest

from hjulet.core.tests.conflicts import second_stale_edit_is_refused

from ..models import Question
from .factories import make_survey

pytestmark = pytest.mark.django_db


def test_two_people_edit_the_same_question(as_user, coordinator, org_admin, organisation):
    survey = make_survey(coordinator, organisation, open_=False)
    question = survey.questions.get(name="hinder")

    def data(label: str) -> dict:
        return {"type": "text", "name": "hinder", "label_sv": label}

    second_stale_edit_is_refused(
        as_user(org_admin),
        as_user(coordinator),
        f"/enkater/{survey.slug}/fragor/{question.pk}/",
        data("Vad hindrar er?"),
        data("Den andras fråga?"),
    )
    assert Question.objects.get(pk=question.pk).label_sv == "Vad hindrar er?"
