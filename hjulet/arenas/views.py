from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from hjulet.accounts import selectors as account_selectors
from hjulet.core import selectors as core_selectors
from hjulet.core.page_cache import for_visitors
from hjulet.core.pages import form_page, query_without
from hjulet.core.uploads import attachment_response, safe_filename
from hjulet.regions import context as hub_context
from hjulet.regions.area import in_area_first
from hjulet.regions.permissions import hub_codes

from . import selectors, services
from .forms import (
    AgreementForm,
    ChallengeForm,
    CommentForm,
    DecisionForm,
    EventForm,
    IdeaForm,
    ReportForm,
)
from .models import Arena, Challenge, Comment, Event, Idea, PartnershipAgreement

PAGE_SIZE = 20


def _page(request: HttpRequest, rows: Any) -> dict[str, Any]:
    """One page of a list (``?page=``, Django's ``get_page``: a page that is not a number is
    the first, one beyond the last the last), with the query string the page links keep."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "query": query_without(request, "page")}


def _fail(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- arenas -----------------------------------------------------------------------------


@for_visitors
def arena_list(request: HttpRequest) -> HttpResponse:
    context = _page(request, selectors.arenas().order_by("name", "pk"))
    return render(
        request, "arenas/arena_list.html", {"arenas": context["page"].object_list, **context}
    )


@for_visitors
def arena_detail(request: HttpRequest, slug: str) -> HttpResponse:
    arena = get_object_or_404(selectors.arena_detail_query(), slug=slug)
    can_manage = services.can_manage_arena(request.user, arena)
    agreements = selectors.visible_agreements(arena, request.user, manages_arena=can_manage)
    return render(
        request,
        "arenas/arena_detail.html",
        {"arena": arena, "agreements": agreements, "can_manage": can_manage},
    )


@require_safe
def agreement_document(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The agreement's PDF, as a download, for those who see the agreement on the arena's
    page; 404 for everyone else, as for an agreement that does not exist."""
    agreement = (
        PartnershipAgreement.objects.select_related("arena").filter(arena__slug=slug, pk=pk).first()
    )
    if (
        agreement is None
        or not agreement.document
        or not services.can_read_agreement(request.user, agreement)
    ):
        raise Http404
    try:
        file = agreement.document.storage.open(agreement.document.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment_response(file, filename=safe_filename(agreement.title, extension="pdf"))


@login_required
def agreement_create(request: HttpRequest, slug: str) -> HttpResponse:
    arena = get_object_or_404(Arena, slug=slug)
    if not services.can_manage_arena(request.user, arena):
        raise PermissionDenied(_("Only the arena's coordinators can register its agreements."))
    return form_page(
        request,
        AgreementForm(request.POST or None, request.FILES or None, arena=arena),
        lambda _version, **data: services.agreement_create(actor=request.user, arena=arena, **data),
        template="arenas/agreement_form.html",
        success_message=_("The agreement is registered."),
        success_url=reverse("arenas:arena-detail", args=[slug]),
        context={"arena": arena},
    )


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = get_object_or_404(Challenge, slug=slug)
    if not services.can_manage_challenge(request.user, challenge):
        raise PermissionDenied(_("Only the challenge's owners can arrange events for it."))
    return form_page(
        request,
        EventForm(request.POST or None),
        lambda _version, **data: services.event_create(
            actor=request.user, challenge=challenge, **data
        ),
        template="arenas/event_form.html",
        success_message=_("The event is published."),
        success_url=reverse("arenas:challenge-detail", args=[slug]),
        context={"challenge": challenge},
    )


# --- challenges -------------------------------------------------------------------------


@for_visitors
def challenge_list(request: HttpRequest) -> HttpResponse:
    open_only = request.GET.get("oppna") == "1"
    context = _page(
        request,
        in_area_first(
            selectors.challenges(open_only=open_only).order_by("-created_at", "-pk"),
            hub_context.ordering_area(request),
        ),
    )
    return render(
        request,
        "arenas/challenge_list.html",
        {
            "challenges": context["page"].object_list,
            **context,
            "open_only": open_only,
            **hub_context.hub_context(request),
            "unread": core_selectors.unread_count(request.user),
        },
    )


@login_required
def challenge_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        ChallengeForm(request.POST or None, user=request.user),
        lambda _version, owner, **data: services.challenge_create(
            actor=request.user, **owner, **data
        ),
        template="arenas/challenge_form.html",
        success_message=_("The challenge is published."),
        success_url=lambda challenge: reverse("arenas:challenge-detail", args=[challenge.slug]),
    )


