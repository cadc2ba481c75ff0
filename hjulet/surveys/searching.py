"""Published survey reports in the site-wide search (``hjulet.core.search.registry``).
A report is indexed when it is published (and again when its text changes while published)
and leaves the index when it is withdrawn; a draft report is never found."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy

from hjulet.core.search import registry
from hjulet.core.search.registry import Entry, SearchableKind

from .models import Report, ReportBlock

KIND = "survey_report"


def report_document(report: Report) -> tuple[str, str]:
    body = [report.introduction]
    for block in report.blocks.all():
        body += [block.heading, block.text]
    return report.title, "\n".join(part for part in body if part)


def index_report(report: Report) -> None:
    registry.index_while_public(KIND, report, report_document, public=report.is_published)


def _published():
    return Report.objects.filter(is_published=True)


def rebuild() -> int:
    blocks = Prefetch("blocks", queryset=ReportBlock.objects.order_by("position", "pk"))
    published = _published().prefetch_related(blocks)
    return registry.rebuild_from(KIND, published, report_document, chunk_size=500)


def visible_ids(pks: Sequence[int], _user: Any) -> list[int]:
    return registry.visible_among(_published(), pks)


def entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = (
        _published()
        .filter(pk__in=list(pks))
        .select_related("survey__organisation")
        .only("id", "slug", "title", "published_at", "survey__organisation__name")
    )
    return registry.entries_of(
        found,
        pks,
        url=lambda report: reverse("surveys:report", args=[report.slug]),
        context=lambda report: registry.context_line(
            report.survey.organisation.name, registry.published_on(report.published_at)
        ),
    )


def register_kinds() -> None:
    registry.register(
        SearchableKind(
            code=KIND,
            label=gettext_lazy("Survey report"),
            label_plural=gettext_lazy("Survey reports"),
            visible_ids=visible_ids,
            entries=entries,
            rebuild=rebuild,
            position=90,
        )
    )
