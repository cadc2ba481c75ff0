"""``freshness``: what the workers compute once and keep goes stale after a committed write
in any process (the generation in the database), at once in the process that wrote, and
never after a write that was rolled back."""

import datetime

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hjulet.core import audit, freshness
from hjulet.core.models import ContentGeneration, Municipality
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.tests.factories import make_initiative

pytestmark = pytest.mark.django_db


class Counted:
    """A computation that says how often it ran."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        return self.runs


def _stored() -> int:
    return ContentGeneration.objects.filter(pk=freshness.GENERATION_PK).first().value


def _written_by_another_process(*target_types: str) -> None:
    """What another worker's commit of a write to ``target_types`` leaves behind: the stored
    generations moved on, this process's own counters untouched."""
    freshness._bump(freshness.rows_moved_by(*target_types))


def test_a_value_is_computed_once_until_another_process_writes():
    compute = Counted()
    assert freshness.cached("test:counted", compute) == 1
    assert freshness.cached("test:counted", compute) == 1
    _written_by_another_process()
    assert freshness.cached("test:counted", compute) == 2
    assert compute.runs == 2


def test_values_are_kept_per_name_and_language():
    compute = Counted()
    assert freshness.cached("test:a", compute) == 1
    assert freshness.cached("test:b", compute) == 2
    with translation.override("en"):
        assert freshness.cached("test:a", compute) == 3
    assert freshness.cached("test:a", compute) == 1


def test_a_new_day_computes_anew(monkeypatch):
    compute = Counted()
    freshness.cached("test:daily", compute)
    monkeypatch.setattr(
        freshness.timezone, "localdate", lambda: datetime.date.today() + datetime.timedelta(1)
    )
    assert freshness.cached("test:daily", compute) == 2


def test_an_audited_write_moves_the_stored_generation_on_when_it_commits(
    coordinator, django_capture_on_commit_callbacks
):
    before = _stored()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        audit.record(actor=coordinator, action="test.write", target=coordinator)
    assert _stored() == before  # not before the commit: others would read the old rows
    for callback in callbacks:
        callback()
    assert _stored() == before + 1


def test_a_bulk_audit_moves_it_on_too(coordinator, django_capture_on_commit_callbacks):
    before = _stored()
    with django_capture_on_commit_callbacks(execute=True):
        audit.record_many(actor=coordinator, action="test.many", entries=[(coordinator, {})])
    assert _stored() == before + 1


def test_a_write_that_is_rolled_back_leaves_the_stored_generation(
    coordinator, django_capture_on_commit_callbacks
):
    before = _stored()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        audit.record(actor=coordinator, action="test.write", target=coordinator)
        raise RuntimeError("refused")
    assert _stored() == before


def test_the_writing_process_sees_its_change_before_the_commit(coordinator):
    compute = Counted()
    freshness.cached("test:local", compute)
    audit.record(actor=coordinator, action="test.write", target=coordinator)  # no commit yet
    assert freshness.cached("test:local", compute) == 2


def test_the_generation_row_is_made_again_when_missing():
    ContentGeneration.objects.all().delete()  # a flushed database
    assert freshness.generation().startswith("0.")
    freshness._bump()
    assert _stored() == 1


def test_the_start_page_shows_a_new_initiative_at_once(client, org_admin):
    client.get(reverse("site:home"))
    make_initiative(org_admin, title="Cykelköket på Haga")
    assert "Cykelköket på Haga" in client.get(reverse("site:home")).content.decode()


def test_the_start_page_shows_another_process_s_write(client, org_admin):
    make_initiative(org_admin, title="Läxhjälp i Ersboda")
    assert "Läxhjälp i Ersboda" in client.get(reverse("site:home")).content.decode()
    # Another worker renamed it: this process only sees the stored generation move on.
    Initiative.objects.update(title="Läxhjälp på Ålidhem")
    assert "Läxhjälp i Ersboda" in client.get(reverse("site:home")).content.decode()
    _written_by_another_process("knowledge.initiative")
    assert "Läxhjälp på Ålidhem" in client.get(reverse("site:home")).content.decode()


