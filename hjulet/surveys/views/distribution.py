"""Sending the survey: invitations with the organisation picker, preview and reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from hjulet.core.forms import render_form, submit_form

from .. import selectors, services
from ..forms import InviteForm, OrganisationFilterForm


def _picker(request: HttpRequest, picked_ids: list[str]) -> dict:
    """The organisation picker: the filters (a GET form), the organisations chosen so far and
    the matches not chosen yet (at most PICKER_LIMIT; "choose all" takes every match)."""
    filters = OrganisationFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    criteria = {k: v for k, v in criteria.items() if v}
    found = selectors.organisations_to_pick(**criteria)
    if criteria and "add_all" in request.GET:
        picked_ids = picked_ids + [str(pk) for pk in found.values_list("pk", flat=True)]
    picked = selectors.picked_organisations(picked_ids)
    matches = found.exclude(pk__in=[o.pk for o in picked])
    n_matches = matches.count()
    return {
        "filters": filters,
        "filtered": bool(criteria),
        "picked": picked,
        "matches": list(matches[: selectors.PICKER_LIMIT]),
        "n_matches": n_matches,
        "limit": selectors.PICKER_LIMIT,
    }


@login_required
def distribution(request: HttpRequest, slug: str) -> HttpResponse:
    survey = selectors.survey_to_manage(request.user, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and "remind" in request.POST:
        try:
            count = services.invitations_remind(actor=request.user, survey=survey)
            messages.success(request, _("Reminders sent: %(count)s.") % {"count": count})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("surveys:distribution", slug=survey.slug)
    previewing = request.method == "POST" and "preview" in request.POST
    created = None
    if not previewing:
        created = submit_form(
            request,
            form,
            lambda _version, **data: services.invitations_send(
                actor=request.user,
                survey=survey,
                emails=data["emails"],
                organisations=data["organisations"],
            ),
        )
    elif not form.is_valid():
        previewing = False
    if created is not None:
        messages.success(request, _("Invitations sent: %(count)s.") % {"count": len(created)})
        return redirect("surveys:distribution", slug=survey.slug)
    picked_ids = (
        request.POST.getlist("organisations")
        if request.method == "POST"
        else request.GET.getlist("org")
    )
    picker = _picker(request, picked_ids)
    example = picker["picked"][0] if picker["picked"] else None
    subject, body = services.invitation_preview(
        actor=request.user, survey=survey, organisation=example
    )
    if not form.is_bound:
        form = InviteForm(initial={"organisations": [o.pk for o in picker["picked"]]})
    return render_form(
        request,
        "surveys/distribution.html",
        {
            "form": form,
            "survey": survey,
            "invitations": survey.invitations.select_related("organisation"),
            "picker": picker,
            "previewing": previewing,
            "recipients": form.cleaned_data if previewing else None,
            "mail_subject": subject,
            "mail_body": body,
        },
    )
