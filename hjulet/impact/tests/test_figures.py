"""The totals read each initiative's stored figures (``ImpactFigures``), which the impact
services keep up to date inside their transactions. After every kind of write the totals
must equal, exactly, a computation from scratch."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hjulet.core.models import Municipality, Term, Vocabulary
from hjulet.impact import selectors, services
from hjulet.impact.models import ImpactFigures
from hjulet.knowledge.tests.factories import make_initiative

from .factories import make_analysis, make_indicator, publish

pytestmark = pytest.mark.django_db


def plain(totals: dict) -> dict:
    def group(t):
        figures = {k: v for k, v in dataclasses.asdict(t).items() if k != "seen"}
        return {**figures, "ratio": t.ratio}

    return {
        "overall": group(totals["overall"]),
        "by_challenge": [group(t) for t in totals["by_challenge"]],
        "by_county": [group(t) for t in totals["by_county"]],
        "rows": [(i.pk, i.title, dataclasses.asdict(f)) for i, f in totals["rows"]],
    }


def assert_up_to_date() -> dict:
    """The stored totals equal those computed from scratch (floats exactly, not about),
    and every stored row equals its initiative's figures computed now."""
    stored, fresh = plain(selectors.totals()), plain(selectors.totals(from_scratch=True))
    assert stored == fresh
    rows = {f.pk: f for f in map(_figures_of_row, ImpactFigures.objects.all())}
    assert rows == selectors.compute_figures(list(rows))
    return stored


def _figures_of_row(row: ImpactFigures) -> selectors.Figures:
    names = [f.name for f in dataclasses.fields(selectors.Figures) if f.name != "pk"]
    return selectors.Figures(pk=row.initiative_id, **{n: getattr(row, n) for n in names})


def challenge(code: str) -> Term:
    return Term.objects.in_vocabulary(Vocabulary.CHALLENGE).get(code=code)


@pytest.fixture
def two(member):
    codes = list(
        Term.objects.in_vocabulary(Vocabulary.CHALLENGE).values_list("code", flat=True)[:2]
    )
    umea = make_initiative(member, title="Fritidsbanken Umeå", challenges=[challenge(codes[0])])
    lund = make_initiative(
        member,
        title="Läxhjälp Lund",
        municipality=Municipality.objects.get(code="1281"),
        challenges=[challenge(codes[0]), challenge(codes[1])],
    )
    return umea, lund


def measure(member, indicator, value, day):
    return services.measurement_create(
        actor=member, indicator=indicator, value=Decimal(value), date=day
    )


