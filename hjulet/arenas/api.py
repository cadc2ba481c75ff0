from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from hjulet.accounts.models import Organisation
from hjulet.core import api_lookups as lookups
from hjulet.core.api_auth import signed_in
from hjulet.core.api_versions import VERSION_ERRORS, IfMatch, expected_version
from hjulet.core.models import Vocabulary
from hjulet.core.schemas import ERRORS, ErrorOut

from . import selectors, services
from .models import Arena, ArenaRole, Comment, Event, Idea
from .schemas import (
    ArenaDetailOut,
    ArenaIn,
    ArenaOut,
    ChallengeIn,
    ChallengeOut,
    CommentIn,
    CommentOut,
    DecisionIn,
    DoneOut,
    IdeaIn,
    IdeaOut,
    IdeaPatch,
    RegistrationOut,
    ReportIn,
)

arenas_router = Router(tags=["arenas"])
challenges_router = Router(tags=["challenges"])
ideas_router = Router(tags=["ideas"])


def _organisations(field: str, ids: list[int]) -> list[Organisation]:
    return lookups.all_existing(Organisation, field, ids, _("Unknown organisation."))


# --- arenas -----------------------------------------------------------------------------


@arenas_router.get("", response=list[ArenaOut])
@paginate
def list_arenas(request: HttpRequest):
    return selectors.arenas()


@arenas_router.get("/{slug}", response={200: ArenaDetailOut, 404: ErrorOut})
def get_arena(request: HttpRequest, slug: str):
    return _with_visible_agreements(
        request, get_object_or_404(selectors.arena_detail_query(), slug=slug)
    )


def _with_visible_agreements(request: HttpRequest, arena: Arena) -> Arena:
    """The agreements the caller sees on the arena's page (drafts only for its people)."""
    arena.visible_agreements = selectors.visible_agreements(
        arena, request.auth, manages_arena=services.can_manage_arena(request.auth, arena)
    )
    return arena


@arenas_router.post("", response={201: ArenaDetailOut, **ERRORS}, auth=signed_in)
def create_arena(request: HttpRequest, payload: ArenaIn):
    organisations = [
        (o, ArenaRole.LEAD)
        for o in _organisations("lead_organisations", payload.lead_organisations)
    ] + [
        (o, ArenaRole.PARTNER)
        for o in _organisations("partner_organisations", payload.partner_organisations)
    ]
    municipality = (
        lookups.municipality("municipality", payload.municipality) if payload.municipality else None
    )
    arena = services.arena_create(
        actor=request.auth,
        name=payload.name,
        purpose=payload.purpose,
        municipality=municipality,
        organisations=organisations,
    )
    return Status(
        201, _with_visible_agreements(request, selectors.arena_detail_query().get(pk=arena.pk))
    )


# --- challenges -------------------------------------------------------------------------


def _challenge(slug: str):
    return get_object_or_404(selectors.challenge_detail_query(), slug=slug)


@challenges_router.get("", response=list[ChallengeOut])
@paginate
def list_challenges(request: HttpRequest, open_only: bool = False):
    return selectors.challenges(open_only=open_only).prefetch_related(
        "challenges", "sdgs", "events"
    )


@challenges_router.get("/{slug}", response={200: ChallengeOut, 404: ErrorOut})
def get_challenge(request: HttpRequest, slug: str):
    return _challenge(slug)


@challenges_router.post("", response={201: ChallengeOut, **ERRORS}, auth=signed_in)
def create_challenge(request: HttpRequest, payload: ChallengeIn):
    fields = payload.dict()
    arena_slug, organisation_id = fields.pop("arena"), fields.pop("organisation")
    owner = {}
    if arena_slug:
        owner["arena"] = selectors.arenas().filter(slug=arena_slug).first()
        if owner["arena"] is None:
            raise ValidationError({"arena": _("Unknown arena.")})
    elif organisation_id is not None:
        owner["organisation"] = _organisations("organisation", [organisation_id])[0]
    challenge = services.challenge_create(
        actor=request.auth,
        **owner,
        **{
            **fields,
            "municipality": lookups.municipality("municipality", fields["municipality"]),
            "challenges": lookups.terms("challenges", Vocabulary.CHALLENGE, fields["challenges"]),
            "sdgs": lookups.terms("sdgs", Vocabulary.SDG, fields["sdgs"]),
        },
    )
    return Status(201, _challenge(challenge.slug))


@challenges_router.get("/{slug}/ideas", response={200: list[IdeaOut], 404: ErrorOut})
@paginate
def list_ideas(request: HttpRequest, slug: str):
    return selectors.visible_ideas(_challenge(slug), request.auth)


@challenges_router.post("/{slug}/ideas", response={201: IdeaOut, **ERRORS}, auth=signed_in)
def create_idea(request: HttpRequest, slug: str, payload: IdeaIn):
    idea = services.idea_create(actor=request.auth, challenge=_challenge(slug), **payload.dict())
    return Status(201, selectors.idea_detail_query().get(pk=idea.pk))


@challenges_router.post(
    "/events/{event_id}/registration", response={201: RegistrationOut, **ERRORS}, auth=signed_in
)
def register(request: HttpRequest, event_id: int):
    event = get_object_or_404(Event, pk=event_id)
    return Status(201, services.event_register(actor=request.auth, event=event))


