"""The value-mapping table of the imports: what a value written in a file means in one of
Hjulet's vocabularies (a term, or skipped).

``ValueMap`` reads the whole table once per file. Coordinators keep the table with
``value_mapping_set`` and ``value_mapping_delete`` (permission, validation, transaction,
audit entry), from the page and the API alike. ``load_value_mappings`` seeds it with the
common values of Participedia's export (reference data; a value a coordinator has set is
never changed).
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hjulet.core import audit
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import require_coordinator
from hjulet.lib.text import fold

from .models import ImportValueMapping

SEEDS = Path(__file__).resolve().parent / "data" / "import_value_mappings.json"
#: The vocabularies a mapping may point into.
MAPPED_VOCABULARIES = (Vocabulary.CHALLENGE, Vocabulary.TARGET_GROUP, Vocabulary.SDG)
MAPPING_FIELDS = ("source", "value", "term")


def value_key(value: str) -> str:
    """How values are compared: " Mental_Health" and "mental health" are the same."""
    return " ".join(fold(value).casefold().replace("_", " ").split())


class ValueMap:
    """The table, read once: (source, vocabulary slug, value) → (known, term or None)."""

    def __init__(self, rows: dict[tuple[str, str, str], Term | None]) -> None:
        self.rows = rows

    @classmethod
    def load(cls) -> "ValueMap":
        mappings = ImportValueMapping.objects.select_related("vocabulary", "term__vocabulary")
        return cls({(m.source, m.vocabulary.slug, m.key): m.term for m in mappings})

    def term(self, source: str, vocabulary: str, value: str) -> tuple[bool, Term | None]:
        key = (source, vocabulary, value_key(value))
        if key not in self.rows:
            return False, None
        return True, self.rows[key]


# --- selectors --------------------------------------------------------------------------


def value_mappings(source: str | None = None) -> QuerySet[ImportValueMapping]:
    found = ImportValueMapping.objects.select_related("vocabulary", "term")
    return found.filter(source=source) if source else found


def mapping_terms() -> QuerySet[Term]:
    return (
        Term.objects.filter(vocabulary__slug__in=MAPPED_VOCABULARIES)
        .active()
        .select_related("vocabulary")
        .order_by("vocabulary__position", "position", "label_sv")
    )


# --- services ---------------------------------------------------------------------------


def mapping_snapshot(mapping: ImportValueMapping) -> dict[str, Any]:
    """What the audit log and the API say of a mapping."""
    return {
        "source": mapping.source,
        "vocabulary": mapping.vocabulary.slug,
        "value": mapping.value,
        "term": mapping.term.code if mapping.term_id else None,
    }


@transaction.atomic
def value_mapping_set(
    *, actor: Any, source: str, vocabulary: Vocabulary, value: str, term: Term | None
) -> ImportValueMapping:
    """Say what ``value`` means in ``vocabulary`` when a file from ``source`` has it: the
    term, or None to skip it. Replaces what the table said before."""
    require_coordinator(actor)
    value = " ".join((value or "").split())
    errors = {}
    if source not in ImportValueMapping.Source.values:
        errors["source"] = _("Unknown source “%(source)s”.") % {"source": source}
    if not value_key(value):
        errors["value"] = _("Fill in the value as the file writes it.")
    elif len(value) > 200:
        errors["value"] = _("The value may be at most 200 characters.")
    if vocabulary.slug not in MAPPED_VOCABULARIES:
        errors["vocabulary"] = _("Values can only be mapped to challenges, target groups or goals.")
    elif term is not None and term.vocabulary_id != vocabulary.pk:
        errors["term"] = _("“%(term)s” is not in the vocabulary %(vocabulary)s.") % {
            "term": term.label,
            "vocabulary": vocabulary.name,
        }
    if errors:
        raise ValidationError(errors)
    key = value_key(value)
    mapping = (
        ImportValueMapping.objects.select_for_update()
        .filter(source=source, vocabulary=vocabulary, key=key)
        .first()
    )
    before = mapping_snapshot(mapping) if mapping else None
    if mapping is None:
        mapping = ImportValueMapping(source=source, vocabulary=vocabulary, key=key)
    mapping.value, mapping.term = value, term
    mapping.save()
    after = mapping_snapshot(mapping)
    if before != after:
        audit.record(
            actor=actor,
            action="import.mapping_set",
            target=mapping,
            changes={k: [before[k] if before else None, v] for k, v in after.items()},
        )
    return mapping


@transaction.atomic
def value_mapping_delete(*, actor: Any, mapping: ImportValueMapping) -> None:
    require_coordinator(actor)
    audit.record(
        actor=actor,
        action="import.mapping_delete",
        target=mapping,
        changes={k: [v, None] for k, v in mapping_snapshot(mapping).items()},
    )
    mapping.delete()


@transaction.atomic
def load_value_mappings() -> int:
    """Seed the table from ``data/import_value_mappings.json``; return how many were added."""
    with open(SEEDS, encoding="utf-8") as handle:
        seeds = json.load(handle)
    vocabularies = {v.slug: v for v in Vocabulary.objects.filter(slug__in=MAPPED_VOCABULARIES)}
    terms = {(t.vocabulary.slug, t.code): t for t in mapping_terms()}
    existing = set(ImportValueMapping.objects.values_list("source", "vocabulary__slug", "key"))
    added = []
    for source in ImportValueMapping.Source.values:
        for slug, values in seeds.get(source, {}).items():
            vocabulary = vocabularies.get(slug)
            if vocabulary is None:
                continue
            for value, code in values.items():
                key = value_key(value)
                term = terms.get((slug, code)) if code else None
                if (source, slug, key) in existing or (code and term is None):
                    continue
                existing.add((source, slug, key))
                added.append(
                    ImportValueMapping(
                        source=source, vocabulary=vocabulary, value=value, key=key, term=term
                    )
                )
    ImportValueMapping.objects.bulk_create(added)
    return len(added)