def test_totals_follow_every_write_exactly(member, two):
    umea, lund = two
    day = datetime.date(2025, 6, 1)
    # Reports being prepared: nothing counts yet, but the figures are kept already.
    children = make_indicator(member, umea)
    assert ImpactFigures.objects.get(initiative=umea).indicators == 1
    first = measure(member, children, 120, day)
    analysis = make_analysis(member, umea)
    services.report_update(actor=member, initiative=umea, what="Fler barn rör sig.")
    assert assert_up_to_date()["overall"]["initiatives"] == 0

    # Publish: counted, with its indicator, status and SROI.
    publish(umea)
    totals = assert_up_to_date()
    assert totals["overall"]["initiatives"] == 1
    assert totals["overall"]["ratio"] == 1.5

    lower = make_indicator(
        member, lund, name="Avhopp", direction="lower", baseline_value=50, target_value=10
    )
    measure(member, lower, 5, day)  # reached at once
    services.report_update(actor=member, initiative=lund, what="Färre hoppar av.")
    publish(lund)
    totals = assert_up_to_date()
    assert totals["overall"]["reached"] == 1
    assert [g["initiatives"] for g in totals["by_challenge"]] == [2, 1]
    assert len(totals["by_county"]) == 2

    # Measurements: a new latest one changes the status; removing it changes it back.
    reached = measure(member, children, 250, datetime.date(2025, 9, 1))
    assert assert_up_to_date()["overall"]["reached"] == 2
    services.measurement_delete(actor=member, measurement=reached)
    assert assert_up_to_date()["overall"]["reached"] == 1
    services.measurement_delete(actor=member, measurement=first)
    assert_up_to_date()

    # Indicators: a new target, another indicator, one removed.
    children.refresh_from_db()
    services.indicator_update(actor=member, indicator=children, target_value=Decimal(110))
    measure(member, children, 115, day)
    assert assert_up_to_date()["overall"]["reached"] == 2
    extra = make_indicator(member, umea, name="Föräldrar som lånar")
    assert assert_up_to_date()["overall"]["indicators"] == 3
    services.indicator_delete(actor=member, indicator=extra)
    assert assert_up_to_date()["overall"]["indicators"] == 2

    # SROI: the discount rate, inputs and outcomes, another analysis chosen for the report.
    analysis.refresh_from_db()
    services.analysis_update(actor=member, analysis=analysis, discount_rate=Decimal("3.5"))
    totals = assert_up_to_date()
    assert totals["overall"]["ratio"] != 1.5
    item = services.input_create(
        actor=member, analysis=analysis, stakeholder="Regionen", description="Lokal", value=500
    )
    assert_up_to_date()
    services.input_delete(actor=member, item=item)
    outcome = analysis.outcomes.get()
    services.outcome_update(actor=member, outcome=outcome, quantity=Decimal(7))
    assert_up_to_date()
    other = make_analysis(member, lund, title="SROI Lund")
    assert_up_to_date()
    services.outcome_delete(actor=member, outcome=other.outcomes.get())
    assert_up_to_date()
    newer = make_analysis(member, umea, title="SROI 2026")
    services.report_update(actor=member, initiative=umea, sroi=analysis)  # the older one
    assert assert_up_to_date()["rows"][0][2]["ratio"] == selectors.sroi_result(analysis).ratio
    services.report_update(actor=member, initiative=umea, sroi=newer)
    assert assert_up_to_date()["rows"][0][2]["ratio"] == 1.5

    # Test cycles.
    services.test_cycle_create(
        actor=member,
        initiative=lund,
        title="Kvällsöppet",
        hypothesis="Fler kommer på kvällen.",
        tried="Öppet till nio.",
        with_whom="Tio familjer.",
        started_on=day,
    )
    assert assert_up_to_date()["overall"]["test_cycles"] == 1

    # Withdrawn and published again; the initiative's own changes are read as they are.
    publish(umea, publish=False)
    totals = assert_up_to_date()
    assert totals["overall"]["initiatives"] == 1
    assert [r[1] for r in totals["rows"]] == ["Läxhjälp Lund"]
    publish(umea)
    assert assert_up_to_date()["overall"]["initiatives"] == 2
    lund.delete()
    assert not ImpactFigures.objects.filter(initiative_id=lund.pk).exists()
    assert assert_up_to_date()["overall"]["initiatives"] == 1


def test_a_refused_write_leaves_the_figures(member, two):
    umea, _lund = two
    indicator = make_indicator(member, umea)
    measure(member, indicator, 120, datetime.date(2025, 6, 1))
    before = ImpactFigures.objects.get(initiative=umea).reached
    with pytest.raises(Exception):  # noqa: B017 - a duplicate: refused, rolled back
        measure(member, indicator, 250, datetime.date(2025, 6, 1))
    assert ImpactFigures.objects.get(initiative=umea).reached == before
    assert_up_to_date()


def test_figures_missing_from_older_data_are_computed(member, two):
    """Rows written before the figures were stored (or in bulk) have none: the totals
    compute those and still equal the computation from scratch."""
    _umea, lund = two
    for initiative in two:
        make_indicator(member, initiative)
        make_analysis(member, initiative)
        services.report_update(actor=member, initiative=initiative, what="Mer rörelse.")
        publish(initiative)
    ImpactFigures.objects.filter(initiative=lund).delete()
    assert plain(selectors.totals()) == plain(selectors.totals(from_scratch=True))
    assert ImpactFigures.objects.filter(initiative=lund).exists()  # stored for next time
    assert_up_to_date()


def test_totals_read_few_queries_however_many_reports(member, two):
    for initiative in two:
        make_indicator(member, initiative)
        make_analysis(member, initiative)
        services.report_update(actor=member, initiative=initiative, what="Mer rörelse.")
        publish(initiative)
    with CaptureQueriesContext(connection) as queries:
        selectors.totals()
    # terms, counties, initiatives, their challenges, the stored figures
    assert len(queries) == 5


def test_the_totals_page_lists_the_initiatives_one_follows_up(member, org_admin, outsider, two):
    from django.contrib.auth.models import AnonymousUser

    both = {i.pk for i in two}
    # The one who registered them is a named editor; the lead's administrator follows up.
    assert {i.pk for i in selectors.initiatives_to_follow_up(member)} == both
    assert {i.pk for i in selectors.initiatives_to_follow_up(org_admin)} == both
    assert selectors.initiatives_to_follow_up(outsider) == []
    assert selectors.initiatives_to_follow_up(AnonymousUser()) == []
