"""How a method spread, and the counts of initiatives per area for the maps.

A method's spread is every initiative that uses it or recorded adapting it, and everyone who
adapted one of those, at any remove. At national scale that is thousands of initiatives, so
the method page counts them in the database (per area) or from ids and start dates (per
year, and the shape of the tree), and loads only what it shows: a few examples per year, and
the first trees of who adapted it from whom (the whole tree is a page of its own, a number of
trees at a time)."""

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL

from hjulet.core import freshness
from hjulet.core.models import County, Municipality
from hjulet.lib import countries

from ..models import Adaptation, Initiative, Method
from .facet_index import county_of_municipality

#: Examples of initiatives the timeline names per year (the count says how many there are).
TIMELINE_EXAMPLES = 3
#: Initiatives the method page shows of the tree of who adapted it from whom.
TREE_PREVIEW = 40
#: Trees (an initiative that adapted from nobody in the spread, with those who adapted from
#: it) per page of the whole tree.
TREES_PER_PAGE = 50


@dataclass
class Year:
    year: int
    count: int
    examples: list[Any] = field(default_factory=list)  # ids, then the initiatives

    @property
    def more(self) -> int:
        return self.count - len(self.examples)


@dataclass
class Spread:
    total: int
    municipality_counts: dict[str, int]
    county_counts: dict[str, int]
    international: int
    timeline: list[Year]
    tree: list[dict[str, Any]]
    tree_more: int


def spread_ids(method: Method) -> RawSQL:
    """The ids of the initiatives in ``method``'s spread, as a subquery (a recursive one: the
    UNION stops at an initiative already in, so a cycle of adaptations ends)."""
    quote = connection.ops.quote_name
    uses = quote(Initiative.methods.through._meta.db_table)
    adaptation = quote(Adaptation._meta.db_table)
    return RawSQL(
        "WITH RECURSIVE spread (id) AS ("
        f"SELECT initiative_id FROM {uses} WHERE method_id = %s"
        f" UNION SELECT initiative_id FROM {adaptation} WHERE source_method_id = %s"
        f" UNION SELECT a.initiative_id FROM {adaptation} a"
        " JOIN spread s ON a.source_initiative_id = s.id"
        ") SELECT id FROM spread",
        [method.pk, method.pk],
    )


def spread_initiatives(method: Method) -> QuerySet[Initiative]:
    """Every initiative of the spread, the first started first."""
    return Initiative.objects.filter(pk__in=spread_ids(method)).order_by(
        F("start_date").asc(nulls_last=True), "title", "pk"
    )


def spread_counts(method: Method) -> tuple[int, dict[str, int], dict[str, int], int]:
    """The initiatives of the spread counted in the database: in all, per municipality, per
    county and outside Sweden."""
    in_spread = Initiative.objects.filter(pk__in=spread_ids(method)).order_by()
    return _place_counts(
        in_spread.values_list("municipality_id", "country").annotate(n=Count("pk"))
    )


def _place_counts(
    places: Iterable[tuple[str | None, str, int]],
) -> tuple[int, dict[str, int], dict[str, int], int]:
    """(municipality, country, number of initiatives) rows counted in all, per municipality,
    per county and outside Sweden."""
    municipality_counts: dict[str, int] = {}
    county_counts: dict[str, int] = defaultdict(int)
    county_of = county_of_municipality()
    total = international = 0
    for code, country, n in places:
        total += n
        if country and country != countries.SWEDEN:
            international += n
        if code:
            municipality_counts[code] = municipality_counts.get(code, 0) + n
            county = county_of.get(code)
            if county:
                county_counts[county] += n
    return total, municipality_counts, dict(county_counts), international


def method_spread(method: Method) -> Spread:
    """Where and when a method has been used: the counts, per year the number started with
    the first few, and the first trees of who adapted it from whom (the counts from the
    places the tree read with the start dates: one query of the spread, not two)."""
    tree = spread_tree(method)
    total, municipality_counts, county_counts, international = _place_counts(
        (municipality, country, 1) for municipality, country in tree.places.values()
    )
    shown, more = tree.preview(TREE_PREVIEW)
    years = _years(tree)
    tree.load([*shown, *(pk for year in years for pk in year.examples)])  # in one query
    for year in years:
        year.examples = tree.initiatives(year.examples)
    return Spread(
        total=total,
        municipality_counts=municipality_counts,
        county_counts=county_counts,
        international=international,
        timeline=years,
        tree=tree.render(shown),
        tree_more=more,
    )


def _years(tree: "Tree") -> list[Year]:
    """Per year the initiatives started, and the ids of the first few of them (from the start
    dates the tree has read already)."""
    years: dict[int, Year] = {}
    for pk in tree.by_start:
        started = tree.started[pk]
        if started is None:
            break  # the undated come last
        year = years.setdefault(started.year, Year(started.year, 0))
        year.count += 1
        if year.count <= TIMELINE_EXAMPLES:
            year.examples.append(pk)
    return [years[year] for year in sorted(years)]


