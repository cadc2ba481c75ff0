"""The facets of the list of initiatives: counted, cached, forgotten and chosen."""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import freshness
from hjulet.core.models import County, Municipality, Term
from hjulet.lib import countries
from hjulet.lib.text import fold

from ..models import Initiative, Method, Partnership, PartnershipStatus
from .lists import (
    FACET_FIELDS,
    INTERNATIONAL,
    InitiativeFilters,
    Results,
    counted_ids,
)

#: Every filter that changes which initiatives a list holds, besides its text.
FACET_FILTERS = (*FACET_FIELDS, "municipality")


def forget_facet_counts() -> None:
    """Once the current transaction commits, counts cached by ``list_facets`` and the
    similar entries cached by ``similar_to_entry`` are stale (``core.freshness``; every
    audited write says so too). For changes to what the facets count or what the search
    index holds that leave no audit entry."""
    freshness.changed()


#: The list page shows this many methods in its method facet, the most used first.
LIST_METHOD_FACET_LIMIT = 20


@dataclass
class Listed:
    """How many initiatives a list holds, and its facets."""

    total: int
    facets: dict[str, list]


def list_facets(filters: InitiativeFilters, results: Results) -> Listed:
    """The total and the facets of a list page. Without a text query they depend on the
    filters alone, the same for everyone until something changes: those are cached
    (``core.freshness``), the unfiltered list's and each combination of filters'."""
    if filters.q.strip():
        facets = facet_counts(results.ids, method_limit=LIST_METHOD_FACET_LIMIT)
        return Listed(results.total, facets)
    chosen = {name: sorted(set(getattr(filters, name))) for name in FACET_FILTERS}
    key = hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:32]
    return freshness.cached(f"knowledge:list:{key}", lambda: _listed(results))


def _listed(results: Results) -> Listed:
    ids = counted_ids(results)
    total = len(ids) if isinstance(ids, list) else results.total
    return Listed(total, facet_counts(ids, method_limit=LIST_METHOD_FACET_LIMIT))


def _chosen(ids: Sequence[int] | QuerySet | None) -> tuple[str, list[Any]]:
    """SQL for the ids the facets count (a CTE body) and its parameters: one array (a JSON
    text on SQLite) for a list, the query itself for a query of primary keys."""
    if ids is None:
        table = connection.ops.quote_name(Initiative._meta.db_table)
        return f"SELECT id FROM {table}", []
    if isinstance(ids, list):
        if connection.vendor == "postgresql":
            return "SELECT unnest(%s::bigint[]) AS id", [ids]
        return "SELECT value AS id FROM json_each(%s)", [json.dumps(ids)]
    sql, params = ids.order_by().values_list("pk").query.sql_with_params()
    return sql, list(params)


