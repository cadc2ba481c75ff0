"""Survey pages, reports, exports and the API make as many queries for many surveys,
invitations, responses, codes and report blocks as for a few (no N+1)."""

import pytest

from hjulet.core.tests.queries import assert_queries_do_not_grow
from hjulet.surveys import selectors, services
from hjulet.surveys.models import BlockKind

from .factories import invite, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(coordinator, organisation):
    survey = make_survey(coordinator, organisation, title="Den vi tittar på")
    report = services.report_create(actor=coordinator, survey=survey, title="Årsrapport")
    services.report_block_add(actor=coordinator, report=report, kind=BlockKind.TEXT, text="Om")
    services.report_set_published(actor=coordinator, report=report, published=True)
    questions = {q.name: q for q in survey.questions.all()}

    def grow(first: int, count: int) -> None:
        for number in range(first, first + count):
            make_survey(coordinator, organisation, title=f"Enkät {number}")
            invitation = invite(coordinator, survey, email=f"svarare{number}@exempel.se")
            invite(coordinator, survey, email=f"tyst{number}@exempel.se")  # never answers
            response, _errors = services.response_save(
                token=invitation.token,
                raw={
                    "nya": "ja" if number % 2 else "nej",
                    "med_vem": ["kommun", "akademi"],
                    "anstallda": str(number),
                    "hinder": f"Korta projektpengar {number}",
                },
                submit=True,
            )
            code = services.code_create(actor=coordinator, survey=survey, label=f"kod {number}")
            services.coding_set(
                actor=coordinator,
                response=response,
                question=questions["hinder"],
                codes=[code],
                factor="hindering",
            )
            for kind, question in (
                (BlockKind.CHART, questions["nya"]),
                (BlockKind.CHART, questions["anstallda"]),
                (BlockKind.CODES, questions["hinder"]),
            ):
                services.report_block_add(
                    actor=coordinator,
                    report=report,
                    kind=kind,
                    heading=f"Block {number}",
                    question=question,
                )
            services.report_block_add(
                actor=coordinator, report=report, kind=BlockKind.TEXT, text=f"Text {number}"
            )

    def grown(first: int, count: int) -> None:
        grow(first, count)
        # The answer columns are kept between requests (surveys/tables.py) and brought up to
        # date by each one: load them as an earlier visit would have, so both counts are of
        # pages that add the new responses (the first load after a start reads them all,
        # in a fixed number of queries too, but not the same number).
        selectors.load_table(survey)

    grown.survey = survey
    grown.report = report
    return grown


def test_survey_pages_and_api(as_user, coordinator, grow):
    slug, report = grow.survey.slug, grow.report.slug
    urls = [
        "/enkater/",
        f"/enkater/{slug}/",
        f"/enkater/{slug}/andra/",
        f"/enkater/{slug}/utskick/",
        f"/enkater/{slug}/resultat/",
        f"/enkater/{slug}/resultat/?county=24&row=nya&col=nya",
        f"/enkater/{slug}/kodning/",
        f"/enkater/{slug}/export.csv",
        f"/enkater/{slug}/export.xlsx",
        f"/enkater/rapport/{report}/",
        f"/enkater/rapport/{report}/redigera/",
        "/api/v1/surveys",
        f"/api/v1/surveys/{slug}",
        f"/api/v1/surveys/{slug}/responses",
        f"/api/v1/surveys/{slug}/results",
        f"/api/v1/surveys/{slug}/crosstab?row=nya&col=nya",
    ]
    assert_queries_do_not_grow(as_user(coordinator), urls, grow)


def test_member_pages(as_user, member, grow):
    urls = ["/enkater/", f"/enkater/{grow.survey.slug}/resultat/", "/api/v1/surveys"]
    assert_queries_do_not_grow(as_user(member), urls, grow)


def test_published_report_for_anyone(as_user, grow):
    assert_queries_do_not_grow(as_user(None), [f"/enkater/rapport/{grow.report.slug}/"], grow)
