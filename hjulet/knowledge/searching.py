"""The knowledge bank's kinds in the site-wide search (``hjulet.core.search.registry``):
what a person may see of the initiatives and methods a search found, and how to show it."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hjulet.core.search.registry import Entry, SearchableKind, ordered, register

from . import indexing
from .models import Initiative, Method, PartnerRole
from .selectors import initiative_list_query


def _existing_ids(model, pks: Sequence[int], _user: Any) -> list[int]:
    """Every initiative and method is public (a partner waiting for an answer is left out
    of the context line, not the entry)."""
    found = set(model.objects.filter(pk__in=list(pks)).values_list("pk", flat=True))
    return [pk for pk in pks if pk in found]


def initiative_ids(pks: Sequence[int], user: Any) -> list[int]:
    return _existing_ids(Initiative, pks, user)


def method_ids(pks: Sequence[int], user: Any) -> list[int]:
    return _existing_ids(Method, pks, user)


def _initiative_context(initiative: Initiative) -> str:
    parts = [initiative.municipality.name]
    # Only accepted partners are prefetched (initiative_list_query).
    lead = next(
        (p for p in initiative.partnerships.all() if p.role == PartnerRole.LEAD),
        None,
    )
    if lead is not None:
        parts.append(lead.organisation.name)
    if initiative.stage_id:
        parts.append(str(initiative.stage))
    return " · ".join(parts)


def initiative_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = initiative_list_query().filter(pk__in=list(pks))
    return ordered(
        {
            i.pk: Entry(
                pk=i.pk,
                url=reverse("knowledge:initiative-detail", args=[i.slug]),
                title=i.title,
                context=_initiative_context(i),
            )
            for i in found
        },
        pks,
    )


def method_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = Method.objects.filter(pk__in=list(pks)).prefetch_related(
        Prefetch("organisations", to_attr="organisation_list")
    )
    return ordered(
        {
            m.pk: Entry(
                pk=m.pk,
                url=reverse("knowledge:method-detail", args=[m.slug]),
                title=m.title,
                context=" · ".join(o.name for o in m.organisation_list[:2]),
            )
            for m in found
        },
        pks,
    )


def register_kinds() -> None:
    register(
        SearchableKind(
            code="initiative",
            label=_("Initiative"),
            label_plural=_("Initiatives"),
            visible_ids=initiative_ids,
            entries=initiative_entries,
            rebuild=indexing.rebuild_initiatives,
            position=10,
        )
    )
    register(
        SearchableKind(
            code="method",
            label=_("Method"),
            label_plural=_("Methods"),
            visible_ids=method_ids,
            entries=method_entries,
            rebuild=indexing.rebuild_methods,
            position=20,
        )
    )
