"""The list of initiatives: filters, search and the page's objects."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, When

from hjulet.core import search
from hjulet.core.models import Municipality, Term
from hjulet.lib import countries
from hjulet.regions.area import Area, ids_in_area_first, in_area_first

from ..models import Initiative, PartnerRole, Partnership
from .facet_index import INTERNATIONAL, facet_index

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
    """Every filter but the text query, in SQL. Values within one facet are OR, facets are
    AND. The list itself filters in the facet index (``facet_index.FacetIndex.matching``,
    held to the same answers by the tests); this is for what asks the database.

    Facets over related rows are semi-joins (``id IN (SELECT …)``, or ``EXISTS`` after a
    place filter, see ``_having``), never joins: a join would need DISTINCT. A county is a
    semi-join too (its municipalities), so that the place index can lead."""
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
        # A semi-join, not a join: the join kept SQLite from the order's index.
        result = result.filter(
            stage_id__in=Term.objects.filter(code__in=filters.stage).values("pk")
        )
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
    ranked hits), an ``IdArray`` after a filter (from the facet index), and for the whole
    list or an export a lazy query of primary keys, so that a page of 100,000 reads 20 of
    them; ``count`` then counts them."""

    ids: Sequence[int]
    hits: dict[int, search.Hit]
    count: Callable[[], int] | None = None

    @cached_property
    def total(self) -> int:
        if self.count is None:
            return len(self.ids)
        return self.count()


def search_initiatives(filters: InitiativeFilters, *, exact: bool = False) -> Results:
    """The ids of matching initiatives in display order, with search hits for snippets.

    Pages filter and count in the facet index, which follows every write a service makes.
    ``exact`` (for exports, which a person keeps) asks the database instead, for rows
    written by any means up to this moment, and reads the ids lazily."""
    if filters.q.strip():
        return _searched(filters)
    order = SORTS.get(filters.sort) or SORTS["newest"]
    if exact:
        chosen = filter_initiatives(filters).order_by(*order).values_list("pk", flat=True)
        return Results(ids=chosen, hits={}, count=chosen.count)
    if not has_facet_filters(filters):
        everything = Initiative.objects.order_by(*order).values_list("pk", flat=True)
        return Results(ids=everything, hits={}, count=lambda: facet_index().size)
    index = facet_index()
    return Results(ids=index.ordered_ids(index.matching(filters), order), hits={})


def _searched(filters: InitiativeFilters) -> Results:
    hits = search.search(filters.q, kinds=["initiative"])
    if has_facet_filters(filters):
        index = facet_index()
        found = index.of_ids([hit.pk for hit in hits]) & index.matching(filters)
        allowed = set(index.ids[found].tolist())
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


class PagedIds:
    """``Results`` for Django's paginator, with a total known beforehand: the paginator
    slices the ids for one page and asks nothing else of the database."""

    def __init__(self, ids: Sequence[int], total: int) -> None:
        self.ids = ids
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[int]:
        return list(self.ids[window])


def initiatives_by_ids(ids: Sequence[int]) -> list[Initiative]:
    """Objects for one page, in the order of ``ids``."""
    ids = list(ids)
    by_pk = {i.pk: i for i in initiative_list_query().filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def hub_area_first(ids: Sequence[int], area: Area | None) -> Sequence[int]:
    """The list's ids with the current hub's area first (``hjulet.regions.area``); the lazy
    query of ids stays lazy when there is no hub."""
    if area is None:
        return ids
    if isinstance(ids, QuerySet):
        return in_area_first(ids, area)
    return ids_in_area_first(ids, Initiative.objects.filter(area.q()).values_list("pk", flat=True))
