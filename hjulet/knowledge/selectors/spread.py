"""How a method spread, and the counts of initiatives per area for the maps."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from hjulet.core.models import County, Municipality
from hjulet.lib import countries

from ..models import Adaptation, Initiative, Method


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
