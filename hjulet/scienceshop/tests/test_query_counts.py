"""The science shop's pages and API make as many queries for many questions, steps and
researchers as for a few (no N+1)."""

import pytest

from hjulet.core.tests.queries import assert_queries_do_not_grow

from .. import services
from ..models import Outcome, Question
from ..workflow import Status
from .factories import challenge, in_status, researcher_with_profile, soon, submit

pytestmark = pytest.mark.django_db


def researcher(number: int):
    return researcher_with_profile(
        f"forskare{number}@exempel.se", f"Ensamhet bland äldre, fritid och boende {number}"
    )


def add_steps(question, coordinator, member, number: int) -> Question:
    """A new formulation, interested and assigned researcher and meeting on ``question``."""
    question = in_status(question, Status.ACCEPTED)  # set-up: every step allowed again
    person = researcher(number)
    services.formulation_add(actor=member, question=question, text=f"Version {number}")
    services.interest_express(actor=person, question=question)
    services.assignment_create(
        actor=coordinator, question=question, kind="researcher", researcher=person
    )
    services.meeting_create(
        actor=coordinator, question=question, starts_at=soon(), participants="M"
    )
    return question


def publish_summary(member, organisation, coordinator, number: int) -> Outcome:
    question = submit(member, organisation, title=f"Publicerad {number}")
    services.formulation_add(actor=member, question=question, text=f"Frågan {number}")
    question = in_status(question, Status.IN_PROGRESS)
    outcome = services.outcome_record(
        actor=coordinator,
        question=question,
        kind="summary",
        title=f"Sammanställning {number}",
        summary="Text",
        challenges=[challenge("ensamhet"), challenge("boende")],
    )
    in_status(question, Status.PUBLISHED)
    return outcome


@pytest.fixture
def grow(member, organisation, coordinator):
    focus = in_status(submit(member, organisation, title="Den vi tittar på"), Status.ACCEPTED)

    def grow(first: int, count: int) -> None:
        for number in range(first, first + count):
            add_steps(focus, coordinator, member, number)
            for status in (Status.ACCEPTED, Status.SUBMITTED, Status.IN_PROGRESS):
                question = submit(
                    member,
                    organisation,
                    title=f"Fråga {number} {status}",
                    challenges=[challenge("boende"), challenge("ensamhet")],
                )
                add_steps(question, coordinator, member, 1000 + 10 * number + len(status))
                in_status(question, status)
            publish_summary(member, organisation, coordinator, number)

    grow.focus = focus
    return grow


def test_coordinator_pages(as_user, coordinator, grow):
    focus = grow.focus

    def urls():
        summary = Outcome.objects.order_by("pk").first()
        return [
            "/forskarverkstad/",
            "/forskarverkstad/fragor/",
            f"/forskarverkstad/fragor/{focus.pk}/",
            "/forskarverkstad/oppna-fragor/",
            "/forskarverkstad/oversikt/",
            "/forskarverkstad/kunskap/",
            f"/forskarverkstad/kunskap/{summary.pk}/",
            "/api/v1/questions",
            "/api/v1/questions?status=accepted",
            f"/api/v1/questions/{focus.pk}",
            f"/api/v1/questions/{focus.pk}/suggestions",
            "/api/v1/questions/overview",
            "/api/v1/questions/summaries",
            f"/api/v1/questions/summaries/{summary.pk}",
            "/api/v1/researchers",
        ]

    assert_queries_do_not_grow(as_user(coordinator), urls, grow)


def test_member_pages(as_user, member, grow):
    focus = grow.focus
    urls = [
        "/forskarverkstad/mina-fragor/",
        f"/forskarverkstad/fragor/{focus.pk}/",
        "/api/v1/questions",
        f"/api/v1/questions/{focus.pk}",
    ]
    assert_queries_do_not_grow(as_user(member), urls, grow)


def test_researcher_pages(as_user, grow):
    person = researcher_with_profile("tittar@exempel.se", "Äldre och ensamhet")
    urls = [
        "/forskarverkstad/oppna-fragor/",
        "/forskarverkstad/forskarprofil/",
        "/api/v1/questions",
        "/api/v1/researchers",
        "/api/v1/researchers/me",
    ]
    assert_queries_do_not_grow(as_user(person), urls, grow)
