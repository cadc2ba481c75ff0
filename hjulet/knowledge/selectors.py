"""Reads for the knowledge bank: filtered lists, facets, search, spread and history."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, Count, Prefetch, QuerySet, When, prefetch_related_objects
from django.utils import translation

from hjulet.core import search
from hjulet.core.models import AuditEntry, County, Municipality, Term

from .models import Adaptation, Initiative, Method, PartnerRole, Partnership

SORTS = {
    "relevance": None,
    "newest": ("-created_at", "-pk"),
    "title": ("title", "pk"),
    "started": ("-start_date", "-pk"),
}
FACET_FIELDS = ("challenge", "target_group", "sdg", "stage", "county", "sector", "method")


@dataclass
class InitiativeFilters:
    q: str = ""
    challenge: list[str] = field(default_factory=list)
    target_group: list[str] = field(default_factory=list)
    sdg: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    county: list[str] = field(default_factory=list)
    municipality: list[str] = field(default_factory=list)
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
    partnerships = Partnership.objects.select_related("organisation").order_by(
        lead_first, "organisation__name"
    )
    return Initiative.objects.select_related("municipality__county", "stage").prefetch_related(
        Prefetch("partnerships", queryset=partnerships)
    )


def _tagged(through: type, codes: list[str]) -> QuerySet:
    return through.objects.filter(term__code__in=codes).values("initiative_id")


def filter_initiatives(filters: InitiativeFilters) -> QuerySet[Initiative]:
    """Every filter but the text query. Values within one facet are OR, facets are AND.

    Facets over related rows are semi-joins (``id IN (SELECT …)``), never joins: a join would
    need DISTINCT, and DISTINCT keeps the database from walking the date index for a page."""
    result = Initiative.objects.all()
    if filters.challenge:
        result = result.filter(pk__in=_tagged(Initiative.challenges.through, filters.challenge))
    if filters.target_group:
        result = result.filter(
            pk__in=_tagged(Initiative.target_groups.through, filters.target_group)
        )
    if filters.sdg:
        result = result.filter(pk__in=_tagged(Initiative.sdgs.through, filters.sdg))
    if filters.stage:
        result = result.filter(stage__code__in=filters.stage)
    if filters.county:
        result = result.filter(municipality__county_id__in=filters.county)
    if filters.municipality:
        result = result.filter(municipality_id__in=filters.municipality)
    if filters.sector:
        result = result.filter(
            pk__in=Partnership.objects.filter(organisation__sector__code__in=filters.sector).values(
                "initiative_id"
            )
        )
    if filters.method:
        result = result.filter(
            pk__in=Initiative.methods.through.objects.filter(
                method__slug__in=filters.method
            ).values("initiative_id")
        )
    return result


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


def _count_by(rows: QuerySet, key: str, counted: str = "pk", distinct: bool = False) -> dict:
    return dict(
        rows.order_by()
        .values_list(key)
        .annotate(n=Count(counted, distinct=distinct))
        .values_list(key, "n")
    )


FACETS_GENERATION_KEY = "knowledge:facets:generation"
FACETS_CACHE_SECONDS = 15 * 60


def forget_facet_counts() -> None:
    """Once the current transaction commits, counts cached by ``list_facet_counts`` are
    stale. Services that change what the facets count call this."""

    def bump() -> None:
        try:
            cache.incr(FACETS_GENERATION_KEY)
        except ValueError:  # not cached (yet, or any more)
            cache.set(FACETS_GENERATION_KEY, 1, timeout=None)

    transaction.on_commit(bump)


def list_facet_counts(filters: InitiativeFilters, results: Results) -> dict[str, list]:
    """The facets of a list page. The unfiltered list counts every initiative, the same
    for everyone until something changes: those counts are cached."""
    if filters.q.strip() or has_facet_filters(filters):
        return facet_counts(results.ids)
    generation = cache.get(FACETS_GENERATION_KEY, 0)
    key = f"knowledge:facets:all:{generation}:{translation.get_language()}"
    counts = cache.get(key)
    if counts is None:
        counts = facet_counts(None)
        cache.set(key, counts, FACETS_CACHE_SECONDS)
    return counts


def facet_counts(ids: Sequence[int] | None) -> dict[str, list[dict[str, Any]]]:
    """For each facet, its values with how many of the results have them. ``ids`` is a list
    or a query of primary keys (then everything is counted inside the database), or None
    for every initiative."""
    if ids is not None and not isinstance(ids, list):
        ids = ids.order_by()

    def of_results(rows: QuerySet, field: str = "initiative_id") -> QuerySet:
        return rows if ids is None else rows.filter(**{f"{field}__in": ids})

    facets: dict[str, list[dict[str, Any]]] = {}
    for name, through in (
        ("challenge", Initiative.challenges.through),
        ("target_group", Initiative.target_groups.through),
        ("sdg", Initiative.sdgs.through),
    ):
        facets[name] = _term_facet(_count_by(of_results(through.objects.all()), "term_id"))
    chosen = of_results(Initiative.objects.all(), "pk")
    facets["stage"] = _term_facet(_count_by(chosen, "stage_id"))
    county_counts = _count_by(chosen, "municipality__county_id")
    facets["county"] = [
        {"value": c.code, "label": c.name, "count": county_counts[c.code]}
        for c in County.objects.filter(code__in=county_counts).order_by("name")
    ]
    sector_counts = _count_by(
        of_results(Partnership.objects.all()),
        "organisation__sector_id",
        counted="initiative_id",
        distinct=True,
    )
    facets["sector"] = _term_facet(sector_counts)
    method_counts = _count_by(of_results(Initiative.methods.through.objects.all()), "method_id")
    facets["method"] = [
        {"value": m.slug, "label": m.title, "count": method_counts[m.pk]}
        for m in Method.objects.filter(pk__in=method_counts).only("pk", "slug", "title")
    ]
    return facets


def _term_facet(counts: dict[int, int]) -> list[dict[str, Any]]:
    return [
        {"value": t.code, "label": t.label, "count": counts[t.pk]}
        for t in Term.objects.filter(pk__in=counts).order_by("position")
    ]


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
    return Method.objects.prefetch_related("challenges", "target_groups", "sdgs", "organisations")


def methods_list(q: str = "") -> list[Method]:
    methods = Method.objects.annotate(
        initiative_count=Count("initiatives", distinct=True),
        adaptation_count=Count("adaptations", distinct=True),
    ).prefetch_related("challenges")
    if q.strip():
        hits = search.search(q, kinds=["method"])
        by_pk = {m.pk: m for m in methods.filter(pk__in=[h.pk for h in hits])}
        result = []
        for hit in hits:
            if hit.pk in by_pk:
                by_pk[hit.pk].hit = hit
                result.append(by_pk[hit.pk])
        return result
    return list(methods.order_by("-is_featured", "title"))


def methods_with_tags(q: str = "") -> list[Method]:
    """``methods_list`` with every tag and organisation the API shows, read once for all."""
    methods = methods_list(q)
    prefetch_related_objects(methods, "target_groups", "sdgs", "organisations")
    return methods


def similar_entries(
    text: str, *, exclude: tuple[str, int] | None = None, limit: int = 5
) -> dict[str, list]:
    """Initiatives and methods most like ``text`` ("finns det redan?")."""
    hits = search.similar(text, kinds=["initiative", "method"], exclude=exclude, limit=limit * 2)
    initiatives = {
        i.pk: i
        for i in Initiative.objects.select_related("municipality").filter(
            pk__in=[h.pk for h in hits if h.kind == "initiative"]
        )
    }
    methods = {
        m.pk: m for m in Method.objects.filter(pk__in=[h.pk for h in hits if h.kind == "method"])
    }
    found = {"initiatives": [], "methods": []}
    for hit in hits:
        if hit.kind == "initiative" and hit.pk in initiatives:
            found["initiatives"].append(initiatives[hit.pk])
        elif hit.kind == "method" and hit.pk in methods:
            found["methods"].append(methods[hit.pk])
    return {kind: entries[:limit] for kind, entries in found.items()}


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
        municipality_counts=dict(Counter(i.municipality_id for i in initiatives)),
        county_counts=dict(Counter(i.municipality.county_id for i in initiatives)),
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
    return dict(Initiative.objects.values_list(key).annotate(n=Count("id")).values_list(key, "n"))


def history(entry: Method | Initiative) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=entry._meta.label_lower, target_id=str(entry.pk)
    ).order_by("-created_at", "-id")


def lead_of(initiative: Initiative) -> Partnership | None:
    return next((p for p in initiative.partnerships.all() if p.role == PartnerRole.LEAD), None)


def home_overview(limit: int = 6) -> dict[str, Any]:
    """Figures and entries for the start page: featured first, then the newest."""
    return {
        "initiative_count": Initiative.objects.count(),
        "method_count": Method.objects.count(),
        "adaptation_count": Adaptation.objects.count(),
        "municipality_count": Initiative.objects.values("municipality").distinct().count(),
        "initiatives": list(
            initiative_list_query().order_by("-is_featured", "-created_at")[:limit]
        ),
        "methods": list(Method.objects.order_by("-is_featured", "-created_at")[:4]),
    }
