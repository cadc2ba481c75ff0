"""Published survey reports in the site-wide search (``hjulet.core.search.registry``).
A report is indexed when it is published (and again when its text changes while published)
and leaves the index when it is withdrawn; a draft report is never found."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjulet.core import search
from hjulet.core.search.registry import (
    Entry,
    SearchableKind,
    documents,
    index_while_public,
    ordered,
    register,
    visible_among,
)

from .models import Report, ReportBlock

KIND = "survey_report"


def report_document(report: Report) -> tuple[str, str]:
    body = [report.introduction]
    for block in report.blocks.all():
        body += [block.heading, block.text]
    return report.title, "\n".join(part for part in body if part)


def index_report(report: Report) -> None:
    index_while_public(KIND, report, report_document, public=report.is_published)


def _published():
    return Report.objects.filter(is_published=True)


def _documents() -> Iterable[tuple[int, str, str]]:
    blocks = Prefetch("blocks", queryset=ReportBlock.objects.order_by("position", "pk"))
    return documents(_published().prefetch_related(blocks), report_document, chunk_size=500)


def rebuild() -> int:
    return search.rebuild(KIND, _documents())


def visible_ids(pks: Sequence[int], _user: Any) -> list[int]:
    return visible_among(_published(), pks)


def entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = (
        _published()
        .filter(pk__in=list(pks))
        .select_related("survey__organisation")
        .only("id", "slug", "title", "published_at", "survey__organisation__name")
    )
    result = {}
    for report in found:
        parts = [report.survey.organisation.name]
        if report.published_at:
            parts.append(
                _("published %(date)s") % {"date": date_format(report.published_at, "DATE_FORMAT")}
            )
        result[report.pk] = Entry(
            pk=report.pk,
            url=reverse("surveys:report", args=[report.slug]),
            title=report.title,
            context=" · ".join(parts),
        )
    return ordered(result, pks)


def register_kinds() -> None:
    register(
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
