"""The facets of the list of initiatives: counted, cached, forgotten and chosen."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hjulet.core import freshness
from hjulet.core.models import County, Municipality, Term
from hjulet.lib import countries
from hjulet.lib.text import fold

from ..models import Method
from .facet_index import SCOPE, FacetIndex, Label, facet_index
from .lists import (
    FACET_FIELDS,
    INTERNATIONAL,
    InitiativeFilters,
    Results,
    has_facet_filters,
)

#: Every filter that changes which initiatives a list holds, besides its text.
FACET_FILTERS = (*FACET_FIELDS, "municipality")


def forget_facet_counts() -> None:
    """Once the current transaction commits, the facet index and the counts cached by
    ``list_facets`` and the similar entries cached by ``similar_to_entry`` are stale
    (``core.freshness``; an audited write of what the index holds says so too). For changes
    to what the facets count or what the search index holds that leave no audit entry."""
    freshness.changed(scope=SCOPE)


#: The list page shows this many methods in its method facet, the most used first.
LIST_METHOD_FACET_LIMIT = 20


@dataclass
class Listed:
    """How many initiatives a list holds, and its facets."""

    total: int
    facets: dict[str, list]


def list_facets(filters: InitiativeFilters, results: Results) -> Listed:
    """The total and the facets of a list page, counted in the facet index. Without a text
    query they depend on the filters alone, the same for everyone until something changes:
    those are kept (``core.freshness``), with their labels, the unfiltered list's and each
    combination of filters'."""
    if filters.q.strip():
        facets = facet_counts(results.ids, method_limit=LIST_METHOD_FACET_LIMIT)
        return Listed(results.total, facets)
    chosen = {name: sorted(set(getattr(filters, name))) for name in FACET_FILTERS}
    key = hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:32]
    return freshness.cached(f"knowledge:list:{key}", lambda: _listed(filters), scope=SCOPE)


def _listed(filters: InitiativeFilters) -> Listed:
    index = facet_index()
    mask = index.matching(filters) if has_facet_filters(filters) else index.everything()
    counts = index.counts(mask)
    return Listed(int(mask.sum()), _labelled(index, counts, LIST_METHOD_FACET_LIMIT))


def facet_counts(
    ids: Sequence[int] | None, *, method_limit: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    """For each facet, its values with how many of the initiatives ``ids`` (None: every
    initiative) have them, counted in the facet index."""
    if ids is not None and not ids:
        return {name: [] for name in FACET_FIELDS}
    index = facet_index()
    mask = index.everything() if ids is None else index.of_ids(ids)
    return _labelled(index, index.counts(mask), method_limit)


def _labelled(
    index: FacetIndex, counts: dict[str, dict[Any, int]], method_limit: int | None
) -> dict[str, list[dict[str, Any]]]:
    """The counts of each facet's values (by term and method id, county and country code)
    as the facets show them, each value with its label, in the index's order."""

    def shown(labels: dict[Any, Label], counted: dict[Any, int]) -> list[dict[str, Any]]:
        return [
            {"value": label.value, "label": label.text, "count": counted[key]}
            for key, label in labels.items()
            if key in counted
        ]

    facets = {
        name: shown(index.term_labels, counts[name])
        for name in ("challenge", "target_group", "sdg", "stage")
    }
    facets["county"] = shown(index.county_labels, counts["county"])
    facets["country"] = country_facet(counts["country"])
    facets["sector"] = shown(index.term_labels, counts["sector"])
    method_counts = counts["method"]
    if method_limit is not None and len(method_counts) > method_limit:
        # A thousand methods are too many to tick through: the most used ones are shown
        # (a chosen method is added back by ``with_chosen_values``).
        top = sorted(method_counts, key=lambda pk: (-method_counts[pk], pk))[:method_limit]
        method_counts = {pk: method_counts[pk] for pk in top}
    facets["method"] = shown(index.method_labels, method_counts)
    return facets


def _english() -> bool:
    return (get_language() or "sv").startswith("en")


def country_facet(counts: dict[str, int]) -> list[dict[str, Any]]:
    """ "International examples" (every country but Sweden), then each country by name; empty
    while every initiative is in Sweden."""
    abroad = sum(count for code, count in counts.items() if code != countries.SWEDEN)
    if not abroad:
        return []
    language = "en" if _english() else "sv"
    listed = sorted(counts, key=lambda code: fold(countries.country_name(code, language)))
    return [
        {"value": INTERNATIONAL, "label": _("International examples"), "count": abroad},
        *(
            {"value": code, "label": countries.country_name(code, language), "count": counts[code]}
            for code in listed
        ),
    ]


TERM_FACET_VOCABULARIES = {
    "challenge": "challenge",
    "target_group": "target-group",
    "sdg": "sdg",
    "stage": "stage",
    "sector": "sector",
}


@dataclass(frozen=True)
class ActiveFilter:
    """One chosen filter value with its label, for "remove this filter" links."""

    name: str
    value: str
    label: str


def active_filters(filters: InitiativeFilters) -> list[ActiveFilter]:
    """The chosen filter values with their labels, in facet order; unknown values (a stale
    or mistyped link) are listed under their code so that they can still be removed. At
    most one query per kind of facet in use, none without filters."""
    chosen = [
        (name, value)
        for name in (*FACET_FIELDS, "municipality")
        for value in dict.fromkeys(getattr(filters, name))
    ]
    if not chosen:
        return []
    labels: dict[tuple[str, str], str] = {}
    term_codes = {code for name, code in chosen if name in TERM_FACET_VOCABULARIES}
    if term_codes:
        facet_of = {vocabulary: name for name, vocabulary in TERM_FACET_VOCABULARIES.items()}
        for term in Term.objects.filter(
            code__in=term_codes, vocabulary__slug__in=facet_of
        ).select_related("vocabulary"):
            labels[(facet_of[term.vocabulary.slug], term.code)] = term.label
    if filters.county:
        for code, name in County.objects.filter(code__in=filters.county).values_list(
            "code", "name"
        ):
            labels[("county", code)] = name
    if filters.municipality:
        for code, name in Municipality.objects.filter(code__in=filters.municipality).values_list(
            "code", "name"
        ):
            labels[("municipality", code)] = name
    for value in filters.country:
        labels[("country", value)] = (
            str(_("International examples"))
            if value == INTERNATIONAL
            else countries.country_name(value.upper(), "en" if _english() else "sv")
        )
    if filters.method:
        for slug, title in Method.objects.filter(slug__in=filters.method).values_list(
            "slug", "title"
        ):
            labels[("method", slug)] = title
    return [
        ActiveFilter(name=name, value=value, label=labels.get((name, value), value))
        for name, value in chosen
    ]


def with_chosen_values(
    facets: dict[str, list[dict[str, Any]]], chosen: list[ActiveFilter]
) -> dict[str, list[dict[str, Any]]]:
    """The facets with every chosen value present (count 0 when no result has it), so that a
    ticked box never disappears and can always be unticked."""
    result = {name: list(values) for name, values in facets.items()}
    for active in chosen:
        values = result.setdefault(active.name, [])
        if not any(value["value"] == active.value for value in values):
            values.append({"value": active.value, "label": active.label, "count": 0})
    selected = {(active.name, active.value) for active in chosen}
    for name, values in result.items():
        # Stable element ids (by value, not position) let htmx give focus back to the box
        # just ticked after the filters are swapped.
        result[name] = [
            {
                **value,
                "id": f"f-{name}-{slugify(value['value'])}",
                "checked": (name, value["value"]) in selected,
            }
            for value in values
        ]
    return result
