"""The audit log reads in words: phrases for actions, labels for fields, on/off for booleans,
names for linked objects and dates in the reader's language."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hjulet.core import audit, audit_words
from hjulet.core.models import AuditEntry, Municipality
from hjulet.core.tests.queries import assert_queries_do_not_grow
from hjulet.knowledge.tests.factories import make_initiative

HJULET = Path(settings.BASE_DIR) / "hjulet"

# Action codes that services build at run time, spelled out.
DYNAMIC_ACTIONS = {
    'f"advice_request.{kind}"': {"advice_request.note", "advice_request.meeting"},
    'f"survey.{new}"': {"survey.open", "survey.closed", "survey.draft"},
    'f"{entry._meta.model_name}.review"': {"initiative.review", "method.review"},
    'f"{field}.hide"': {"idea.hide", "comment.hide"},
    'f"{field}.moderate"': {"idea.moderate", "comment.moderate"},
    'f"{field}.report"': {"idea.report", "comment.report"},
}


def _service_sources() -> list[str]:
    return [
        path.read_text()
        for path in HJULET.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _recorded_actions() -> set[str]:
    found: set[str] = set()
    for source in _service_sources():
        for line in source.splitlines():
            if "action" in line or "_audit(" in line:
                found.update(re.findall(r'"([a-z_]+\.[a-z_]+)"', line))
        for written, actions in DYNAMIC_ACTIONS.items():
            if f"action={written}" in source:
                found.update(actions)
    return found


def _unlisted_dynamic_actions() -> set[str]:
    written = set()
    for source in _service_sources():
        written.update(re.findall(r'action=(f"[^"]+")', source))
    return written - set(DYNAMIC_ACTIONS)


def test_every_action_a_service_records_has_a_phrase():
    assert not _unlisted_dynamic_actions(), "spell out these action codes in DYNAMIC_ACTIONS"
    missing = sorted(_recorded_actions() - set(audit_words.ACTIONS))
    assert not missing, f"actions without a phrase in core/audit_words.ACTIONS: {missing}"


def _field_names() -> set[str]:
    return {
        field.name
        for model in apps.get_models()
        if model.__module__.startswith("hjulet.")
        for field in model._meta.get_fields()
    }


def test_every_recorded_key_that_is_no_field_has_a_label():
    keys: set[str] = set()
    for source in _service_sources():
        keys.update(re.findall(r'changes(?:=\{|\[)"([a-z_]+)"', source))
        keys.update(re.findall(r'^\s+"([a-z_]+)": \[(?:None|old|before|[a-z_.]+), ', source, re.M))
    unlabelled = sorted(keys - _field_names() - set(audit_words.EXTRA_LABELS))
    assert not unlabelled, f"keys without a label in core/audit_words.EXTRA_LABELS: {unlabelled}"


def _entry(action: str, target, changes) -> AuditEntry:
    return audit.record(actor=None, action=action, target=target, changes=changes)


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


def test_a_boolean_reads_as_on_and_off(db, swedish, organisation):
    from hjulet.surveys.models import Survey

    survey = Survey.objects.create(organisation=organisation, title="Medlemsenkät", slug="m")
    entry = _entry("survey.anonymous_link", survey, {"anonymous_link": [False, True]})
    [described] = audit_words.describe([entry])
    assert described.action == "Anonym länk ändrad"
    assert described.kind == "Enkät"
    [change] = described.changes
    assert (change.label, change.before, change.after) == ("Anonym länk", "av", "på")


def test_choices_links_numbers_dates_and_hidden_values(db, swedish, org_admin, reference_data):
    initiative = make_initiative(org_admin, title="Fritidsbanken i Umeå")
    umea = Municipality.objects.get(code="2480")
    entry = _entry(
        "initiative.update",
        initiative,
        {
            "language": ["sv", "en"],
            "municipality": [None, umea.pk],
            "participants_reached": [1200, 12500],
            "start_date": ["2026-03-06", "2026-12-06"],
            "password": ["***", "***"],
            "summary": ["", "x" * 500],
        },
    )
    [described] = audit_words.describe([entry])
    changes = {change.label: (change.before, change.after) for change in described.changes}
    assert changes["Språk"] == ("Svenska", "Engelska")
    assert changes["Kommun"] == ("–", "Umeå")
    assert changes["Deltagare som nåtts"] == ("1\xa0200", "12\xa0500")
    assert changes["Startade"] == ("6 mars 2026", "6 december 2026")
    assert changes["Lösenord"] == ("(dold)", "(dold)")
    before, after = changes["Sammanfattning"]
    assert before == "–" and after.startswith("xxx") and len(after) <= audit_words.LONGEST_VALUE


def test_a_removed_object_and_an_unknown_action_still_read(db, swedish, organisation):
    from hjulet.surveys.models import Survey

    survey = Survey.objects.create(organisation=organisation, title="Enkät", slug="e")
    entry = _entry("survey.something_new", survey, {"organisation": [organisation.pk + 999, None]})
    [described] = audit_words.describe([entry])
    assert described.action == "survey: something new"
    [change] = described.changes
    assert (change.before, change.after) == ("(borttagen)", "–")


def test_the_audit_log_page_reads_in_words_in_one_query_per_linked_kind(
    db, coordinator, org_admin, reference_data
):
    umea = Municipality.objects.get(code="2480")
    initiative = make_initiative(org_admin, title="Språkcafé i Umeå")
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    client.force_login(coordinator)
    url = reverse("core:audit-log")

    def grow(first: int, count: int) -> None:
        for _ in range(count):
            _entry("initiative.update", initiative, {"municipality": [None, umea.pk]})

    assert_queries_do_not_grow(client, url, grow)
    html = client.get(url).content.decode()
    assert "Initiativ ändrat" in html
    assert "initiative.update" not in html
    assert "municipality" not in html
    assert "→ Umeå" in html


def test_an_initiatives_history_names_what_changed(db, org_admin, reference_data):
    from hjulet.knowledge import services

    initiative = make_initiative(org_admin, title="Kooperativ lanthandel i Morjärv")
    services.initiative_update(
        actor=org_admin,
        initiative=initiative,
        expected_version=initiative.version,
        title="Kooperativ lanthandel i Morjärv och Svartbyn",
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    html = client.get(
        reverse("knowledge:initiative-detail", args=[initiative.slug])
    ).content.decode()
    history = html[html.index('class="history"') :]
    assert "Initiativ ändrat: titel" in history
    assert "initiative.update" not in history
