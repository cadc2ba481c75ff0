"""``changes``: one way for services to create, edit and delete a row with its audit entry,
here its options on their own (each app's service tests check the entries they write)."""

import pytest
from django.core.exceptions import ValidationError

from hjulet.core import changes
from hjulet.core.models import AuditEntry, County, Term, Vocabulary

pytestmark = pytest.mark.django_db

FIELDS = ("label_sv", "label_en")


@pytest.fixture
def vocabulary():
    return Vocabulary.objects.create(slug="test-words", name_sv="Testord", name_en="Test words")


@pytest.fixture
def term(vocabulary):
    return Term.objects.create(vocabulary=vocabulary, code="one", label_sv="ett", label_en="one")


def _entry(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


def test_create_audits_the_new_row(coordinator, vocabulary):
    term = Term(vocabulary=vocabulary, code="two", label_sv="två", label_en="two")
    changes.create(coordinator, term, FIELDS, action="term.test_create")
    entry = _entry("term.test_create")
    assert (entry.target_type, entry.target_id) == ("core.term", str(term.pk))
    assert entry.changes == {"label_sv": [None, "två"], "label_en": [None, "two"]}


def test_create_with_a_target_audits_that_object(coordinator, vocabulary):
    term = Term(vocabulary=vocabulary, code="two", label_sv="två", label_en="two")
    changes.create(
        coordinator,
        term,
        action="vocabulary.term_add",
        target=vocabulary,
        also={"term": [None, "two"]},
    )
    entry = _entry("vocabulary.term_add")
    assert (entry.target_type, entry.target_id) == ("core.vocabulary", str(vocabulary.pk))
    assert entry.changes == {"term": [None, "two"]}
    assert Term.objects.filter(code="two").exists()


def test_record_created_audits_a_row_saved_already(coordinator, term):
    changes.record_created(
        coordinator, term, FIELDS, action="term.test_record", also={"note": [None, "x"]}
    )
    entry = _entry("term.test_record")
    assert (entry.target_type, entry.target_id) == ("core.term", str(term.pk))
    assert entry.changes == {
        "label_sv": [None, "ett"],
        "label_en": [None, "one"],
        "note": [None, "x"],
    }


def test_edit_with_a_target_audits_that_object(coordinator, vocabulary, term):
    with changes.edit(
        coordinator, term, FIELDS, action="vocabulary.term_edit", target=vocabulary
    ) as change:
        change.assign({"label_en": "One"})
    entry = _entry("vocabulary.term_edit")
    assert entry.target_type == "core.vocabulary"
    assert entry.changes == {"label_en": ["one", "One"]}
    assert change.instance.version == 2


def test_lock_in_place_edits_the_callers_copy(coordinator, term):
    loaded = Term.objects.select_related("vocabulary").get(pk=term.pk)
    change = changes.update(
        coordinator,
        loaded,
        FIELDS,
        {"label_sv": "Ett"},
        action="term.test_update",
        expected_version=1,
        lock="in_place",
    )
    assert change.instance is loaded
    assert loaded.version == 2
    term.refresh_from_db()
    assert (term.label_sv, term.version) == ("Ett", 2)


def test_lock_in_place_checks_the_stored_version_not_the_copy(coordinator, term):
    stale = Term.objects.get(pk=term.pk)
    Term.objects.filter(pk=term.pk).update(version=2)
    with pytest.raises(ValidationError) as refused:
        changes.update(
            coordinator,
            stale,
            FIELDS,
            {"label_sv": "Ett"},
            action="term.test_update",
            expected_version=1,
            lock="in_place",
        )
    assert refused.value.code == "conflict"
    assert not AuditEntry.objects.filter(action="term.test_update").exists()


def test_lock_in_place_wants_a_version_when_one_is_required(coordinator, term):
    with pytest.raises(changes.PreconditionRequired):
        changes.update(
            coordinator,
            term,
            FIELDS,
            {"label_sv": "Ett"},
            action="term.test_update",
            expected_version=changes.MISSING_VERSION,
            lock="in_place",
        )


def test_delete_audits_then_deletes(coordinator, vocabulary, term):
    changes.delete(
        coordinator,
        term,
        action="vocabulary.term_remove",
        target=vocabulary,
        changes={"term": ["one", None]},
    )
    entry = _entry("vocabulary.term_remove")
    assert (entry.target_type, entry.target_label) == ("core.vocabulary", str(vocabulary))
    assert entry.changes == {"term": ["one", None]}
    assert not Term.objects.filter(pk=term.pk).exists()


def test_delete_without_a_target_names_the_row(coordinator, term):
    pk = term.pk
    changes.delete(coordinator, term, action="term.test_delete")
    entry = _entry("term.test_delete")
    assert (entry.target_type, entry.target_id, entry.changes) == ("core.term", str(pk), {})


def test_set_related_sets_the_rows_and_says_what_changed(north_hub):
    skane = County.objects.get(code="12")
    found = changes.set_related(north_hub, {"counties": [skane], "municipalities": None})
    assert found == {"counties": [["24", "25"], ["12"]]}
    assert list(north_hub.counties.all()) == [skane]
    assert changes.set_related(north_hub, {"counties": [skane]}) == {}


def test_set_related_names_the_rows_by_their_label(north_hub):
    found = changes.set_related(
        north_hub, {"counties": County.objects.filter(code="12")}, label="short_name"
    )
    assert found == {
        "counties": [
            sorted(
                County.objects.filter(code__in=["24", "25"]).values_list("short_name", flat=True)
            ),
            [County.objects.get(code="12").short_name],
        ]
    }


def test_locked_reads_afresh_and_refuses_a_stale_version(term):
    Term.objects.filter(pk=term.pk).update(label_sv="Ett", version=2)
    fresh = changes.locked(term, 2)
    assert (fresh.label_sv, fresh.version) == ("Ett", 2)
    with pytest.raises(ValidationError):
        changes.locked(term, 1)
