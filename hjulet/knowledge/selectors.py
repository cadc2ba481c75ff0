"""Reads for the knowledge bank: filtered lists, facets, search, spread and history."""

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import search
from hjulet.core.models import AuditEntry, County, Municipality, Term
from hjulet.lib import countries
from hjulet.lib.text import fold
from hjulet.regions.area import Area, ids_in_area_first, in_area_first

from .models import Adaptation, Initiative, Method, PartnerRole, Partnership, PartnershipStatus

SORTS = {
    "relevance": None,
    "newest": ("-created_at", "-pk"),
    "title": ("title", "pk"),
    "started": ("-start_date", "-pk"),
}
FACET_FIELDS = (
    "challenge",
    "target_group",
    "sdg",
    "stage",
    "county",
    "country",
    "sector",
    "method",
)
#: The value of the country facet that stands for every country but Sweden.
INTERNATIONAL = "international"


@dataclass
class InitiativeFilters:
    q: str = ""
    challenge: list[str] = field(default_factory=list)
    target_group: list[str] = field(default_factory=list)
    sdg: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    county: list[str] = field(default_factory=list)
    municipality: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    method: list[str] = field(default_factory=list)
    sort: str = ""

    @classmethod
    def from_query(cls, query: Any) -> "InitiativeFilters":
        """From a request's GET parameters; every facet may repeat (?challenge=a&challenge=b)."""
        sort = query.get("sort", "")
        return cls(
            q=query.get("q", "")[:200],
            **{name: query.getlist(name) for name in (*FACET_FIELDS, "municipality")},
            sort=sort if sort in SORTS else "",
        )


def initiative_list_query() -> QuerySet[Initiative]:
    lead_first = Case(When(role=PartnerRole.LEAD, then=0), default=1)
    # Only the partners that accepted are shown anywhere the public reads (pages, API,
    # JSON-LD, exports); a request waiting for an answer is not.
    partnerships = (
        Partnership.objects.accepted()
        .select_related("organisation")
        .order_by(lead_first, "organisation__name")
    )
    return Initiative.objects.select_related("municipality__county", "stage").prefetch_related(
        Prefetch("partnerships", queryset=partnerships), "pictures"
    )


def _having(rows: QuerySet, *, per_row: bool) -> Q | Exists:
    """Initiatives with at least one of ``rows`` (rows with an ``initiative_id``).

    A semi-join ``id IN (SELECT initiative_id …)`` by default; ``per_row`` asks instead
    whether each initiative has such a row (``EXISTS``), which SQLite only chooses to do
    from the outer side: when a place filter narrows the initiatives through the
    (municipality, created) index first, checking each of those few thousand in the tags'
    (term, initiative) index is some twenty times faster than fetching every initiative
    with a common tag by primary key. PostgreSQL plans both as the same semi-join. (Only
    the tags have the covering (term, initiative) index that makes this pay.)"""
    if per_row:
        return Exists(rows.filter(initiative_id=OuterRef("pk")))
    return Q(pk__in=rows.values("initiative_id"))


def _tagged(through: type, codes: list[str], *, per_row: bool) -> Q | Exists:
    terms = Term.objects.filter(code__in=codes).values("pk")
    return _having(through.objects.filter(term_id__in=terms), per_row=per_row)


def filter_initiatives(filters: InitiativeFilters) -> QuerySet[Initiative]:
    """Every filter but the text query. Values within one facet are OR, facets are AND.

    Facets over related rows are semi-joins (``id IN (SELECT …)``, or ``EXISTS`` after a
    place filter, see ``_having``), never joins: a join would need DISTINCT, and DISTINCT
    keeps the database from walking the date index for a page. A county is a semi-join
    too (its municipalities), so that the place index can lead."""
    result = Initiative.objects.all()
    per_row = bool(filters.county or filters.municipality)
    if filters.county:
        result = result.filter(
            municipality_id__in=Municipality.objects.filter(county_id__in=filters.county).values(
                "code"
            )
        )
    if filters.municipality:
        result = result.filter(municipality_id__in=filters.municipality)
    if filters.country:
        result = result.filter(_in_countries(filters.country))
    if filters.challenge:
        result = result.filter(
            _tagged(Initiative.challenges.through, filters.challenge, per_row=per_row)
        )
    if filters.target_group:
        result = result.filter(
            _tagged(Initiative.target_groups.through, filters.target_group, per_row=per_row)
        )
    if filters.sdg:
        result = result.filter(_tagged(Initiative.sdgs.through, filters.sdg, per_row=per_row))
    if filters.stage:
        result = result.filter(stage__code__in=filters.stage)
    if filters.sector:
        result = result.filter(
            _having(
                Partnership.objects.accepted().filter(
                    organisation__sector__code__in=filters.sector
                ),
                per_row=per_row,
            )
        )
    if filters.method:
        result = result.filter(
            _having(
                Initiative.methods.through.objects.filter(method__slug__in=filters.method),
                per_row=False,
            )
        )
    return result


