"""Reports: creating, the builder and the report page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hjulet.core.forms import submit_form
from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page

from .. import selectors, services
from ..charts import bar_chart
from ..forms import BlockForm, ReportForm
from ..models import Report, ReportBlock
from ._common import _number


@login_required
def report_create(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_to_manage(request.user, slug)
    return form_page(
        request,
        ReportForm(request.POST or None),
        lambda _version, **data: services.report_create(actor=request.user, survey=survey, **data),
        template="surveys/report_form.html",
        success_url=lambda report: reverse("surveys:report-edit", args=[report.slug]),
        context={"survey": survey},
    )


def _report_to_manage(request: HttpRequest, slug: str) -> Report:
    report = get_object_or_404(Report.objects.select_related("survey__organisation"), slug=slug)
    if not services.can_manage(request.user, report.survey):
        raise PermissionDenied(_("Only the survey's managers can edit its reports."))
    return report


@login_required
def report_edit(request: HttpRequest, slug: str) -> HttpResponse:
    report = _report_to_manage(request, slug)
    survey = report.survey
    form = ReportForm(request.POST if "save_report" in request.POST else None, instance=report)
    block_form = BlockForm(request.POST if "add_block" in request.POST else None, survey=survey)
    added = None
    if request.method == "POST":
        done = None
        if "save_report" in request.POST:
            done = submit_form(
                request,
                form,
                lambda version, **data: services.report_update(
                    actor=request.user, report=report, expected_version=version, **data
                ),
            )
        elif "add_block" in request.POST:
            done = submit_form(
                request,
                block_form,
                lambda _version, **data: services.report_block_add(
                    actor=request.user, report=report, **data
                ),
            )
            if done is not None and request.htmx:
                # htmx swaps the builder in place: the new block shows without a reload.
                added = done
                block_form = BlockForm(survey=survey)
                done = None
        else:
            done = _report_action(request, report)
        if done is not None:
            return redirect("surveys:report-edit", slug=report.slug)
    blocks = _with_charts(selectors.report_blocks(report))
    context = {
        "report": report,
        "survey": survey,
        "form": form,
        "block_form": block_form,
        "blocks": blocks,
        "added": added,
    }
    status = 400 if form.errors or block_form.errors else 200
    if request.htmx and status == 400:
        status = 200  # htmx swaps only successful answers; the errors show in the form
    return render(request, "surveys/report_edit.html", context, status=status)


def _report_action(request: HttpRequest, report: Report) -> bool | None:
    try:
        if "publish" in request.POST:
            services.report_set_published(actor=request.user, report=report, published=True)
            messages.success(request, _("The report is published."))
        elif "unpublish" in request.POST:
            services.report_set_published(actor=request.user, report=report, published=False)
        elif "block" in request.POST:
            block = get_object_or_404(ReportBlock, pk=_number(request.POST["block"]), report=report)
            if "delete" in request.POST:
                services.report_block_delete(actor=request.user, block=block)
            else:
                offset = -1 if "up" in request.POST else 1
                services.report_block_move(actor=request.user, block=block, offset=offset)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return True


def _with_charts(blocks: list[dict]) -> list[dict]:
    for item in blocks:
        view = item.get("view")
        if view is not None and view.rows:
            item["chart"] = bar_chart(view.rows)
    return blocks


@for_visitors
def report_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The report page: public once published, else only for those who see the results."""
    report = get_object_or_404(Report.objects.select_related("survey__organisation"), slug=slug)
    if not selectors.can_see_report(request.user, report):
        raise PermissionDenied(_("The report is not published yet."))
    blocks = _with_charts(selectors.report_blocks(report))
    return render(
        request,
        "surveys/report_detail.html",
        {
            "report": report,
            "blocks": blocks,
            "n": selectors.submitted(report.survey).count(),
            "can_manage": services.can_manage(request.user, report.survey),
        },
    )
