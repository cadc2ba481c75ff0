"""A hub's area and the one ordering rule of a hub: what lies in the area comes first, the
rest of Sweden after it (nothing is hidden). Municipality codes begin with their county's
code, so an area is just the set of its kommun codes."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

IN_AREA = "in_hub_area"


@dataclass(frozen=True)
class Area:
    name: str
    counties: frozenset[str]
    codes: frozenset[str]  # kommun codes, those of the counties included

    def contains(self, municipality_code: str | None) -> bool:
        return bool(municipality_code) and municipality_code in self.codes

    @property
    def touched_counties(self) -> frozenset[str]:
        """The counties the area lies in, wholly or partly."""
        return frozenset(code[:2] for code in self.codes)

    def q(self, path: str = "municipality") -> Q:
        return Q(**{f"{path}__in": sorted(self.codes)})


def in_area_first(
    queryset: QuerySet,
    area: Area | None,
    path: str = "municipality",
    condition: Q | None = None,
) -> QuerySet:
    """``queryset`` with the area's objects first and the queryset's own order kept inside
    each part; ``condition`` says what is in the area when ``path``'s kommun does not (pass
    one without multi-valued joins, e.g. ``pk__in=``, so that rows are not repeated). No
    area: the queryset as it was."""
    if area is None:
        return queryset
    order = list(queryset.query.order_by or queryset.model._meta.ordering or ["pk"])
    inside = condition if condition is not None else area.q(path)
    # An alias, not an annotation: it orders without joining the selected columns, so a
    # ``values_list`` of ids stays a list of ids.
    return queryset.alias(
        **{
            IN_AREA: Case(
                When(inside, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        }
    ).order_by(IN_AREA, *order)


def ids_in_area_first(ids: Sequence[int], in_area: Iterable[int]) -> list[int]:
    """Ranked ids (a search's) with those in the area first, each part in its rank order."""
    inside = set(in_area)
    return [i for i in ids if i in inside] + [i for i in ids if i not in inside]
