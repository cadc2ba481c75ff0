"""Published stories and research reports as CSV, XLSX or JSON, like the other exports."""

from collections.abc import Callable, Iterator

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from hjulet.core.exports import download

from . import selectors

FORMATS = ("csv", "xlsx", "json")
STORY_HEADER = [
    "id",
    "title",
    "text",
    "author",
    "organisation",
    "published",
    "initiatives",
    "methods",
    "challenges",
    "url",
]
REPORT_HEADER = [
    "id",
    "title",
    "authors",
    "year",
    "institution",
    "doi",
    "url",
    "findings",
    "initiative",
    "method",
    "page",
]


def _story_rows(base: str) -> Iterator[list]:
    for story in selectors.published_stories().iterator(chunk_size=500):
        yield [
            story.pk,
            story.title,
            story.text,
            story.author.display_name,
            story.organisation.name if story.organisation_id else "",
            story.published_at.isoformat() if story.published_at else "",
            "; ".join(i.slug for i in story.initiatives.all()),
            "; ".join(m.slug for m in story.methods.all()),
            "; ".join(c.slug for c in story.challenges.all()),
            base + reverse("stories:story-detail", args=[story.pk]),
        ]


def _report_rows(base: str) -> Iterator[list]:
    for report in selectors.reports().iterator(chunk_size=500):
        yield [
            report.pk,
            report.title,
            report.authors,
            report.year,
            report.institution,
            report.doi,
            report.url,
            report.findings,
            report.initiative.slug if report.initiative_id else "",
            report.method.slug if report.method_id else "",
            base + reverse("stories:report-detail", args=[report.pk]),
        ]


def _download(
    request: HttpRequest,
    fmt: str,
    header: list[str],
    rows: Callable[[str], Iterator[list]],
    *,
    name: str,
    title: str,
) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    base = request.build_absolute_uri("/").rstrip("/")
    return download(fmt, header, rows(base), filename=f"{name}.{fmt}", title=title)


@require_safe
def stories(request: HttpRequest, fmt: str) -> HttpResponse:
    return _download(
        request, fmt, STORY_HEADER, _story_rows, name="berattelser", title="Berättelser"
    )


@require_safe
def reports(request: HttpRequest, fmt: str) -> HttpResponse:
    return _download(request, fmt, REPORT_HEADER, _report_rows, name="forskning", title="Forskning")
