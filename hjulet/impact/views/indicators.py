"""Indicators and their measurements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.core.pages import form_page
from hjulet.knowledge.models import Initiative

from .. import charts, selectors, services
from ..forms import IndicatorForm, MeasurementForm
from ..models import Indicator, Measurement
from ._common import _context, _initiative


@login_required
def indicator_create(request: HttpRequest, slug: str) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    return form_page(
        request,
        IndicatorForm(request.POST or None, initiative=initiative),
        lambda _v, **data: services.indicator_create(
            actor=request.user, initiative=initiative, **data
        ),
        template="impact/indicator_form.html",
        success_message=_("The indicator is added. Record the first measurement."),
        success_url=lambda indicator: _indicator_url(initiative, indicator.pk),
        context=lambda: _context(request, initiative),
    )


def _indicator_url(initiative: Initiative, pk: int) -> str:
    return reverse("impact:indicator-detail", args=[initiative.slug, pk])


@login_required
def indicator_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    indicator = get_object_or_404(Indicator, initiative=initiative, pk=pk)
    return form_page(
        request,
        IndicatorForm(request.POST or None, instance=indicator, initiative=initiative),
        lambda version, **data: services.indicator_update(
            actor=request.user,
            indicator=Indicator.objects.get(pk=pk),
            expected_version=version,
            **data,
        ),
        template="impact/indicator_form.html",
        success_message=_("The changes are saved."),
        success_url=_indicator_url(initiative, pk),
        context=lambda: _context(request, initiative, indicator=indicator),
    )


def indicator_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    initiative = _initiative(request, slug)
    indicator = get_object_or_404(
        Indicator.objects.select_related("outcome").prefetch_related("test_cycles"),
        initiative=initiative,
        pk=pk,
    )
    selectors.annotate_indicator(indicator)
    form = MeasurementForm(request.POST or None, initial={"date": timezone.localdate().isoformat()})
    if request.method == "POST":
        services.require_editor(request.user, initiative)
    return form_page(
        request,
        form,
        lambda _v, **data: services.measurement_create(
            actor=request.user, indicator=indicator, **data
        ),
        template="impact/indicator_detail.html",
        success_message=_("The measurement is recorded."),
        success_url=_indicator_url(initiative, pk),
        context=lambda: _context(
            request, initiative, indicator=indicator, chart=charts.progress_chart(indicator)
        ),
    )


@login_required
@require_POST
def measurement_delete(request: HttpRequest, slug: str, pk: int, row: int) -> HttpResponse:
    initiative = _initiative(request, slug, edit=True)
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__initiative"),
        indicator__initiative=initiative,
        indicator_id=pk,
        pk=row,
    )
    services.measurement_delete(actor=request.user, measurement=measurement)
    messages.success(request, _("The measurement is removed."))
    return redirect("impact:indicator-detail", slug=initiative.slug, pk=pk)
