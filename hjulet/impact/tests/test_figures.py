"""The totals read each initiative's stored figures (``ImpactFigures``), which the impact
services keep up to date inside their transactions. After every kind of write the totals
(which the database adds up) must equal a computation from scratch."""

import dataclasses
import datetime
import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client, override_settings
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
    }


def assert_same_totals(stored: dict, fresh: dict) -> None:
    """The database's sums equal those added up here: counts exactly, and the sums of
    floats (present values, inputs, the ratio) but for the last bits, which depend on the
    order the database adds in."""
    assert stored.keys() == fresh.keys()
    for kind in stored:
        ours, theirs = (g if isinstance(g, list) else [g] for g in (stored[kind], fresh[kind]))
        assert [g["code"] for g in ours] == [g["code"] for g in theirs], kind
        for mine, expected in zip(ours, theirs, strict=True):
            assert mine.keys() == expected.keys()
            for name, value in expected.items():
                if isinstance(value, float):
                    assert mine[name] == pytest.approx(value, rel=1e-12, abs=1e-9), name
                    assert isinstance(mine[name], float), name
                else:
                    assert mine[name] == value, (kind, name)


def assert_up_to_date() -> dict:
    """The totals summed from the stored figures equal those computed from scratch, as
    the API shows them too; each published initiative's stored row (its row on the page)
    equals its figures computed now, exactly; and every stored row does."""
    scratch = selectors.totals(from_scratch=True)
    stored, fresh = plain(selectors.totals()), plain(scratch)
    assert_same_totals(stored, fresh)
    api = Client().get("/api/v1/impact/totals").json()
    assert api["overall"]["initiatives"] == fresh["overall"]["initiatives"]
    ratio = fresh["overall"]["ratio"]
    assert api["overall"]["ratio"] == (None if ratio is None else pytest.approx(ratio, rel=1e-12))
    assert [g["code"] for g in api["by_county"]] == [g["code"] for g in fresh["by_county"]]
    published = list(selectors.published_reports())
    figures = selectors.stored_figures([i.pk for i in published])
    page_rows = [(i.pk, i.title, dataclasses.asdict(figures[i.pk])) for i in published]
    fresh["rows"] = [(i.pk, i.title, dataclasses.asdict(f)) for i, f in scratch["rows"]]
    assert page_rows == fresh["rows"]
    rows = {f.pk: f for f in map(_figures_of_row, ImpactFigures.objects.all())}
    assert rows == selectors.compute_figures(list(rows))
    return fresh


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


@override_settings(PAGE_CACHE_SECONDS=0)  # the API is read anew after each write below
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
    assert_same_totals(plain(selectors.totals()), plain(selectors.totals(from_scratch=True)))
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
    # terms, counties, published reports without stored figures, and the sums of the
    # stored figures in all, per county and per challenge
    assert len(queries) == 6


def test_the_totals_page_lists_the_initiatives_one_follows_up(member, org_admin, outsider, two):
    from django.contrib.auth.models import AnonymousUser

    both = {i.pk for i in two}
    # The one who registered them is a named editor; the lead's administrator follows up.
    assert {i.pk for i in selectors.initiatives_to_follow_up(member)} == both
    assert {i.pk for i in selectors.initiatives_to_follow_up(org_admin)} == both
    assert selectors.initiatives_to_follow_up(outsider) == []
    assert selectors.initiatives_to_follow_up(AnonymousUser()) == []


def _publish_both(member, two) -> None:
    for initiative in two:
        make_indicator(member, initiative)
        make_analysis(member, initiative)
        services.report_update(actor=member, initiative=initiative, what="Mer rörelse.")
        publish(initiative)


def test_the_page_and_the_api_show_a_change_at_once(client, member, two):
    """Nothing is cached: the next request after a publication or a withdrawal (in this
    process, and in any other, since the sums are read from the database) shows it."""
    umea, _lund = two
    _publish_both(member, two)
    page = client.get("/effekt/").content.decode()
    assert "<strong>2</strong>" in page and "Fritidsbanken Umeå" in page
    assert client.get("/api/v1/impact/totals").json()["overall"]["initiatives"] == 2
    publish(umea, publish=False)
    page = client.get("/effekt/").content.decode()
    assert "<strong>1</strong>" in page and "Fritidsbanken Umeå" not in page
    assert client.get("/api/v1/impact/totals").json()["overall"]["initiatives"] == 1
    indicator = make_indicator(member, umea, name="Föräldrar som lånar")
    publish(umea)
    api = client.get("/api/v1/impact/totals").json()
    assert api["overall"]["indicators"] == 3 and indicator.initiative_id == umea.pk
    assert_up_to_date()


def test_the_initiatives_table_comes_a_page_at_a_time(client, member, two, monkeypatch):
    """The per-initiative table is paginated; the totals in all, per challenge and per
    county still count every initiative on every page; a page that is no number or beyond
    the last is the first or the last page, never an error."""
    overview = importlib.import_module("hjulet.impact.views.overview")  # not the view
    _publish_both(member, two)
    monkeypatch.setattr(overview, "TOTALS_PAGE_SIZE", 1)
    first = client.get("/effekt/").content.decode()
    assert "Fritidsbanken Umeå" in first and "Läxhjälp Lund" not in first
    assert "Sida 1 av 2" in first and "?page=2" in first
    second = client.get("/effekt/?page=2").content.decode()
    assert "Läxhjälp Lund" in second and "Fritidsbanken Umeå" not in second
    for page in (first, second):
        assert "<strong>2</strong>" in page  # the totals in all
        assert "Västerbottens län" in page and "Skåne län" in page  # the per-county table
    for query, shown in (
        ("abc", "Fritidsbanken Umeå"),
        ("99999", "Läxhjälp Lund"),
        ("-1", "Läxhjälp Lund"),
        ("", "Fritidsbanken Umeå"),
    ):
        response = client.get("/effekt/", {"page": query})
        assert response.status_code == 200, query
        assert f'lang="sv">{shown}</a></th>' in response.content.decode(), query
