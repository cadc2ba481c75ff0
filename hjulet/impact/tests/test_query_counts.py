"""Impact pages, the totals and the API make as many queries for many initiatives,
indicators, measurements, test cycles and analyses as for a few (no N+1)."""

import datetime
from decimal import Decimal

import pytest

from hjulet.core.models import Municipality, Vocabulary
from hjulet.core.tests.queries import assert_queries_do_not_grow
from hjulet.impact import services
from hjulet.knowledge.tests.factories import make_initiative, term

from .factories import make_analysis, make_indicator
from .factories import publish as publish_report

pytestmark = pytest.mark.django_db

PLACES = ["2480", "0180", "1480"]  # Umeå, Stockholm, Göteborg: three län


def follow_up(member, initiative, number: int, *, publish: bool) -> None:
    """A step, an indicator with measurements, a test cycle and an SROI analysis."""
    services.element_create(
        actor=member, initiative=initiative, kind="activity", title=f"Steg {number}"
    )
    indicator = make_indicator(member, initiative, name=f"Indikator {number}")
    for month in (3, 6):
        services.measurement_create(
            actor=member,
            indicator=indicator,
            value=Decimal(120 + number + month),
            date=datetime.date(2025, month, 1),
        )
    services.test_cycle_create(
        actor=member,
        initiative=initiative,
        indicators=[indicator],
        title=f"Test {number}",
        hypothesis="Fler lånar om vi har öppet på lördagar.",
        tried="Lördagsöppet",
        with_whom="Föreningen",
        started_on=datetime.date(2025, 1, 1),
    )
    analysis = make_analysis(member, initiative, title=f"SROI {number}")
    if publish:
        services.report_update(
            actor=member, initiative=initiative, what="Fler barn rör på sig.", sroi=analysis
        )
        publish_report(initiative)


@pytest.fixture
def grow(member):
    focus = make_initiative(member, title="Fritidsbanken Umeå")
    follow_up(member, focus, 0, publish=True)
    indicator = make_indicator(member, focus, name="Per åldersgrupp", breakdown="åldersgrupp")
    analysis = focus.sroi_analyses.get()

    def grow(first: int, count: int) -> None:
        for number in range(first, first + count):
            follow_up(member, focus, 100 + number, publish=False)
            services.measurement_create(
                actor=member,
                indicator=indicator,
                value=Decimal(number),
                date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number + 1),
                breakdown_value="7–12 år" if number % 2 else "",
            )
            services.input_create(
                actor=member,
                analysis=analysis,
                stakeholder=f"Intressent {number}",
                description="Tid",
                value=100,
            )
            other = make_initiative(
                member,
                title=f"Initiativ {number}",
                municipality=Municipality.objects.get(code=PLACES[number % 3]),
                challenges=[
                    term(Vocabulary.CHALLENGE, "integration"),
                    term(Vocabulary.CHALLENGE, "segregation"),
                ],
            )
            follow_up(member, other, number, publish=True)

    grow.focus, grow.indicator, grow.analysis = focus, indicator, analysis
    return grow


def test_follow_up_pages_and_totals(as_user, member, grow):
    focus = grow.focus
    base = f"/initiativ/{focus.slug}/effekt/"
    urls = [
        base,
        f"{base}forandringsteori/",
        f"{base}indikatorer/{grow.indicator.pk}/",
        f"{base}tester/",
        f"{base}sroi/{grow.analysis.pk}/",
        f"{base}sroi/{grow.analysis.pk}/export.xlsx",
        f"{base}rapport/",
        f"{base}export.xlsx",
        "/effekt/",
        "/effekt/export.xlsx",
        f"/api/v1/impact/initiatives/{focus.pk}",
        f"/api/v1/impact/indicators/{grow.indicator.pk}",
        f"/api/v1/impact/sroi/{grow.analysis.pk}",
        "/api/v1/impact/totals",
    ]
    assert_queries_do_not_grow(as_user(member), urls, grow)


def test_public_pages(as_user, grow):
    base = f"/initiativ/{grow.focus.slug}/effekt/"
    urls = [base, f"{base}rapport/", "/effekt/", "/api/v1/impact/totals"]
    assert_queries_do_not_grow(as_user(None), urls, grow)


@pytest.mark.parametrize("persona", [None, "member"])
def test_initiative_page_linking_to_the_report(request, as_user, grow, persona):
    client = as_user(request.getfixturevalue(persona) if persona else None)
    url = f"/initiativ/{grow.focus.slug}/"
    assert "/effekt/rapport/" in client.get(url).content.decode()  # also fills the caches
    assert_queries_do_not_grow(client, [url], grow)
