import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hjulet.core.models import AuditEntry
from hjulet.impact import selectors, services
from hjulet.impact.models import (
    ChangeElement,
    ImpactReport,
    Measurement,
    SroiInput,
    SroiOutcome,
    TestCycle,
)
from hjulet.knowledge.tests.factories import make_initiative

from .factories import make_analysis, make_indicator, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(member):
    return make_initiative(member, title="Fritidsbanken Umeå")


def test_theory_of_change_with_links_forward(member, initiative):
    activity = services.element_create(
        actor=member, initiative=initiative, kind="activity", title="Utlåning"
    )
    output = services.element_create(
        actor=member,
        initiative=initiative,
        kind="output",
        title="Lån per år",
        comes_from=[activity],
        stakeholders="barn, föräldrar",
    )
    assert list(activity.leads_to.all()) == [output]
    assert output.stakeholder_list == ["barn", "föräldrar"]
    assert AuditEntry.objects.filter(action="theory.element_create").count() == 2


def test_an_arrow_backwards_is_refused_and_nothing_saved(member, initiative):
    outcome = services.element_create(
        actor=member, initiative=initiative, kind="long_term", title="Bättre hälsa"
    )
    with pytest.raises(ValidationError) as error:
        services.element_create(
            actor=member,
            initiative=initiative,
            kind="activity",
            title="Utlåning",
            comes_from=[outcome],
        )
    assert "leads_to" in error.value.message_dict
    assert ChangeElement.objects.count() == 1


def test_indicator_status_follows_a_straight_line_from_baseline_to_target(member, initiative):
    """Baseline 100 on 2025-01-01, target 200 on 2027-01-01 (730 days). On 2026-01-01
    (365 days) the expected value is 100 + 100 × 365/730 = 150; only the latest
    measurement counts."""
    indicator = make_indicator(member, initiative)
    assert selectors.indicators_of(initiative)[0].status is None

    def record(value, date):
        services.measurement_create(
            actor=member, indicator=indicator, value=Decimal(value), date=date
        )
        return selectors.indicators_of(initiative)[0].status

    assert record(149, datetime.date(2026, 1, 1)) == "behind"
    # a day later the line expects 100 + 100 × 366/730 = 150.14
    assert record(150, datetime.date(2026, 1, 2)) == "behind"
    assert record(151, datetime.date(2026, 1, 3)) == "on_track"  # expects 150.27
    assert record(200, datetime.date(2026, 6, 1)) == "reached"


def test_lower_is_better_indicator(member, initiative):
    indicator = make_indicator(
        member,
        initiative,
        direction="lower",
        baseline_value=Decimal(40),
        target_value=Decimal(20),
    )
    services.measurement_create(
        actor=member, indicator=indicator, value=Decimal(25), date=datetime.date(2026, 1, 1)
    )
    # expected on 2026-01-01: 40 − 20 × 365/730 = 30; 25 is better than that
    assert selectors.indicators_of(initiative)[0].status == "on_track"


def test_measurement_before_baseline_is_refused_with_a_clear_message(member, initiative):
    indicator = make_indicator(member, initiative)
    with pytest.raises(ValidationError) as error:
        services.measurement_create(
            actor=member, indicator=indicator, value=Decimal(5), date=datetime.date(2024, 12, 31)
        )
    assert "före utgångsläget (2025-01-01)" in error.value.message_dict["date"][0]
    assert not Measurement.objects.exists()
    assert not AuditEntry.objects.filter(action="measurement.create").exists()


def test_impossible_measurements_are_refused(member, initiative):
    children = make_indicator(member, initiative)  # in "barn"
    share = make_indicator(
        member, initiative, name="Andel aktiva", unit="%", baseline_value=40, target_value=60
    )
    money = make_indicator(
        member, initiative, name="Resultat", unit="kr", baseline_value=-100, target_value=50
    )
    day = datetime.date(2025, 6, 1)
    cases = [
        (children, Decimal(-5), day, "value", "−5 barn är inte möjligt"),
        (share, Decimal("100.5"), day, "value", "100,5 % är inte möjligt"),
        (share, Decimal(-1), day, "value", "mellan 0 och 100"),
        (children, Decimal(5), datetime.date(2999, 1, 1), "date", "2999-01-01"),
    ]
    for indicator, value, date, field, words in cases:
        with pytest.raises(ValidationError) as error:
            services.measurement_create(actor=member, indicator=indicator, value=value, date=date)
        assert words in error.value.message_dict[field][0]
    assert not Measurement.objects.exists()
    services.measurement_create(actor=member, indicator=money, value=Decimal(-20), date=day)
    services.measurement_create(actor=member, indicator=share, value=Decimal(100), date=day)
    services.measurement_create(actor=member, indicator=children, value=0, date=day)
    assert Measurement.objects.count() == 3


