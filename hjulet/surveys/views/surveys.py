"""Survey pages: the list, creating and editing, the survey page, its actions and access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page

from .. import selectors, services
from ..forms import AccessForm, SurveyForm
from ..models import SurveyAccess


@for_visitors
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.surveys_for(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "surveys/survey_list.html",
        {"surveys": surveys, "reports": selectors.published_reports()},
    )


@login_required
def survey_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        SurveyForm(request.POST or None, user=request.user),
        lambda _version, **data: services.survey_create(actor=request.user, **data),
        template="surveys/survey_form.html",
        success_message=_("The survey is created. Add its questions."),
        success_url=lambda survey: reverse("surveys:detail", args=[survey.slug]),
    )


@login_required
def survey_update(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_to_manage(request.user, slug)
    return form_page(
        request,
        SurveyForm(request.POST or None, instance=survey, user=request.user),
        lambda version, **data: services.survey_update(
            actor=request.user, survey=survey, expected_version=version, **data
        ),
        template="surveys/survey_form.html",
        success_message=_("The survey is saved."),
        success_url=reverse("surveys:detail", args=[survey.slug]),
        context={"survey": survey},
    )


@login_required
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_to_see(request.user, slug)
    can_manage = services.can_manage(request.user, survey)
    can_read = services.can_read_answers(request.user, survey)
    anonymous_url = (
        request.build_absolute_uri(
            reverse("surveys:anonymous", args=[survey.slug, survey.anonymous_key])
        )
        if survey.anonymous_key and can_manage
        else ""
    )
    reports = survey.reports.all() if can_read else survey.reports.filter(is_published=True)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": selectors.questions_of(survey),
            "can_manage": can_manage,
            "can_read": can_read,
            "n_submitted": selectors.submitted(survey).count(),
            "n_invited": survey.invitations.count(),
            "reports": reports,
            "anonymous_url": anonymous_url,
            "access_grants": survey.access_grants.all() if can_manage else [],
            "access_form": AccessForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def access_grant(request: HttpRequest, slug: str) -> HttpResponse:
    """Give a research partner access to the raw answers (from the survey's page)."""
    survey = selectors.survey_to_manage(request.user, slug)
    form = AccessForm(request.POST)
    if form.is_valid():
        try:
            access = services.survey_access_grant(
                actor=request.user, survey=survey, **form.cleaned_data
            )
            messages.success(
                request,
                _(
                    "%(email)s can read the answers once signed in with that address. "
                    "Tell them the survey's address."
                )
                % {"email": access.email},
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("surveys:detail", args=[survey.slug]) + "#access")


@login_required
@require_POST
def access_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = selectors.survey_to_manage(request.user, slug)
    access = get_object_or_404(SurveyAccess, pk=pk, survey=survey)
    services.survey_access_revoke(actor=request.user, access=access)
    messages.success(
        request, _("%(email)s no longer has access to the answers.") % {"email": access.email}
    )
    return redirect(reverse("surveys:detail", args=[survey.slug]) + "#access")


@login_required
@require_POST
def survey_action(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    survey = selectors.survey_to_manage(request.user, slug)
    actions = {
        "open": lambda: services.survey_open(actor=request.user, survey=survey),
        "close": lambda: services.survey_close(actor=request.user, survey=survey),
        "anonymous-on": lambda: services.survey_set_anonymous_link(
            actor=request.user, survey=survey, enabled=True
        ),
        "anonymous-off": lambda: services.survey_set_anonymous_link(
            actor=request.user, survey=survey, enabled=False
        ),
    }
    if action not in actions:
        return HttpResponse(status=404)
    try:
        actions[action]()
        messages.success(request, _("Done."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:detail", slug=survey.slug)