def _in_countries(values: list[str]) -> Q:
    """The chosen countries (codes), or every international example."""
    codes = [value.upper() for value in values if value != INTERNATIONAL]
    wanted = Q(country__in=codes)
    if INTERNATIONAL in values:
        wanted |= ~Q(country=countries.SWEDEN)
    return wanted


def has_facet_filters(filters: InitiativeFilters) -> bool:
    return any(getattr(filters, name) for name in (*FACET_FIELDS, "municipality"))


@dataclass
class Results:
    """Matching initiatives in display order. ``ids`` is a list after a text search (the
    ranked hits) and otherwise a lazy query of primary keys, so that a page of a list of
    100,000 reads 20 of them and the facets are counted inside the database."""

    ids: Sequence[int]
    hits: dict[int, search.Hit]

    @cached_property
    def total(self) -> int:
        return len(self.ids) if isinstance(self.ids, list) else self.ids.count()


#: Lists without text up to this long are read into a list of ids once, for the page and the
#: facets; longer ones stay a query (a list that long would cost more to pass around).
MATERIALISE_LIMIT = 5000


def search_initiatives(filters: InitiativeFilters) -> Results:
    """The ids of matching initiatives in display order, with search hits for snippets."""
    filtered = filter_initiatives(filters)
    if filters.q.strip():
        hits = search.search(filters.q, kinds=["initiative"])
        if has_facet_filters(filters):
            allowed = set(
                filtered.filter(pk__in=[hit.pk for hit in hits]).values_list("pk", flat=True)
            )
            hits = [hit for hit in hits if hit.pk in allowed]
        if SORTS.get(filters.sort):
            ids = list(
                Initiative.objects.filter(pk__in=[hit.pk for hit in hits])
                .order_by(*SORTS[filters.sort])
                .values_list("pk", flat=True)
            )
        else:
            ids = [hit.pk for hit in hits]
        return Results(ids=ids, hits={hit.pk: hit for hit in hits})
    order = SORTS.get(filters.sort) or SORTS["newest"]
    ordered = filtered.order_by(*order).values_list("pk", flat=True)
    if has_facet_filters(filters):
        ids = list(ordered[: MATERIALISE_LIMIT + 1])
        if len(ids) <= MATERIALISE_LIMIT:
            return Results(ids=ids, hits={})
    return Results(ids=ordered, hits={})