@challenges_router.delete(
    "/events/{event_id}/registration", response={200: RegistrationOut, **ERRORS}, auth=signed_in
)
def cancel_registration(request: HttpRequest, event_id: int):
    event = get_object_or_404(Event, pk=event_id)
    return services.registration_cancel(actor=request.auth, event=event)


# --- ideas ------------------------------------------------------------------------------


def _idea(request: HttpRequest, idea_id: int) -> Idea:
    idea = selectors.idea_detail_query().filter(pk=idea_id).first()
    if idea is None or not services.can_see(request.auth, idea):
        raise Http404
    return idea


@ideas_router.get("/{idea_id}", response={200: IdeaOut, 404: ErrorOut})
def get_idea(request: HttpRequest, idea_id: int):
    return _idea(request, idea_id)


@ideas_router.patch(
    "/{idea_id}", response={200: IdeaOut, **ERRORS, **VERSION_ERRORS}, auth=signed_in
)
def update_idea(request: HttpRequest, idea_id: int, payload: IdeaPatch, if_match: IfMatch = None):
    idea = services.idea_update(
        actor=request.auth,
        idea=_idea(request, idea_id),
        title=payload.title,
        body=payload.body,
        expected_version=expected_version(request, payload.version, if_match),
    )
    return selectors.idea_detail_query().get(pk=idea.pk)


@ideas_router.get("/{idea_id}/comments", response={200: list[CommentOut], 404: ErrorOut})
@paginate
def list_comments(request: HttpRequest, idea_id: int):
    return _idea(request, idea_id).comments.select_related("author", "organisation")


@ideas_router.post("/{idea_id}/comments", response={201: CommentOut, **ERRORS}, auth=signed_in)
def create_comment(request: HttpRequest, idea_id: int, payload: CommentIn):
    idea = _idea(request, idea_id)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, idea=idea).first()
        if parent is None:
            raise ValidationError({"parent": _("You can only reply to a comment on this idea.")})
    organisation = None
    if payload.organisation is not None:
        organisation = lookups.existing(
            Organisation, "organisation", payload.organisation, _("There is no such organisation.")
        )
    comment = services.comment_create(
        actor=request.auth, idea=idea, body=payload.body, parent=parent, organisation=organisation
    )
    return Status(201, comment)


@ideas_router.post("/{idea_id}/support", response={201: DoneOut, **ERRORS}, auth=signed_in)
def support(request: HttpRequest, idea_id: int):
    """Support an idea (400 when you already do, or when it is your own idea)."""
    services.support_add(actor=request.auth, idea=_idea(request, idea_id))
    return Status(201, {"detail": _("Thank you for supporting the idea.")})


@ideas_router.delete("/{idea_id}/support", response={200: DoneOut, **ERRORS}, auth=signed_in)
def withdraw_support(request: HttpRequest, idea_id: int):
    """Take back your own support (400 when you do not support the idea)."""
    services.support_withdraw(actor=request.auth, idea=_idea(request, idea_id))
    return {"detail": _("Your support is withdrawn.")}


@ideas_router.post("/{idea_id}/report", response={201: DoneOut, **ERRORS}, auth=signed_in)
def report_idea(request: HttpRequest, idea_id: int, payload: ReportIn):
    services.content_report(actor=request.auth, idea=_idea(request, idea_id), **payload.dict())
    return Status(201, {"detail": _("Thank you. A moderator will look at it.")})


@ideas_router.post(
    "/comments/{comment_id}/report", response={201: DoneOut, **ERRORS}, auth=signed_in
)
def report_comment(request: HttpRequest, comment_id: int, payload: ReportIn):
    comment = get_object_or_404(Comment, pk=comment_id)
    services.content_report(actor=request.auth, comment=comment, **payload.dict())
    return Status(201, {"detail": _("Thank you. A moderator will look at it.")})


@ideas_router.post("/{idea_id}/initiative", response={201: DoneOut, **ERRORS}, auth=signed_in)
def to_initiative(request: HttpRequest, idea_id: int):
    initiative = services.idea_to_initiative(actor=request.auth, idea=_idea(request, idea_id))
    return Status(201, {"detail": initiative.slug})


@ideas_router.post("/{idea_id}/decision", response={200: DoneOut, **ERRORS}, auth=signed_in)
def decide_idea(request: HttpRequest, idea_id: int, payload: DecisionIn):
    """Moderators: keep or remove a reported idea; the author is told why."""
    idea = get_object_or_404(Idea, pk=idea_id)
    services.moderation_decide(actor=request.auth, idea=idea, **payload.dict())
    return {"detail": _("The decision is saved and the author is told.")}


@ideas_router.post(
    "/comments/{comment_id}/decision", response={200: DoneOut, **ERRORS}, auth=signed_in
)
def decide_comment(request: HttpRequest, comment_id: int, payload: DecisionIn):
    """Moderators: keep or remove a reported comment; the author is told why."""
    comment = get_object_or_404(Comment, pk=comment_id)
    services.moderation_decide(actor=request.auth, comment=comment, **payload.dict())
    return {"detail": _("The decision is saved and the author is told.")}
