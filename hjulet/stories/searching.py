"""Stories and research reports in the site-wide search (``hjulet.core.search.registry``).

A story is in the index only while it is published: a resident's story waiting for review
(or declined) is never found, and ``visible_ids`` checks again on every search. A research
report is public from the moment it is linked."""

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from hjulet.core import search
from hjulet.core.search import registry
from hjulet.core.search.registry import Entry, SearchableKind

from .models import ResearchReport, ReviewStatus, Story

STORY = "story"
REPORT = "report"


def story_document(story: Story) -> tuple[str, str]:
    return story.title, story.text


def report_document(report: ResearchReport) -> tuple[str, str]:
    body = [report.authors, report.institution, report.findings]
    return report.title, "\n".join(part for part in body if part)


def index_story(story: Story) -> None:
    registry.index_while_public(STORY, story, story_document, public=story.is_published)


def index_report(report: ResearchReport) -> None:
    registry.index_object(REPORT, report, report_document)


def remove_report(pk: int) -> None:
    search.remove_document(kind=REPORT, pk=pk)


def _published():
    return Story.objects.filter(status=ReviewStatus.PUBLISHED)


def rebuild_stories() -> int:
    return registry.rebuild_from(STORY, _published(), story_document)


def rebuild_reports() -> int:
    return registry.rebuild_from(REPORT, ResearchReport.objects.all(), report_document)


def story_ids(pks: Sequence[int], _user: Any) -> list[int]:
    return registry.visible_among(_published(), pks)


def _story_context(story: Story) -> str:
    return registry.context_line(
        story.organisation.name if story.organisation_id else "",
        story.author.display_name,
        date_format(story.published_at, "DATE_FORMAT"),
    )


def story_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = _published().filter(pk__in=list(pks)).select_related("author", "organisation")
    return registry.entries_of(
        found,
        pks,
        url=lambda story: reverse("stories:story-detail", args=[story.pk]),
        context=_story_context,
    )


def report_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    return registry.entries_of(
        ResearchReport.objects.filter(pk__in=list(pks)),
        pks,
        url=lambda report: reverse("stories:report-detail", args=[report.pk]),
        context=lambda report: registry.context_line(
            report.authors, report.institution, str(report.year)
        ),
    )


def register_kinds() -> None:
    registry.register(
        SearchableKind(
            code=STORY,
            label=gettext_lazy("Story"),
            label_plural=gettext_lazy("Stories"),
            visible_ids=story_ids,
            entries=story_entries,
            rebuild=rebuild_stories,
            position=80,
        )
    )
    registry.register(
        SearchableKind(
            code=REPORT,
            label=gettext_lazy("Research report"),
            label_plural=gettext_lazy("Research reports"),
            visible_ids=None,
            entries=report_entries,
            rebuild=rebuild_reports,
            position=85,
        )
    )