def initiatives_by_ids(ids: Sequence[int]) -> list[Initiative]:
    """Objects for one page, in the order of ``ids``."""
    ids = list(ids)
    by_pk = {i.pk: i for i in initiative_list_query().filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


FACETS_GENERATION_KEY = "knowledge:facets:generation"
FACETS_CACHE_SECONDS = 15 * 60


def forget_facet_counts() -> None:
    """Once the current transaction commits, counts cached by ``list_facet_counts`` and the
    similar entries cached by ``similar_to_entry`` are stale. Services that change what the
    facets count or what the search index holds call this."""

    def bump() -> None:
        try:
            cache.incr(FACETS_GENERATION_KEY)
        except ValueError:  # not cached (yet, or any more)
            cache.set(FACETS_GENERATION_KEY, 1, timeout=None)

    transaction.on_commit(bump)


#: The list page shows this many methods in its method facet, the most used first.
LIST_METHOD_FACET_LIMIT = 20


def list_facet_counts(filters: InitiativeFilters, results: Results) -> dict[str, list]:
    """The facets of a list page. The unfiltered list counts every initiative, the same
    for everyone until something changes: those counts are cached."""
    if filters.q.strip() or has_facet_filters(filters):
        return facet_counts(results.ids, method_limit=LIST_METHOD_FACET_LIMIT)
    generation = cache.get(FACETS_GENERATION_KEY, 0)
    key = f"knowledge:facets:all:{generation}:{translation.get_language()}"
    counts = cache.get(key)
    if counts is None:
        counts = facet_counts(None, method_limit=LIST_METHOD_FACET_LIMIT)
        cache.set(key, counts, FACETS_CACHE_SECONDS)
    return counts


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
    county_of = _county_of_municipality()
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


def _county_of_municipality() -> dict[str, str]:
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


def initiative_detail_query() -> QuerySet[Initiative]:
    return (
        initiative_list_query()
        .select_related("created_by", "reviewed_by")
        .prefetch_related(
            "methods",
            "challenges",
            "target_groups",
            "sdgs",
            Prefetch(
                "adaptations_made",
                queryset=Adaptation.objects.select_related(
                    "source_method", "source_initiative__municipality"
                ),
            ),
            Prefetch(
                "adapted_by", queryset=Adaptation.objects.select_related("initiative__municipality")
            ),
        )
    )


def method_detail_query() -> QuerySet[Method]:
    return Method.objects.prefetch_related(
        "challenges", "target_groups", "sdgs", "organisations", "pictures"
    )


def _count_per_method(rows: QuerySet, field: str) -> Coalesce:
    counted = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def methods_list(q: str = "") -> Sequence[Method]:
    """Methods with their counts: the hits in rank order for a query, else a lazy query
    (featured first) that a page slices."""
    # Counted in correlated subqueries, evaluated for the rows of a page only: two joined
    # COUNT(DISTINCT …) multiply initiatives by adaptations for every method (seconds at
    # national scale).
    methods = Method.objects.annotate(
        initiative_count=_count_per_method(Initiative.methods.through.objects, "method"),
        adaptation_count=_count_per_method(Adaptation.objects, "source_method"),
    ).prefetch_related("challenges", "pictures")
    if q.strip():
        hits = search.search(q, kinds=["method"])
        by_pk = {m.pk: m for m in methods.filter(pk__in=[h.pk for h in hits])}
        result = []
        for hit in hits:
            if hit.pk in by_pk:
                by_pk[hit.pk].hit = hit
                result.append(by_pk[hit.pk])
        return result
    return methods.order_by("-is_featured", "title", "pk")


def _similar_found(pairs: Sequence[tuple[str, int]], limit: int) -> dict[str, list]:
    """The initiatives and methods behind (kind, pk) hits, in the hits' order."""
    initiative_pks = [pk for kind, pk in pairs if kind == "initiative"]
    method_pks = [pk for kind, pk in pairs if kind == "method"]
    initiatives = (
        {
            i.pk: i
            for i in Initiative.objects.select_related("municipality").filter(pk__in=initiative_pks)
        }
        if initiative_pks
        else {}
    )
    methods = {m.pk: m for m in Method.objects.filter(pk__in=method_pks)} if method_pks else {}
    found = {"initiatives": [], "methods": []}
    for kind, pk in pairs:
        if kind == "initiative" and pk in initiatives:
            found["initiatives"].append(initiatives[pk])
        elif kind == "method" and pk in methods:
            found["methods"].append(methods[pk])
    return {kind: entries[:limit] for kind, entries in found.items()}


def _similar_pairs(text: str, exclude: tuple[str, int] | None, limit: int) -> list[tuple[str, int]]:
    hits = search.similar(text, kinds=["initiative", "method"], exclude=exclude, limit=limit * 2)
    return [(hit.kind, hit.pk) for hit in hits]


def methods_with_tags(q: str = "") -> Sequence[Method]:
    """``methods_list`` with every tag and organisation the API shows, read once per page."""
    methods = methods_list(q)
    if isinstance(methods, QuerySet):
        return methods.prefetch_related("target_groups", "sdgs", "organisations")
    prefetch_related_objects(methods, "target_groups", "sdgs", "organisations")
    return methods


def similar_entries(
    text: str, *, exclude: tuple[str, int] | None = None, limit: int = 5
) -> dict[str, list]:
    """Initiatives and methods most like ``text`` ("finns det redan?")."""
    return _similar_found(_similar_pairs(text, exclude, limit), limit)


SIMILAR_CACHE_SECONDS = 60 * 60


def similar_to_entry(entry: Initiative | Method, *, limit: int = 4) -> dict[str, list]:
    """The "similar initiatives and methods" of an entry's own page: ``similar_entries`` for
    its title and summary, leaving itself out. Which entries they are is cached until
    anything searchable changes (the generation ``forget_facet_counts`` moves on); the
    entries themselves are read fresh."""
    kind = "initiative" if isinstance(entry, Initiative) else "method"
    generation = cache.get(FACETS_GENERATION_KEY, 0)
    key = f"knowledge:similar:{kind}:{entry.pk}:{limit}:{generation}"
    pairs = cache.get(key)
    if pairs is None:
        pairs = _similar_pairs(f"{entry.title} {entry.summary}", (kind, entry.pk), limit)
        cache.set(key, pairs, SIMILAR_CACHE_SECONDS)
    return _similar_found(pairs, limit)


# --- spread of a method -----------------------------------------------------------------


@dataclass
class Spread:
    initiatives: list[Initiative]
    municipality_counts: dict[str, int]
    county_counts: dict[str, int]
    timeline: list[tuple[int, list[Initiative]]]
    tree: list[dict[str, Any]]


def method_spread(method: Method) -> Spread:
    """Where and when a method has been used, and who adapted it from whom."""
    direct = list(method.adaptations.select_related("initiative__municipality__county"))
    users = list(method.initiatives.select_related("municipality__county"))
    adapters = {a.initiative_id: a for a in direct}
    children: dict[int, list[Adaptation]] = defaultdict(list)
    frontier = [a.initiative_id for a in direct] + [i.pk for i in users]
    seen = set(frontier)
    all_initiatives = {i.pk: i for i in users}
    all_initiatives.update({a.initiative_id: a.initiative for a in direct})
    while frontier:
        next_level = list(
            Adaptation.objects.filter(source_initiative_id__in=frontier).select_related(
                "initiative__municipality__county"
            )
        )
        frontier = []
        for adaptation in next_level:
            children[adaptation.source_initiative_id].append(adaptation)
            all_initiatives[adaptation.initiative_id] = adaptation.initiative
            if adaptation.initiative_id not in seen:
                seen.add(adaptation.initiative_id)
                frontier.append(adaptation.initiative_id)

    def node(initiative: Initiative, via: Adaptation | None, depth: int) -> dict[str, Any]:
        kids = (
            []
            if depth > 20
            else [node(a.initiative, a, depth + 1) for a in children.get(initiative.pk, [])]
        )
        return {"initiative": initiative, "adaptation": via, "children": kids}

    direct_pks = set(adapters) | {u.pk for u in users}
    adapted_from_others = {a.initiative_id for kids in children.values() for a in kids}
    roots = [
        node(i, adapters.get(pk), 0)
        for pk, i in all_initiatives.items()
        if pk in direct_pks and pk not in adapted_from_others
    ]
    initiatives = sorted(
        all_initiatives.values(), key=lambda i: (i.start_date is None, i.start_date, i.title)
    )
    by_year: dict[int, list[Initiative]] = defaultdict(list)
    for initiative in initiatives:
        if initiative.start_date:
            by_year[initiative.start_date.year].append(initiative)
    return Spread(
        initiatives=initiatives,
        municipality_counts=dict(
            Counter(i.municipality_id for i in initiatives if i.municipality_id)
        ),
        county_counts=dict(
            Counter(i.municipality.county_id for i in initiatives if i.municipality_id)
        ),
        timeline=sorted(by_year.items()),
        tree=roots,
    )


def areas_with_counts(counts: dict[str, int], level: str, county: County | None = None) -> list:
    """Counties or municipalities (optionally of one county), each with ``entry_count``."""
    municipalities = Municipality.objects.select_related("county")
    areas = (
        list(County.objects.all())
        if level == "county"
        else list(municipalities.filter(county=county) if county else municipalities)
    )
    for area in areas:
        area.entry_count = counts.get(area.code, 0)
    return areas


def initiative_counts(level: str) -> dict[str, int]:
    """Number of initiatives per county or per municipality code."""
    key = "municipality__county_id" if level == "county" else "municipality_id"
    return dict(
        Initiative.objects.filter(municipality__isnull=False)
        .values_list(key)
        .annotate(n=Count("id"))
        .values_list(key, "n")
    )


def international_count() -> int:
    """Initiatives outside Sweden, which the map of Sweden cannot show."""
    return Initiative.objects.exclude(country=countries.SWEDEN).count()


def history(entry: Method | Initiative) -> QuerySet[AuditEntry]:
    """Who changed what, for the public page: people by name (``actor``), never by the
    address the log records in ``actor_label``."""
    return (
        AuditEntry.objects.filter(target_type=entry._meta.label_lower, target_id=str(entry.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def pending_partnerships(initiative: Initiative) -> list[Partnership]:
    """Requests to be a partner that wait for an answer (for the initiative's editors)."""
    return list(
        Partnership.objects.pending()
        .filter(initiative=initiative)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def editors_of(initiative: Initiative) -> list[Any]:
    return list(initiative.editors.select_related("user").order_by("user__name", "user__email"))


def lead_of(initiative: Initiative) -> Partnership | None:
    return next((p for p in initiative.partnerships.all() if p.role == PartnerRole.LEAD), None)


def home_overview(limit: int = 6) -> dict[str, Any]:
    """Figures and entries for the start page: the newest initiatives, featured methods."""
    return {
        "initiative_count": Initiative.objects.count(),
        "method_count": Method.objects.count(),
        "adaptation_count": Adaptation.objects.count(),
        "municipality_count": Initiative.objects.values("municipality").distinct().count(),
        "initiatives": list(initiative_list_query().order_by("-created_at", "-pk")[:limit]),
        "methods": list(
            Method.objects.prefetch_related("pictures").order_by("-is_featured", "-created_at")[:4]
        ),
    }


def hub_area_first(ids: Sequence[int], area: Area | None) -> Sequence[int]:
    """The list's ids with the current hub's area first (``hjulet.regions.area``); the lazy
    query of ids stays lazy when there is no hub."""
    if area is None:
        return ids
    if isinstance(ids, QuerySet):
        return in_area_first(ids, area)
    return ids_in_area_first(ids, Initiative.objects.filter(area.q()).values_list("pk", flat=True))