@for_visitors
def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = get_object_or_404(selectors.challenge_detail_query(), slug=slug)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return form_page(
        request,
        IdeaForm(request.POST or None),
        lambda _version, **data: services.idea_create(
            actor=request.user, challenge=challenge, **data
        ),
        template="arenas/challenge_detail.html",
        success_message=_("Thank you! Your idea is published."),
        success_url=_idea_url,
        context=lambda: {
            "challenge": challenge,
            "ideas": selectors.visible_ideas(challenge, request.user),
            "following": selectors.follows_challenge(challenge, request.user),
            "can_manage": services.can_manage_challenge(request.user, challenge),
            "registrations": selectors.registrations_of(request.user),
        },
    )


def _idea_url(idea: Idea) -> str:
    return reverse("arenas:idea-detail", args=[idea.pk])


@login_required
@require_POST
def challenge_follow(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = get_object_or_404(selectors.challenge_detail_query(), slug=slug)
    follow = request.POST.get("follow") == "1"
    services.follow_set(actor=request.user, challenge=challenge, follow=follow)
    messages.success(
        request,
        _("You follow the challenge.") if follow else _("You no longer follow the challenge."),
    )
    return redirect("arenas:challenge-detail", slug=slug)


@login_required
@require_POST
def challenge_open(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = get_object_or_404(selectors.challenge_detail_query(), slug=slug)
    is_open = request.POST.get("open") == "1"
    services.challenge_set_open(actor=request.user, challenge=challenge, is_open=is_open)
    messages.success(
        request, _("The challenge is open.") if is_open else _("The challenge is closed.")
    )
    return redirect("arenas:challenge-detail", slug=slug)


@login_required
@require_POST
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("challenge"), pk=pk)
    try:
        if request.POST.get("cancel") == "1":
            services.registration_cancel(actor=request.user, event=event)
            messages.success(request, _("Your registration is cancelled."))
        else:
            registration = services.event_register(actor=request.user, event=event)
            messages.success(
                request,
                _("You are registered.")
                if registration.status == "registered"
                else _(
                    "The event is full: you are on the waiting list and get a place if "
                    "someone cancels."
                ),
            )
    except ValidationError as error:
        _fail(request, error)
    return redirect("arenas:challenge-detail", slug=event.challenge.slug)


# --- ideas ------------------------------------------------------------------------------


def _idea(request: HttpRequest, pk: int) -> Idea:
    idea = get_object_or_404(selectors.idea_detail_query(), pk=pk)
    if not services.can_see(request.user, idea):
        raise Http404
    return idea


@for_visitors
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    answer_organisations = account_selectors.organisations_of(request.user)
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return form_page(
        request,
        CommentForm(request.POST or None, organisations=answer_organisations),
        lambda _version, body, parent=None, organisation=None: services.comment_create(
            actor=request.user,
            idea=idea,
            body=body,
            parent=Comment.objects.filter(pk=parent).first() if parent else None,
            organisation=organisation,
        ),
        template="arenas/idea_detail.html",
        success_message=_("Your comment is published."),
        success_url=lambda comment: f"{request.path}#comment-{comment.pk}",
        context=lambda: {
            "idea": idea,
            "challenge": idea.challenge,
            "comments": selectors.comments_for(idea),
            "answer_organisations": answer_organisations,
            "report_form": ReportForm(),
            "revisions": idea.revisions.all(),
            "state": selectors.idea_state_for(idea, request.user),
            "can_take_further": request.user.is_authenticated
            and (
                request.user.is_coordinator
                or services.can_manage_challenge(request.user, idea.challenge)
            ),
            "is_author": request.user.is_authenticated and idea.author_id == request.user.pk,
        },
    )


@login_required
def idea_update(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    if idea.author_id != request.user.pk:
        raise PermissionDenied(_("Only the idea's author can edit it."))
    return form_page(
        request,
        IdeaForm(
            request.POST or None,
            initial={"title": idea.title, "body": idea.body, "version": idea.version},
        ),
        lambda version, **data: services.idea_update(
            actor=request.user, idea=idea, expected_version=version, **data
        ),
        template="arenas/idea_form.html",
        success_message=_("The changes are saved."),
        success_url=_idea_url(idea),
        context={"idea": idea},
    )


def _on_idea(request: HttpRequest, pk: int, service: Callable[..., Any], done: str) -> HttpResponse:
    """Have ``service`` act on the idea for the person: ``done`` when it did, the reason when
    it would not; back to the idea either way."""
    idea = _idea(request, pk)
    try:
        service(actor=request.user, idea=idea)
        messages.success(request, done)
    except ValidationError as error:
        _fail(request, error)
    return redirect("arenas:idea-detail", pk=pk)


@login_required
@require_POST
def idea_support(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_idea(request, pk, services.support_add, _("Thank you for supporting the idea."))


@login_required
@require_POST
def idea_support_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_idea(request, pk, services.support_withdraw, _("Your support is withdrawn."))


@login_required
@require_POST
def idea_follow(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    follow = request.POST.get("follow") == "1"
    services.follow_set(actor=request.user, idea=idea, follow=follow)
    messages.success(
        request, _("You follow the idea.") if follow else _("You no longer follow the idea.")
    )
    return redirect("arenas:idea-detail", pk=pk)


@login_required
@require_POST
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    form = ReportForm(request.POST)
    if kind == "ide":
        target = {"idea": _idea(request, pk)}
        idea_pk = pk
    else:
        comment = get_object_or_404(Comment, pk=pk)
        target = {"comment": comment}
        idea_pk = comment.idea_id
    if not form.is_valid():
        messages.error(request, _("Choose a reason for the report."))
    else:
        try:
            services.content_report(
                actor=request.user, reason=form.cleaned_data["reason"], **target
            )
            messages.success(request, _("Thank you. A moderator will look at it."))
        except ValidationError as error:
            _fail(request, error)
    return redirect("arenas:idea-detail", pk=idea_pk)


@login_required
@require_POST
def idea_to_initiative(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    try:
        initiative = services.idea_to_initiative(actor=request.user, idea=idea)
    except ValidationError as error:
        _fail(request, error)
        return redirect("arenas:idea-detail", pk=pk)
    messages.success(
        request, _("The idea is now an initiative in the knowledge bank. Complete it here.")
    )
    return redirect("knowledge:initiative-detail", slug=initiative.slug)


# --- moderation -------------------------------------------------------------------------


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    # Moderators see every report; a regional hub's coordinators those in their area.
    area = None if request.user.is_moderator else hub_codes(request.user)
    if area is not None and not area:
        raise PermissionDenied(_("Only moderators may see the moderation queue."))
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        kind, _sep, pk = request.POST.get("target", "").partition(":")
        model = {"idea": Idea, "comment": Comment}.get(kind)
        if model is None or not pk.isdigit():
            raise Http404
        target = get_object_or_404(model, pk=pk)
        if form.is_valid():
            try:
                services.moderation_decide(
                    actor=request.user, **{kind: target}, **form.cleaned_data
                )
                messages.success(request, _("The decision is saved and the author is told."))
                return redirect("arenas:moderation-queue")
            except ValidationError as error:
                _fail(request, error)
        else:
            messages.error(request, _("Choose a decision and explain it to the author."))
    return render(
        request, "arenas/moderation_queue.html", {**selectors.moderation_queue(area), "form": form}
    )