def test_indicators_refuse_impossible_baselines_and_targets(member, initiative):
    with pytest.raises(ValidationError) as error:
        make_indicator(member, initiative, baseline_value=Decimal(-5))
    assert "baseline_value" in error.value.message_dict
    indicator = make_indicator(member, initiative, unit="%", baseline_value=10, target_value=90)
    with pytest.raises(ValidationError) as error:
        services.indicator_update(actor=member, indicator=indicator, target_value=Decimal(150))
    assert "target_value" in error.value.message_dict
    indicator.refresh_from_db()
    assert indicator.target_value == 90 and indicator.version == 1


def test_breakdown_value_needs_a_breakdown(member, initiative):
    indicator = make_indicator(member, initiative)
    with pytest.raises(ValidationError) as error:
        services.measurement_create(
            actor=member,
            indicator=indicator,
            value=Decimal(5),
            date=datetime.date(2025, 3, 1),
            breakdown_value="13–15 år",
        )
    assert "breakdown_value" in error.value.message_dict


def test_target_date_must_follow_the_baseline(member, initiative):
    with pytest.raises(ValidationError) as error:
        make_indicator(member, initiative, target_date=datetime.date(2024, 1, 1))
    assert "target_date" in error.value.message_dict


def test_test_cycle_links_only_own_indicators(member, coordinator, initiative):
    indicator = make_indicator(member, initiative)
    other = make_initiative(coordinator, lead=initiative.partners.first(), title="Annat")
    foreign = make_indicator(coordinator, other)
    fields = {
        "title": "Öppet på lördagar",
        "hypothesis": "Fler familjer lånar om vi har öppet på helgen.",
        "tried": "Lördagsöppet i tre månader.",
        "with_whom": "Familjer i Ersboda",
        "started_on": datetime.date(2025, 3, 1),
        "decision": "continue",
    }
    with pytest.raises(ValidationError):
        services.test_cycle_create(
            actor=member, initiative=initiative, indicators=[foreign], **fields
        )
    assert not TestCycle.objects.exists()
    cycle = services.test_cycle_create(
        actor=member, initiative=initiative, indicators=[indicator], **fields
    )
    assert list(cycle.indicators.all()) == [indicator]


def test_sroi_analysis_matches_the_hand_calculation(member, initiative):
    analysis = make_analysis(member, initiative)
    result = selectors.sroi_result(selectors.analysis_query().get(pk=analysis.pk))
    assert result.present_value == pytest.approx(1500)
    assert result.ratio == pytest.approx(1.5)
    assert result.payback_months == pytest.approx(12)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadweight": Decimal(101)}, "deadweight"),
        ({"attribution": Decimal(-1)}, "attribution"),
        ({"displacement": Decimal("100.5")}, "displacement"),
        ({"drop_off": Decimal(-5)}, "drop_off"),
        ({"quantity": Decimal(-3)}, "quantity"),
        ({"duration": 0}, "duration"),
    ],
)
def test_bad_sroi_outcome_is_refused_and_nothing_saved(member, initiative, change, field):
    analysis = services.analysis_create(actor=member, initiative=initiative, title="SROI")
    fields = {
        "name": "Fler i arbete",
        "quantity": Decimal(4),
        "proxy_value": Decimal(500),
        "proxy_source": "SCB",
        "duration": 2,
    }
    with pytest.raises(ValidationError) as error:
        services.outcome_create(
            actor=member, analysis=analysis, stakeholder="Deltagare", **{**fields, **change}
        )
    assert field in error.value.message_dict
    assert not SroiOutcome.objects.exists()
    assert not analysis.stakeholders.exists()