def _facet_count_rows(ids: Sequence[int] | QuerySet | None) -> dict[str, dict[Any, int]]:
    """{facet: {key: count}} for every facet, in one query. Keys are term and method ids,
    county codes."""
    quote = connection.ops.quote_name

    def table(model: type) -> str:
        return quote(model._meta.db_table)

    where = "" if ids is None else " WHERE {column} IN (SELECT chosen.id FROM chosen)"
    parts = []
    for name, through in (
        ("challenge", Initiative.challenges.through),
        ("target_group", Initiative.target_groups.through),
        ("sdg", Initiative.sdgs.through),
    ):
        parts.append(
            f"SELECT '{name}', CAST(term_id AS TEXT), COUNT(*) FROM {table(through)}"
            + where.format(column="initiative_id")
            + " GROUP BY term_id"
        )
    # Stage and place in one pass over the initiatives (each id is looked up once, not
    # twice); the places are folded into counties in Python.
    parts.append(
        "SELECT 'stage_place', COALESCE(CAST(stage_id AS TEXT), '') || ' ' ||"
        " COALESCE(municipality_id, '') || ' ' || country,"
        f" COUNT(*) FROM {table(Initiative)}"
        + where.format(column="id")
        + " GROUP BY stage_id, municipality_id, country"
    )
    parts.append(
        f"SELECT 'sector', CAST(o.sector_id AS TEXT), COUNT(DISTINCT p.initiative_id) "
        f"FROM {table(Partnership)} p JOIN {table(Organisation)} o ON o.id = p.organisation_id"
        f" AND p.status = '{PartnershipStatus.ACCEPTED.value}'"
        + where.format(column="p.initiative_id")
        + " GROUP BY o.sector_id"
    )
    parts.append(
        "SELECT 'method', CAST(method_id AS TEXT), COUNT(*) "
        f"FROM {table(Initiative.methods.through)}"
        + where.format(column="initiative_id")
        + " GROUP BY method_id"
    )
    sql = " UNION ALL ".join(parts)
    params: list[Any] = []
    if ids is not None:
        chosen, params = _chosen(ids)
        # Counted seven times over: worked out once.
        materialised = "MATERIALIZED " if connection.vendor == "postgresql" else ""
        sql = f"WITH chosen (id) AS {materialised}({chosen}) {sql}"
    counts: dict[str, dict[Any, int]] = {name: {} for name in FACET_FIELDS}
    county_of = county_of_municipality()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, key, count in cursor.fetchall():
            if key is None:  # an organisation without a sector
                continue
            if name == "stage_place":
                stage, municipality, country = key.split(" ")
                counts["country"][country] = counts["country"].get(country, 0) + count
                if stage:
                    counts["stage"][int(stage)] = counts["stage"].get(int(stage), 0) + count
                county = county_of.get(municipality)
                if county is not None:
                    counts["county"][county] = counts["county"].get(county, 0) + count
                continue
            counts[name][int(key)] = count
    return counts


_MUNICIPALITY_COUNTIES: dict[str, str] = {}


def county_of_municipality() -> dict[str, str]:
    """Municipality code → county code (SCB reference data: a municipality never changes
    county), read once per process."""
    if not _MUNICIPALITY_COUNTIES:
        _MUNICIPALITY_COUNTIES.update(Municipality.objects.values_list("code", "county_id"))
    return _MUNICIPALITY_COUNTIES


def facet_counts(
    ids: Sequence[int] | QuerySet | None, *, method_limit: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    """For each facet, its values with how many of the results have them. ``ids`` is a list
    or a query of primary keys (then everything is counted inside the database), or None
    for every initiative. One query counts every facet, three more read the labels."""
    if isinstance(ids, list) and not ids:
        return {name: [] for name in FACET_FIELDS}
    counts = _facet_count_rows(ids)
    term_facets = ("challenge", "target_group", "sdg", "stage", "sector")
    term_ids = {pk for name in term_facets for pk in counts[name]}
    # Only the columns a facet shows (descriptions and a county's SVG outline are long).
    terms = (
        Term.objects.filter(pk__in=term_ids)
        .only("pk", "code", "label_sv", "label_en", "position")
        .order_by("position", "pk")
        if term_ids
        else []
    )

    def term_facet(name: str) -> list[dict[str, Any]]:
        return [
            {"value": t.code, "label": t.label, "count": counts[name][t.pk]}
            for t in terms
            if t.pk in counts[name]
        ]

    facets: dict[str, list[dict[str, Any]]] = {
        name: term_facet(name) for name in ("challenge", "target_group", "sdg", "stage")
    }
    county_counts = counts["county"]
    facets["county"] = [
        {"value": c.code, "label": c.name, "count": county_counts[c.code]}
        for c in County.objects.filter(code__in=county_counts).only("code", "name").order_by("name")
    ]
    facets["country"] = country_facet(counts["country"])
    facets["sector"] = term_facet("sector")
    method_counts = counts["method"]
    if method_limit is not None and len(method_counts) > method_limit:
        # A thousand methods are too many to tick through: the most used ones are shown
        # (a chosen method is added back by ``with_chosen_values``).
        top = sorted(method_counts, key=lambda pk: (-method_counts[pk], pk))[:method_limit]
        method_counts = {pk: method_counts[pk] for pk in top}
    facets["method"] = [
        {"value": m.slug, "label": m.title, "count": method_counts[m.pk]}
        for m in Method.objects.filter(pk__in=method_counts).only("pk", "slug", "title")
    ]
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
