"""Published knowledge summaries in the site-wide search (``hjulet.core.search.registry``).
A summary is indexed when its outcome is recorded (the question is then published); the
index never holds research projects, closed questions or anything still in progress."""

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hjulet.core.search import registry
from hjulet.core.search.registry import Entry, SearchableKind

from .models import Outcome
from .selectors import published_summaries

KIND = "knowledge_summary"


def summary_document(outcome: Outcome) -> tuple[str, str]:
    return outcome.title, outcome.summary


def index_summary(outcome: Outcome) -> None:
    """Index a knowledge summary if it is public, else make sure it is not in the index."""
    public = published_summaries().filter(pk=outcome.pk).exists()
    registry.index_while_public(KIND, outcome, summary_document, public=public)


def rebuild() -> int:
    return registry.rebuild_from(KIND, published_summaries(), summary_document)


def visible_ids(pks: Sequence[int], _user: Any) -> list[int]:
    return registry.visible_among(published_summaries(), pks)


def _summary_context(outcome: Outcome) -> str:
    published = date_format(outcome.published_at, "DATE_FORMAT") if outcome.published_at else ""
    return registry.context_line(outcome.question.organisation.name, published)


def entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = (
        published_summaries()
        .filter(pk__in=list(pks))
        .prefetch_related(None)
        .only("id", "title", "published_at", "question__title", "question__organisation__name")
    )
    return registry.entries_of(
        found,
        pks,
        url=lambda outcome: reverse("scienceshop:summary-detail", args=[outcome.pk]),
        title=lambda outcome: outcome.title or str(outcome.question),
        context=_summary_context,
    )


def register_kinds() -> None:
    from .indexing import RESEARCHER_KIND, rebuild_researcher_index

    registry.register_private(RESEARCHER_KIND, rebuild_researcher_index)
    registry.register(
        SearchableKind(
            code=KIND,
            label=_("Knowledge summary"),
            label_plural=_("Knowledge summaries"),
            visible_ids=visible_ids,
            entries=entries,
            rebuild=rebuild,
            position=30,
        )
    )
