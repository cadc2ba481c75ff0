"""The science shop's pages make as many queries for many steps as for a few (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import UserFactory, grant

from .. import services
from ..workflow import Status
from .factories import challenge, in_status, soon, submit

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(question, coordinator, member, count: int) -> None:
    for number in range(count):
        question = in_status(question, Status.ACCEPTED)  # set-up: every step allowed again
        researcher = grant(UserFactory(), Role.RESEARCHER)
        services.formulation_add(actor=member, question=question, text=f"Version {number}")
        services.interest_express(actor=researcher, question=question)
        services.assignment_create(
            actor=coordinator, question=question, kind="researcher", researcher=researcher
        )
        services.meeting_create(
            actor=coordinator, question=question, starts_at=soon(), participants="Maja"
        )


def test_question_page_and_lists(as_user, member, organisation, coordinator):
    question = in_status(submit(member, organisation), Status.ACCEPTED)
    client = as_user(coordinator)
    url = f"/forskarverkstad/fragor/{question.pk}/"
    grow(question, coordinator, member, 1)
    few = {page: queries(client, page) for page in (url, "/forskarverkstad/fragor/")}
    grow(question, coordinator, member, 4)
    for number in range(4):
        submit(member, organisation, title=f"Fråga {number}", challenges=[challenge("boende")])
    many = {page: queries(client, page) for page in (url, "/forskarverkstad/fragor/")}
    assert many == few


def test_summary_list(client, member, organisation, coordinator):
    def publish(number: int) -> None:
        question = in_status(submit(member, organisation, title=f"F{number}"), Status.IN_PROGRESS)
        services.outcome_record(
            actor=coordinator,
            question=question,
            kind="summary",
            title=f"Sammanställning {number}",
            summary="Text",
            challenges=[challenge("ensamhet"), challenge("boende")],
        )

    publish(0)
    few = queries(client, "/forskarverkstad/kunskap/")
    for number in range(1, 6):
        publish(number)
    assert queries(client, "/forskarverkstad/kunskap/") == few
