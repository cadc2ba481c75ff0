"""Reports of a survey's results: text and blocks, publishing."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import audit, changes

from .. import searching
from ..models import BlockKind, Question, QuestionType, Report, ReportBlock, Survey
from ._common import _move, _unique_slug, require_manage

REPORT_FIELDS = ("title", "introduction")


@transaction.atomic
def report_create(*, actor: Any, survey: Survey, **fields: Any) -> Report:
    require_manage(actor, survey)
    report = Report(survey=survey, **{k: v for k, v in fields.items() if k in REPORT_FIELDS})
    report.slug = _unique_slug(Report, report.title)
    return changes.create(actor, report, REPORT_FIELDS, action="report.create")


@transaction.atomic
def report_update(
    *, actor: Any, report: Report, expected_version: int | None = None, **fields: Any
) -> Report:
    require_manage(actor, report.survey)
    change = changes.update(
        actor,
        report,
        REPORT_FIELDS,
        fields,
        action="report.update",
        expected_version=expected_version,
    )
    if change.changes and change.instance.is_published:
        searching.index_report(change.instance)
    return change.instance


@transaction.atomic
def report_block_add(
    *,
    actor: Any,
    report: Report,
    kind: str,
    heading: str = "",
    text: str = "",
    question: Question | None = None,
) -> ReportBlock:
    require_manage(actor, report.survey)
    if kind in (BlockKind.CHART, BlockKind.CODES) and question is None:
        raise ValidationError({"question": _("Choose the question the chart shows.")})
    if question is not None and question.survey_id != report.survey_id:
        raise ValidationError({"question": _("The question belongs to another survey.")})
    if (
        kind == BlockKind.CHART
        and question is not None
        and not (
            question.has_choices or question.type in (QuestionType.INTEGER, QuestionType.DECIMAL)
        )
    ):
        raise ValidationError({"question": _("Charts show choice and number questions.")})
    if kind == BlockKind.CODES and question is not None and question.type != QuestionType.TEXT:
        raise ValidationError({"question": _("Code frequencies are for free-text questions.")})
    if kind == BlockKind.TEXT and not text.strip():
        raise ValidationError({"text": _("Write the text of the block.")})
    last = report.blocks.aggregate(last=Max("position"))["last"] or 0
    block = ReportBlock(
        report=report,
        position=last + 1,
        kind=kind,
        heading=heading,
        text=text,
        question=question,
    )
    changes.create(
        actor,
        block,
        action="report.block_add",
        target=report,
        also={"block": [None, {"kind": kind, "heading": heading}]},
    )
    if report.is_published:
        searching.index_report(report)
    return block


@transaction.atomic
def report_block_delete(*, actor: Any, block: ReportBlock) -> None:
    require_manage(actor, block.report.survey)
    changes.delete(
        actor,
        block,
        action="report.block_delete",
        target=block.report,
        changes={"block": [{"kind": block.kind, "heading": block.heading}, None]},
    )
    if block.report.is_published:
        searching.index_report(block.report)


@transaction.atomic
def report_block_move(*, actor: Any, block: ReportBlock, offset: int) -> None:
    require_manage(actor, block.report.survey)
    _move(block.report.blocks, block, offset, _("The block cannot move further."))
    audit.record(actor=actor, action="report.block_move", target=block.report)


@transaction.atomic
def report_set_published(*, actor: Any, report: Report, published: bool) -> Report:
    require_manage(actor, report.survey)
    action = "report.publish" if published else "report.unpublish"
    with changes.edit(actor, report, ("is_published",), action=action, clean=False) as change:
        report = change.instance
        if published and not report.blocks.exists():
            raise ValidationError(_("Add at least one block before publishing the report."))
        if report.is_published != published:
            report.is_published = published
            report.published_at = timezone.now() if published else None
    if change.changes:
        searching.index_report(report)
    return report