@dataclass
class Tree:
    """The shape of who adapted ``method`` from whom, as ids: the trees' roots in the order
    they are shown (the most adapted first, then the first started), and under each initiative
    those who adapted from it. An initiative adapted from two others is shown under the one
    reached first."""

    method: Method
    roots: list[int]
    children: dict[int, list[int]]
    parent: dict[int, tuple[int, int]]  # initiative → (the one it adapted, the adaptation)
    sizes: dict[int, int]  # root → initiatives in its tree
    started: dict[int, date | None]  # every initiative of the spread → its start date
    by_start: list[int]  # every initiative, the first started first, the undated last
    places: dict[int, tuple[str | None, str]]  # every initiative → (municipality, country)
    loaded: dict[int, Initiative] = field(default_factory=dict)  # those shown, when loaded

    def load(self, pks: list[int]) -> None:
        """Read the initiatives of ``pks`` not read yet, in one query."""
        missing = [pk for pk in pks if pk not in self.loaded]
        if missing:
            self.loaded.update(Initiative.objects.select_related("municipality").in_bulk(missing))

    def initiatives(self, pks: list[int]) -> list[Initiative]:
        self.load(pks)
        return [self.loaded[pk] for pk in pks]

    @property
    def total(self) -> int:
        return len(self.started)

    def nodes(self, root: int) -> list[int]:
        """The initiatives of one tree, breadth-first."""
        order, i = [root], 0
        while i < len(order):
            order.extend(self.children.get(order[i], []))
            i += 1
        return order

    def preview(self, limit: int) -> tuple[list[int], int]:
        """Whole trees, the first ones, as many as fit in ``limit`` initiatives (the first one
        cut to ``limit`` if it is bigger), and how many initiatives are left out."""
        shown: list[int] = []
        for root in self.roots:
            if shown and len(shown) + self.sizes[root] > limit:
                break
            shown.extend(self.nodes(root)[: limit - len(shown)])
            if len(shown) >= limit:
                break
        return shown, self.total - len(shown)

    def render(self, shown: list[int]) -> list[dict[str, Any]]:
        """The nested nodes of the initiatives ``shown``, with only their initiatives and
        adaptations loaded."""
        wanted = set(shown)
        roots = [pk for pk in shown if self.parent.get(pk, (None, None))[0] not in wanted]
        initiatives = dict(zip(shown, self.initiatives(shown), strict=True))
        loaded = Adaptation.objects.filter(
            Q(pk__in=[self.parent[pk][1] for pk in shown if pk not in roots])
            | Q(source_method=self.method, initiative_id__in=roots)
        ).order_by("pk")
        adaptations = {a.pk: a for a in loaded}
        of_method = {a.initiative_id: a for a in adaptations.values() if a.source_method_id}

        def node(pk: int, is_root: bool) -> dict[str, Any]:
            return {
                "initiative": initiatives[pk],
                "adaptation": of_method.get(pk) if is_root else adaptations[self.parent[pk][1]],
                "children": [
                    node(child, False) for child in self.children.get(pk, []) if child in wanted
                ],
            }

        return [node(pk, True) for pk in roots]


def spread_tree(method: Method) -> Tree:
    """Who adapted ``method`` from whom, with each initiative's start and place: two queries
    of ids, whatever the size. (One query joining the adaptations to the spread is planned
    as a scan of every adaptation: 20 ms against 3.)"""
    ids = spread_ids(method)
    rows = Initiative.objects.filter(pk__in=ids).order_by()
    started, places = {}, {}
    for pk, start, municipality, country in rows.values_list(
        "pk", "start_date", "municipality_id", "country"
    ):
        started[pk], places[pk] = start, (municipality, country)
    adapted: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pk, source, target in (
        Adaptation.objects.filter(source_initiative_id__in=ids)
        .order_by("created_at", "pk")
        .values_list("pk", "source_initiative_id", "initiative_id")
    ):
        adapted[source].append((target, pk))
    targets = {target for kids in adapted.values() for target, _ in kids}
    by_start = sorted(started, key=lambda pk: (started[pk] is None, started[pk] or date.min, pk))
    tree = Tree(method, [], {}, {}, {}, started=started, by_start=by_start, places=places)
    seen: set[int] = set()

    def grow(root: int) -> None:
        order, i = [root], 0
        seen.add(root)
        while i < len(order):
            for target, pk in adapted.get(order[i], []):
                if target not in seen:
                    seen.add(target)
                    tree.parent[target] = (order[i], pk)
                    tree.children.setdefault(order[i], []).append(target)
                    order.append(target)
            i += 1
        tree.roots.append(root)
        tree.sizes[root] = len(order)

    for pk in by_start:
        if pk not in targets:
            grow(pk)
    for pk in by_start:  # initiatives that adapted from each other in a circle
        if pk not in seen:
            grow(pk)
    tree.roots.sort(key=lambda root: -tree.sizes[root])  # stable: the first started first
    return tree


def areas_with_counts(counts: dict[str, int], level: str, county: County | None = None) -> list:
    """Counties or municipalities (optionally of one county), each with ``entry_count``:
    copies of the areas this process keeps, for the caller to shade."""
    areas = freshness.kept_in_process(f"{AREAS_KEPT_AS}:{level}", lambda: _read_areas(level))
    chosen = [copy.copy(area) for area in areas if county is None or area.county_id == county.pk]
    for area in chosen:
        area.entry_count = counts.get(area.code, 0)
    return chosen


#: The name the areas are kept under in each process (with the level). They are SCB
#: reference data with boundaries of some 2 kB each, read again at the latest after
#: ``freshness.SECONDS`` (a new load of the reference data): reading the 290 municipalities
#: took 3 ms of each method page, which draws them twice.
AREAS_KEPT_AS = "knowledge:areas"


def _read_areas(level: str) -> list:
    if level == "county":
        return list(County.objects.all())
    return list(Municipality.objects.select_related("county"))


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
