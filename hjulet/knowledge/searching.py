"""The knowledge bank's kinds in the site-wide search (``hjulet.core.search.registry``):
what a person may see of the initiatives and methods a search found, and how to show it."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hjulet.core.search import registry
from hjulet.core.search.registry import Entry, SearchableKind

from . import indexing
from .models import Initiative, Method, PartnerRole, Partnership


def initiative_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    """Every initiative is public; the context line names its place, its lead (an accepted
    partnership only: a partner waiting for an answer is never shown) and its stage."""
    found = (
        Initiative.objects.filter(pk__in=list(pks))
        .select_related("municipality", "stage")
        .only(
            "id",
            "slug",
            "title",
            "country",
            "place",
            "municipality__name",
            "stage__label_sv",
            "stage__label_en",
        )
    )
    leads = dict(
        Partnership.objects.accepted()
        .filter(initiative_id__in=list(pks), role=PartnerRole.LEAD)
        .values_list("initiative_id", "organisation__name")
    )

    def context(initiative: Initiative) -> str:
        stage = initiative.stage.label if initiative.stage_id else ""
        return registry.context_line(initiative.place_name, leads.get(initiative.pk, ""), stage)

    return registry.entries_of(
        found,
        pks,
        url=lambda initiative: reverse("knowledge:initiative-detail", args=[initiative.slug]),
        context=context,
    )


def method_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = (
        Method.objects.filter(pk__in=list(pks))
        .only("id", "slug", "title")
        .prefetch_related(Prefetch("organisations", to_attr="organisation_list"))
    )
    return registry.entries_of(
        found,
        pks,
        url=lambda method: reverse("knowledge:method-detail", args=[method.slug]),
        context=lambda method: " · ".join(o.name for o in method.organisation_list[:2]),
    )


def initiatives_in_area(pks: Sequence[int], area: Any) -> list[int]:
    """The initiatives among ``pks`` in a hub's area (one query)."""
    return list(Initiative.objects.filter(area.q(), pk__in=list(pks)).values_list("pk", flat=True))


def register_kinds() -> None:
    registry.register(
        SearchableKind(
            code="initiative",
            label=_("Initiative"),
            label_plural=_("Initiatives"),
            visible_ids=None,
            entries=initiative_entries,
            rebuild=indexing.rebuild_initiatives,
            position=10,
            in_area=initiatives_in_area,
        )
    )
    registry.register(
        SearchableKind(
            code="method",
            label=_("Method"),
            label_plural=_("Methods"),
            visible_ids=None,
            entries=method_entries,
            rebuild=indexing.rebuild_methods,
            position=20,
        )
    )
