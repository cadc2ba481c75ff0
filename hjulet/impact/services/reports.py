"""The impact report in five dimensions, and publishing it."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import changes
from hjulet.knowledge.models import Initiative

from .. import searching
from ..models import ImpactReport
from ._common import refresh_figures, require_editor, require_publisher

REPORT_FIELDS = ("what", "who", "how_much", "contribution", "risk", "sroi")


@transaction.atomic
def report_update(
    *,
    actor: Any,
    initiative: Initiative,
    expected_version: int | None = None,
    **fields: Any,
) -> ImpactReport:
    require_editor(actor, initiative)
    report, _created = ImpactReport.objects.select_for_update().get_or_create(initiative=initiative)
    with changes.edit(
        actor,
        report,
        REPORT_FIELDS,
        action="impact_report.update",
        expected_version=expected_version,
        lock=False,  # locked as it is got or created
        clean=False,
    ) as change:
        change.assign(fields)
        report.full_clean()
        if report.sroi is not None and report.sroi.initiative_id != initiative.pk:
            raise ValidationError({"sroi": _("Choose an SROI analysis of this initiative.")})
    if change.changes and report.is_published:
        searching.index_report(report)
    refresh_figures(initiative.pk)
    return report


@transaction.atomic
def report_publish(*, actor: Any, initiative: Initiative, publish: bool = True) -> ImpactReport:
    """Publish (or withdraw) the impact report. Publishing makes the initiative's theory of
    change, indicators, test cycles and SROI analyses public too."""
    require_publisher(actor, initiative)
    report, _created = ImpactReport.objects.select_for_update().get_or_create(initiative=initiative)
    action = "impact_report.publish" if publish else "impact_report.unpublish"
    with changes.edit(actor, report, ("is_published",), action=action, lock=False, clean=False):
        if publish and not any(
            getattr(report, name).strip() for name in ("what", "who", "how_much", "contribution")
        ):
            raise ValidationError(
                _("Describe at least what changes, for whom, how much or your contribution first.")
            )
        if report.is_published == publish:
            raise ValidationError(
                _("The report is already published.")
                if publish
                else _("The report is not published.")
            )
        report.is_published = publish
        report.published_at = timezone.now() if publish else None
    searching.index_report(report)
    refresh_figures(initiative.pk)
    return report
