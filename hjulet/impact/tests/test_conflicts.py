"""Two people editing the same impact entry: the second, stale edit gets the conflict
message and the first edit is kept (theory of change, indicator, test cycle, SROI analysis
and SROI outcome; the impact report is tested in test_services)."""

import pytest

from hjulet.core.tests.conflicts import second_stale_edit_is_refused
from hjulet.impact import services
from hjulet.impact.models import (
    Indicator,
    SroiAnalysis,
    SroiOutcome,
    TestCycle,
    TheoryOfChange,
)
from hjulet.knowledge.tests.factories import make_initiative

from .factories import make_analysis, make_indicator, outcome_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(member):
    return make_initiative(member, title="Fritidsbanken Umeå")


@pytest.fixture
def editors(as_user, member, coordinator):
    return as_user(member), as_user(coordinator)


def base(initiative) -> str:
    return f"/initiativ/{initiative.slug}/effekt/"


def test_theory_of_change(editors, member, initiative):
    services.theory_update(actor=member, initiative=initiative, summary="Första versionen.")
    second_stale_edit_is_refused(
        *editors,
        base(initiative) + "forandringsteori/",
        {"summary": "Barn som lånar rör sig mer."},
        {"summary": "Skrivet över av den andra."},
    )
    assert (
        TheoryOfChange.objects.get(initiative=initiative).summary == "Barn som lånar rör sig mer."
    )


def indicator_data(name: str) -> dict:
    return {
        "name": name,
        "unit": "barn",
        "direction": "higher",
        "baseline_value": "100",
        "baseline_date": "2025-01-01",
        "target_value": "200",
        "target_date": "2027-01-01",
        "data_source": "Utlåningsregistret",
    }


def test_indicator(editors, member, initiative):
    indicator = make_indicator(member, initiative)
    second_stale_edit_is_refused(
        *editors,
        base(initiative) + f"indikatorer/{indicator.pk}/andra/",
        indicator_data("Barn som lånar"),
        indicator_data("Den andras namn"),
    )
    assert Indicator.objects.get(pk=indicator.pk).name == "Barn som lånar"


def cycle_data(title: str) -> dict:
    return {
        "title": title,
        "hypothesis": "Fler lånar.",
        "tried": "Öppet lördagar.",
        "with_whom": "Familjer",
        "started_on": "2025-03-01",
        "decision": "adjust",
    }


def test_test_cycle(editors, member, initiative):
    cycle = services.test_cycle_create(actor=member, initiative=initiative, **cycle_data("Start"))
    second_stale_edit_is_refused(
        *editors,
        base(initiative) + f"tester/{cycle.pk}/andra/",
        cycle_data("Lördagsöppet"),
        cycle_data("Söndagsöppet"),
    )
    assert TestCycle.objects.get(pk=cycle.pk).title == "Lördagsöppet"


def test_sroi_analysis_settings(editors, member, initiative):
    analysis = make_analysis(member, initiative)

    def data(title: str) -> dict:
        return {
            "form": "settings",
            "settings-title": title,
            "settings-period": "2025",
            "settings-discount_rate": "0",
            "settings-description": "",
        }

    second_stale_edit_is_refused(
        *editors,
        base(initiative) + f"sroi/{analysis.pk}/",
        data("SROI för 2025"),
        data("Den andras titel"),
        version_name="settings-version",
    )
    assert SroiAnalysis.objects.get(pk=analysis.pk).title == "SROI för 2025"


def test_sroi_outcome(editors, member, initiative):
    analysis = make_analysis(member, initiative)
    outcome = SroiOutcome.objects.get(analysis=analysis)
    second_stale_edit_is_refused(
        *editors,
        base(initiative) + f"sroi/{analysis.pk}/utfall/{outcome.pk}/andra/",
        outcome_form(),
        outcome_form(name="Den andras utfall"),
    )
    assert SroiOutcome.objects.get(pk=outcome.pk).name == "Fler i arbete"
