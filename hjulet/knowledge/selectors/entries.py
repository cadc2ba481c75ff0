"""Reads of one entry (its page, similar entries, history, partners, editors), the lists of
methods and the start page."""

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from hjulet.core import freshness, search
from hjulet.core.models import AuditEntry
from hjulet.core.tagging import attach_terms

from ..models import Adaptation, Initiative, Method, PartnerRole, Partnership
from .lists import initiative_list_query


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


#: Relations of methods to terms: attached from the terms the process keeps
#: (``core.tagging``), not prefetched.
TERM_RELATIONS = ("challenges", "target_groups", "sdgs")


def methods_list(q: str = "", *, tags: Sequence[str] = ()) -> Sequence[Method]:
    """Methods with their counts: the hits in rank order for a query, else every method
    (featured first). Either way only the rows of a page are read, with their pictures and
    ``tags`` (more relations: the list page shows none)."""
    # Counted in correlated subqueries, evaluated for the rows of a page only: two joined
    # COUNT(DISTINCT …) multiply initiatives by adaptations for every method (seconds at
    # national scale).
    terms = [name for name in tags if name in TERM_RELATIONS]
    methods = Method.objects.annotate(
        initiative_count=_count_per_method(Initiative.methods.through.objects, "method"),
        adaptation_count=_count_per_method(Adaptation.objects, "source_method"),
    ).prefetch_related("pictures", *(name for name in tags if name not in TERM_RELATIONS))
    if q.strip():
        return RankedMethods(search.search(q, kinds=["method"]), methods, terms)
    return MethodPages(methods.order_by("-is_featured", "title", "pk"), terms)


class _Pages(Sequence):
    """Methods for a paginator: a slice reads only the methods of one page, with their
    terms (``_read``); a single item is a slice of one."""

    terms: Sequence[str]

    def __len__(self) -> int:
        return self.count()

    def count(self) -> int:
        raise NotImplementedError

    def _read(self, window: slice) -> list[Method]:
        raise NotImplementedError

    def __getitem__(self, index):  # type: ignore[override]
        if not isinstance(index, slice):
            position = index + len(self) if index < 0 else index
            one = self[position : position + 1] if position >= 0 else []
            if not one:
                raise IndexError(index)
            return one[0]
        page = self._read(index)
        attach_terms(page, self.terms)
        return page


class MethodPages(_Pages):
    """Every method in order."""

    def __init__(self, methods: QuerySet[Method], terms: Sequence[str]) -> None:
        self.methods, self.terms = methods, terms

    @cached_property
    def total(self) -> int:
        return self.methods.count()

    def count(self) -> int:
        return self.total

    def _read(self, window: slice) -> list[Method]:
        return list(self.methods[window])


class RankedMethods(_Pages):
    """Methods a search found, in rank order (a common word finds hundreds, and a page
    shows 20)."""

    def __init__(
        self, hits: Sequence[search.Hit], methods: QuerySet[Method], terms: Sequence[str]
    ) -> None:
        self.hits = hits
        self.methods = methods
        self.terms = terms

    def count(self) -> int:
        return len(self.hits)

    def _read(self, window: slice) -> list[Method]:
        hits = self.hits[window]
        by_pk = {m.pk: m for m in self.methods.filter(pk__in=[hit.pk for hit in hits])}
        found = []
        for hit in hits:
            if hit.pk in by_pk:
                by_pk[hit.pk].hit = hit
                found.append(by_pk[hit.pk])
        return found


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
    return methods_list(q, tags=(*TERM_RELATIONS, "organisations"))


def similar_entries(
    text: str, *, exclude: tuple[str, int] | None = None, limit: int = 5
) -> dict[str, list]:
    """Initiatives and methods most like ``text`` ("finns det redan?")."""
    return _similar_found(_similar_pairs(text, exclude, limit), limit)


SIMILAR_CACHE_SECONDS = 60 * 60


def similar_to_entry(entry: Initiative | Method, *, limit: int = 4) -> dict[str, list]:
    """The "similar initiatives and methods" of an entry's own page: ``similar_entries`` for
    its title and summary, leaving itself out. Which entries they are is cached until
    anything changes (``core.freshness``); the entries themselves are read fresh."""
    kind = "initiative" if isinstance(entry, Initiative) else "method"
    pairs = freshness.cached(
        f"knowledge:similar:{kind}:{entry.pk}:{limit}",
        lambda: _similar_pairs(f"{entry.title} {entry.summary}", (kind, entry.pk), limit),
        seconds=SIMILAR_CACHE_SECONDS,
    )
    return _similar_found(pairs, limit)


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