def test_percent_messages_are_clear(member, initiative):
    analysis = services.analysis_create(actor=member, initiative=initiative, title="SROI")
    with pytest.raises(ValidationError) as error:
        services.outcome_create(
            actor=member,
            analysis=analysis,
            stakeholder="X",
            name="Y",
            quantity=1,
            proxy_value=1,
            proxy_source="Z",
            duration=0,
            attribution=Decimal(120),
        )
    assert error.value.message_dict["attribution"] == ["Ange en procentsats mellan 0 och 100."]
    assert error.value.message_dict["duration"] == ["Varaktigheten måste vara minst ett år."]


def test_negative_input_and_discount_rate_out_of_range(member, initiative):
    with pytest.raises(ValidationError) as error:
        services.analysis_create(
            actor=member, initiative=initiative, title="SROI", discount_rate=Decimal(101)
        )
    assert "discount_rate" in error.value.message_dict
    analysis = services.analysis_create(actor=member, initiative=initiative, title="SROI")
    assert analysis.discount_rate == Decimal("3.5")
    with pytest.raises(ValidationError) as error:
        services.input_create(
            actor=member, analysis=analysis, stakeholder="K", description="Pengar", value=-1
        )
    assert "value" in error.value.message_dict
    assert not SroiInput.objects.exists()


def test_report_publish_needs_content_and_cannot_be_repeated(member, initiative):
    with pytest.raises(ValidationError):
        publish(initiative)
    assert not ImpactReport.objects.filter(is_published=True).exists()
    services.report_update(actor=member, initiative=initiative, what="Fler barn rör på sig.")
    report = publish(initiative)
    assert report.is_published and report.published_at is not None
    with pytest.raises(ValidationError):
        publish(initiative)
    publish(initiative, publish=False)
    assert not ImpactReport.objects.get().is_published


def test_report_update_refuses_a_stale_version(member, initiative):
    report = services.report_update(actor=member, initiative=initiative, what="A")
    services.report_update(
        actor=member, initiative=initiative, expected_version=report.version, what="B"
    )
    with pytest.raises(ValidationError):
        services.report_update(
            actor=member, initiative=initiative, expected_version=report.version, what="C"
        )
    assert ImpactReport.objects.get().what == "B"


@pytest.mark.parametrize("persona", ["outsider", "resident", "researcher", "moderator", None])
def test_only_partners_and_coordinators_may_write(request, member, initiative, persona):
    actor = request.getfixturevalue(persona) if persona else None
    with pytest.raises(PermissionDenied):
        services.element_create(actor=actor, initiative=initiative, kind="activity", title="X")
    with pytest.raises(PermissionDenied):
        make_indicator(actor, initiative)
    with pytest.raises(PermissionDenied):
        services.analysis_create(actor=actor, initiative=initiative, title="X")
    with pytest.raises(PermissionDenied):
        services.report_update(actor=actor, initiative=initiative, what="X")


def test_coordinator_and_org_admin_may_write(coordinator, org_admin, initiative):
    make_indicator(coordinator, initiative)
    services.report_update(actor=org_admin, initiative=initiative, what="X")


def test_totals_count_only_published_reports(member, initiative):
    make_indicator(member, initiative)
    make_analysis(member, initiative)
    assert selectors.totals()["overall"].initiatives == 0
    services.report_update(actor=member, initiative=initiative, what="Mer rörelse.")
    publish(initiative)
    totals = selectors.totals()
    assert totals["overall"].initiatives == 1
    assert totals["overall"].indicators == 1
    assert totals["overall"].ratio == pytest.approx(1.5)
    assert [t.label for t in totals["by_county"]] == [initiative.municipality.county.name]


def test_a_double_submitted_measurement_is_refused(member, initiative):
    indicator = make_indicator(member, initiative, breakdown="åldersgrupp")
    fields = {"value": Decimal(120), "date": datetime.date(2025, 6, 1)}
    services.measurement_create(actor=member, indicator=indicator, **fields)
    with pytest.raises(ValidationError) as error:
        services.measurement_create(actor=member, indicator=indicator, **fields)
    assert error.value.error_dict["date"][0].code == "duplicate"
    # the same date for one age group is another measurement
    services.measurement_create(
        actor=member, indicator=indicator, breakdown_value="7–12 år", **fields
    )
    assert Measurement.objects.count() == 2