@override_settings(PAGE_CACHE_SECONDS=0)  # the counts' own cache, not the whole page's
def test_filtered_facet_counts_follow_a_change_in_another_process(client, org_admin):
    make_initiative(org_admin)
    url = reverse("knowledge:initiative-list") + "?county=24"
    assert client.get(url).context["facets"]["county"][0]["count"] == 1
    second = make_initiative(org_admin, title="Läxhjälp på Ålidhem")
    assert client.get(url).context["facets"]["county"][0]["count"] == 2
    Initiative.objects.filter(pk=second.pk).update(
        municipality=Municipality.objects.get(code="0180")
    )
    assert client.get(url).context["facets"]["county"][0]["count"] == 2  # cached
    _written_by_another_process("surveys.response")  # not what the facets count
    assert client.get(url).context["facets"]["county"][0]["count"] == 2
    _written_by_another_process("knowledge.initiative")
    assert client.get(url).context["facets"]["county"][0]["count"] == 1


def test_a_value_kept_in_the_process_is_the_same_object_until_a_write(coordinator):
    compute = Counted()
    first = freshness.kept_in_process("test:kept", lambda: [compute()])
    assert freshness.kept_in_process("test:kept", lambda: [compute()]) is first
    with translation.override("en"):  # one value whatever the language
        assert freshness.kept_in_process("test:kept", lambda: [compute()]) is first
    _written_by_another_process()
    assert freshness.kept_in_process("test:kept", lambda: [compute()]) == [2]
    with transaction.atomic():
        audit.record(actor=coordinator, action="test.write", target=coordinator)
        assert freshness.kept_in_process("test:kept", lambda: [compute()]) == [3]
    assert compute.runs == 3


def test_a_value_kept_in_the_process_lives_at_most_its_seconds(monkeypatch):
    compute = Counted()
    now = [1000.0]
    monkeypatch.setattr(freshness.time, "monotonic", lambda: now[0])
    assert freshness.kept_in_process("test:aged", compute, seconds=60) == 1
    now[0] += 59
    assert freshness.kept_in_process("test:aged", compute, seconds=60) == 1
    now[0] += 2
    assert freshness.kept_in_process("test:aged", compute, seconds=60) == 2


def test_forgetting_what_the_process_keeps():
    compute = Counted()
    assert freshness.kept_in_process("test:forgotten", compute) == 1
    freshness.forget_in_process()
    assert freshness.kept_in_process("test:forgotten", compute) == 2


def test_a_request_reads_the_generation_once(client, org_admin):
    make_initiative(org_admin, title="Fritidsbanken Umeå")
    url = reverse("knowledge:initiative-list") + "?county=24&q=fritidsbanken"
    table = ContentGeneration._meta.db_table

    def generation_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return sum(table in query["sql"] for query in queries.captured_queries)

    assert generation_reads() == 1  # page cache key, facet index and kept values share it
    _written_by_another_process()
    page = client.get(url)
    assert page.context is not None  # rendered again: the other process's write shows
    assert freshness._read_in_request.get() is None  # nothing is left behind the request


def test_a_watched_scope_moves_only_on_writes_to_its_models(coordinator, organisation):
    freshness.watch("test:organisations", ["accounts.organisation"])
    try:
        compute = Counted()
        kept = freshness.kept_in_process("test:scoped", compute, scope="test:organisations")
        everything = freshness.generation()
        audit.record(actor=coordinator, action="test.write", target=coordinator)
        assert freshness.generation() != everything  # every write moves the whole
        assert freshness.kept_in_process("test:scoped", compute, scope="test:organisations") == kept
        audit.record(actor=coordinator, action="test.write", target=organisation)
        assert freshness.kept_in_process("test:scoped", compute, scope="test:organisations") == 2
        freshness.changed(scope="test:organisations")  # a write the audit log does not name
        assert freshness.kept_in_process("test:scoped", compute, scope="test:organisations") == 3
        _written_by_another_process("accounts.user")
        assert freshness.kept_in_process("test:scoped", compute, scope="test:organisations") == 3
        _written_by_another_process("accounts.organisation")
        assert freshness.kept_in_process("test:scoped", compute, scope="test:organisations") == 4
    finally:
        del freshness._watched["test:organisations"]


def test_a_bulk_record_moves_the_scopes_of_its_targets(coordinator, organisation):
    freshness.watch("test:organisations", ["accounts.organisation"])
    try:
        before = freshness.generation("test:organisations")
        audit.record_many(actor=coordinator, action="test.many", entries=[(coordinator, {})])
        assert freshness.generation("test:organisations") == before
        audit.record_many(actor=coordinator, action="test.many", entries=[(organisation, {})])
        assert freshness.generation("test:organisations") != before
    finally:
        del freshness._watched["test:organisations"]
