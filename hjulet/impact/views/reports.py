"""The impact report: its page, editing and publishing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hjulet.core.pages import form_page
from hjulet.knowledge.services import can_manage_initiative

from .. import selectors, services
from ..forms import ReportForm
from ._common import _context, _initiative

DIMENSIONS = [
    ("what", gettext_lazy("What: the outcomes")),
    ("who", gettext_lazy("Who experiences them")),
    ("how_much", gettext_lazy("How much")),
    ("contribution", gettext_lazy("Contribution")),
    ("risk", gettext_lazy("Risk")),
]


def report(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug)
    impact_report = selectors.report_of(initiative)
    analysis = None
    if impact_report is not None and impact_report.sroi_id:
        analysis = selectors.analysis_query().get(pk=impact_report.sroi_id)
    return render(
        request,
        "impact/report.html",
        _context(
            request,
            initiative,
            indicators=selectors.indicators_of(initiative),
            cycles=selectors.test_cycles_of(initiative),
            analysis=analysis,
            result=selectors.sroi_result(analysis) if analysis else None,
            can_publish=can_manage_initiative(request.user, initiative),
            dimensions=[
                (key, label, getattr(impact_report, key, "") if impact_report else "")
                for key, label in DIMENSIONS
            ],
        ),
    )


@login_required
def report_edit(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    impact_report = selectors.report_of(initiative)
    return form_page(
        request,
        ReportForm(request.POST or None, instance=impact_report, initiative=initiative),
        lambda version, **data: services.report_update(
            actor=request.user, initiative=initiative, expected_version=version, **data
        ),
        template="impact/report_form.html",
        success_message=_("The impact report is saved."),
        success_url=reverse("impact:report", args=[initiative.slug]),
        context=lambda: _context(request, initiative),
    )


@login_required
@require_POST
def report_publish(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    publish = request.POST.get("publish") == "1"
    try:
        services.report_publish(actor=request.user, initiative=initiative, publish=publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The impact report is published; anyone can now read it.")
            if publish
            else _("The impact report is withdrawn; only your partners can see it."),
        )
    return redirect("impact:report", slug=initiative.slug)
