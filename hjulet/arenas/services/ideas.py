"""Every write to arenas, agreements, challenges, ideas, comments, events and notifications.

Each function checks permissions first, validates, runs in a transaction and records an
audit entry. E-mail goes out after commit (core/mail.py).
"""

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation, User
from hjulet.core import audit
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.core.services import check_version, notify
from hjulet.core.uploads import check_pdf
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.services import initiative_create
from hjulet.regions.permissions import can_coordinate, hub_moderates

from . import searching
from .models import (
    HIDE_AFTER_REPORTS,
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_PAGES,
    AgreementStatus,
    Arena,
    ArenaOrganisation,
    ArenaPerson,
    ArenaRole,
    Challenge,
    Comment,
    Decision,
    Event,
    Follow,
    Idea,
    IdeaRevision,
    PartnershipAgreement,
    PersonRole,
    Registration,
    RegistrationStatus,
    Report,
    Support,
)

ARENA_FIELDS = ("name", "purpose", "municipality")
AGREEMENT_FIELDS = ("title", "kind", "purpose", "starts_on", "ends_on", "status")
CHALLENGE_FIELDS = (
    "title",
    "problem",
    "affected",
    "municipality",
    "ideas_from",
    "develop_from",
    "test_from",
    "evaluate_from",
    "ends_on",
)
EVENT_FIELDS = ("kind", "title", "starts_at", "place", "capacity")


# --- permissions ------------------------------------------------------------------------


def _is_member_of_any(actor: Any, organisation_ids: Iterable[int]) -> bool:
    return Membership.objects.filter(
        user=actor, organisation_id__in=list(organisation_ids)
    ).exists()


def can_manage_arena(actor: Any, arena: Arena) -> bool:
    """Coordinators (a hub's within its area), the arena's own coordinators and members of its
    lead organisations."""
    if not is_signed_in(actor):
        return False
    if can_coordinate(actor, arena):
        return True
    if arena.people.filter(user=actor, role=PersonRole.COORDINATOR).exists():
        return True
    leads = arena.memberships.filter(role=ArenaRole.LEAD).values_list("organisation_id", flat=True)
    return _is_member_of_any(actor, leads)


def can_post_challenge(
    actor: Any, *, arena: Arena | None, organisation: Organisation | None
) -> bool:
    if not is_signed_in(actor):
        return False
    if arena is not None:
        return can_manage_arena(actor, arena)
    if organisation is not None:
        return can_coordinate(actor, organisation) or _is_member_of_any(actor, [organisation.pk])
    return False


def can_manage_challenge(actor: Any, challenge: Challenge) -> bool:
    """Those who may post to its arena or for its organisation, and the coordinators of the
    challenge's kommun (a regional hub's moderate their area's challenges)."""
    return can_coordinate(actor, challenge) or can_post_challenge(
        actor, arena=challenge.arena, organisation=challenge.organisation
    )


def can_read_agreement(
    actor: Any,
    agreement: PartnershipAgreement,
    *,
    manages_arena: bool | None = None,
    organisation_ids: Collection[int] | None = None,
) -> bool:
    """Who sees an agreement on its arena's page, and may download its document: everyone,
    once it is in force or has ended (such agreements are public documents); while it is a
    draft, those who manage the arena and the members of its parties. Pages listing many
    agreements pass what they already know (``manages_arena``, the actor's organisations)."""
    if agreement.status != AgreementStatus.DRAFT:
        return True
    if not is_signed_in(actor):
        return False
    if manages_arena is None:
        manages_arena = can_manage_arena(actor, agreement.arena)
    if manages_arena:
        return True
    if organisation_ids is None:
        return agreement.parties.filter(pk__in=member_organisation_ids(actor)).exists()
    return any(party.pk in organisation_ids for party in agreement.parties.all())


def member_organisation_ids(actor: Any) -> set[int]:
    if not is_signed_in(actor):
        return set()
    return set(Membership.objects.filter(user=actor).values_list("organisation_id", flat=True))


def can_see(actor: Any, content: Idea | Comment) -> bool:
    """Hidden content: only moderators (a hub's coordinators in its area) and the author still
    see it."""
    if content.is_visible:
        return True
    if not is_signed_in(actor):
        return False
    return actor.is_moderator or content.author_id == actor.pk or hub_moderates(actor, content)


# --- helpers ----------------------------------------------------------------------------


def _unique_slug(model: type, text: str, fallback: str) -> str:
    base = slugify(text)[:200] or fallback
    slug, counter = base, 2
    while slug in {"ny"} or model.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _check_terms(field: str, terms: Sequence[Term], slug: str) -> None:
    wrong = [t for t in terms if t.vocabulary.slug != slug]
    if wrong:
        raise ValidationError(
            {field: _("%(terms)s cannot be used here.") % {"terms": ", ".join(map(str, wrong))}}
        )


# --- arenas and agreements --------------------------------------------------------------


@transaction.atomic
def arena_create(
    *,
    actor: Any,
    organisations: Sequence[tuple[Organisation, str]],
    people: Sequence[tuple[User, str]] = (),
    **fields: Any,
) -> Arena:
    """Start an arena: coordinators, or a member of one of its lead organisations."""
    require_signed_in(actor)
    leads = [org for org, role in organisations if role == ArenaRole.LEAD]
    require(
        actor.is_coordinator or _is_member_of_any(actor, [o.pk for o in leads]),
        _("Only coordinators, or members of a lead organisation, can start an arena."),
    )
    if not leads:
        raise ValidationError({"organisations": _("Choose at least one lead organisation.")})
    arena = Arena(created_by=actor, **{k: v for k, v in fields.items() if k in ARENA_FIELDS})
    arena.slug = _unique_slug(Arena, arena.name, "arena")
    arena.full_clean()
    arena.save()
    for organisation, role in organisations:
        ArenaOrganisation.objects.get_or_create(
            arena=arena, organisation=organisation, defaults={"role": role}
        )
    for user, role in people:
        ArenaPerson.objects.get_or_create(arena=arena, user=user, defaults={"role": role})
    audit.record(
        actor=actor,
        action="arena.create",
        target=arena,
        changes={
            **audit.created(arena, ARENA_FIELDS),
            "organisations": [None, sorted(o.name for o, _role in organisations)],
        },
    )
    return arena


@transaction.atomic
def arena_add_organisation(
    *, actor: Any, arena: Arena, organisation: Organisation, role: str = ArenaRole.PARTNER
) -> ArenaOrganisation:
    require(can_manage_arena(actor, arena), _("Only the arena's coordinators can change it."))
    if role not in ArenaRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    link, created = ArenaOrganisation.objects.get_or_create(
        arena=arena, organisation=organisation, defaults={"role": role}
    )
    if not created:
        raise ValidationError(
            {"organisation": _("%(name)s already takes part.") % {"name": organisation.name}}
        )
    audit.record(
        actor=actor,
        action="arena.add_organisation",
        target=arena,
        changes={"organisation": [None, organisation.name], "role": [None, role]},
    )
    return link


def _check_document(document: Any) -> None:
    if document:
        check_pdf(
            document,
            field="document",
            max_bytes=MAX_DOCUMENT_BYTES,
            max_pages=MAX_DOCUMENT_PAGES,
        )


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    arena: Arena,
    parties: Sequence[Organisation],
    document: Any = None,
    **fields: Any,
) -> PartnershipAgreement:
    require(
        can_manage_arena(actor, arena),
        _("Only the arena's coordinators can register its agreements."),
    )
    if len(parties) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    _check_document(document)
    agreement = PartnershipAgreement(
        arena=arena, **{k: v for k, v in fields.items() if k in AGREEMENT_FIELDS}
    )
    if document:
        agreement.document = document
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(parties)
    audit.record(
        actor=actor,
        action="agreement.create",
        target=agreement,
        changes={
            **audit.created(agreement, AGREEMENT_FIELDS),
            "parties": [None, sorted(p.name for p in parties)],
        },
    )
    return agreement


# --- challenges and events --------------------------------------------------------------


@transaction.atomic
def challenge_create(
    *,
    actor: Any,
    arena: Arena | None = None,
    organisation: Organisation | None = None,
    challenges: Sequence[Term] = (),
    sdgs: Sequence[Term] = (),
    **fields: Any,
) -> Challenge:
    """Post a challenge in an arena's or an organisation's name."""
    require_signed_in(actor)
    if arena is None and organisation is None:
        raise ValidationError({"organisation": _("Choose an arena or an organisation.")})
    require(
        can_post_challenge(actor, arena=arena, organisation=organisation),
        _("You can post challenges for arenas you coordinate or organisations you belong to."),
    )
    _check_terms("challenges", challenges, Vocabulary.CHALLENGE)
    _check_terms("sdgs", sdgs, Vocabulary.SDG)
    challenge = Challenge(
        arena=arena,
        organisation=organisation,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in CHALLENGE_FIELDS},
    )
    challenge.slug = _unique_slug(Challenge, challenge.title, "utmaning")
    challenge.full_clean()
    challenge.save()
    challenge.challenges.set(challenges)
    challenge.sdgs.set(sdgs)
    searching.index_challenge(challenge)
    Follow.objects.create(user=actor, challenge=challenge)
    audit.record(
        actor=actor,
        action="challenge.create",
        target=challenge,
        changes=audit.created(challenge, CHALLENGE_FIELDS),
    )
    return challenge


@transaction.atomic
def challenge_set_open(*, actor: Any, challenge: Challenge, is_open: bool) -> Challenge:
    require(
        can_manage_challenge(actor, challenge),
        _("Only the challenge's owners can open or close it."),
    )
    if challenge.is_open != is_open:
        challenge.is_open = is_open
        challenge.save(update_fields=["is_open", "updated_at"])
        audit.record(
            actor=actor,
            action="challenge.open" if is_open else "challenge.close",
            target=challenge,
            changes={"is_open": [not is_open, is_open]},
        )
    return challenge


@transaction.atomic
def event_create(*, actor: Any, challenge: Challenge, **fields: Any) -> Event:
    require(
        can_manage_challenge(actor, challenge),
        _("Only the challenge's owners can arrange events for it."),
    )
    event = Event(challenge=challenge, **{k: v for k, v in fields.items() if k in EVENT_FIELDS})
    event.full_clean()
    event.save()
    audit.record(
        actor=actor, action="event.create", target=event, changes=audit.created(event, EVENT_FIELDS)
    )
    return event


@transaction.atomic
def event_register(*, actor: Any, event: Event) -> Registration:
    """A place if one is free, otherwise the waiting list."""
    require_signed_in(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.starts_at < timezone.now():
        raise ValidationError(_("The event has already taken place."))
    registration = Registration.objects.filter(event=event, user=actor).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationError(_("You are already registered for this event."), code="duplicate")
    taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    status = RegistrationStatus.REGISTERED if taken < event.capacity else RegistrationStatus.WAITING
    if registration is None:
        registration = Registration(event=event, user=actor)
    registration.status = status
    registration.created_at = timezone.now()
    registration.save()
    audit.record(
        actor=actor,
        action="event.register",
        target=event,
        changes={"status": [None, status]},
    )
    return registration


@transaction.atomic
def registration_cancel(*, actor: Any, event: Event) -> Registration:
    """Cancel one's place; the first on the waiting list gets it."""
    require_signed_in(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    registration = Registration.objects.filter(
        event=event,
        user=actor,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    ).first()
    if registration is None:
        raise ValidationError(_("You are not registered for this event."))
    had_place = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    audit.record(actor=actor, action="event.cancel", target=event)
    if had_place:
        first = event.registrations.filter(status=RegistrationStatus.WAITING).first()
        if first is not None:
            first.status = RegistrationStatus.REGISTERED
            first.save(update_fields=["status"])
            audit.record(
                actor=None,
                action="event.promote",
                target=event,
                changes={"user": [None, first.user_id]},
            )
            notify(
                [first.user],
                lambda: _("You got a place at %(title)s.") % {"title": event.title},
                reverse("arenas:challenge-detail", args=[event.challenge.slug]),
            )
    return registration


# --- ideas ------------------------------------------------------------------------------


def _require_open(challenge: Challenge) -> None:
    if not challenge.is_open:
        raise ValidationError(
            _("The challenge is closed: it no longer takes new ideas or comments."), code="closed"
        )


@transaction.atomic
def idea_create(*, actor: Any, challenge: Challenge, title: str, body: str) -> Idea:
    """Anyone signed in, residents included, may post an idea to an open challenge."""
    require_signed_in(actor)
    _require_open(challenge)
    idea = Idea(challenge=challenge, author=actor, title=title, body=body)
    idea.full_clean()
    idea.save()
    searching.index_idea(idea)
    Follow.objects.create(user=actor, idea=idea)
    audit.record(
        actor=actor, action="idea.create", target=idea, changes=audit.created(idea, ["title"])
    )
    followers = User.objects.filter(
        pk__in=Follow.objects.filter(challenge=challenge).values("user")
    ).exclude(pk=actor.pk)
    notify(
        followers,
        lambda: (
            _("New idea for %(challenge)s: %(title)s")
            % {"challenge": challenge.title, "title": idea.title}
        ),
        reverse("arenas:idea-detail", args=[idea.pk]),
    )
    return idea


@transaction.atomic
def idea_update(
    *, actor: Any, idea: Idea, title: str, body: str, expected_version: int | None = None
) -> Idea:
    """The author edits the idea; what it said before is kept as history."""
    require_signed_in(actor)
    require(idea.author_id == actor.pk, _("Only the idea's author can edit it."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    check_version(idea, expected_version)
    if (idea.title, idea.body) == (title, body):
        return idea
    IdeaRevision.objects.create(
        idea=idea, version=idea.version, title=idea.title, body=idea.body, edited_by=actor
    )
    before = audit.snapshot(idea, ["title", "body"])
    idea.title, idea.body = title, body
    idea.full_clean()
    idea.version += 1
    idea.save()
    searching.index_idea(idea)
    audit.record(
        actor=actor,
        action="idea.update",
        target=idea,
        changes=audit.diff(before, audit.snapshot(idea, ["title", "body"])),
    )
    return idea


@transaction.atomic
def comment_create(
    *,
    actor: Any,
    idea: Idea,
    body: str,
    parent: Comment | None = None,
    organisation: Organisation | None = None,
) -> Comment:
    """A comment or a reply; with ``organisation`` the author answers for it (shown as a
    badge), which only its members can."""
    require_signed_in(actor)
    _require_open(idea.challenge)
    if not idea.is_visible:
        raise ValidationError(_("The idea is hidden while a moderator looks at it."))
    if parent is not None and (parent.idea_id != idea.pk or parent.parent_id is not None):
        raise ValidationError({"parent": _("You can only reply to a comment on this idea.")})
    if (
        organisation is not None
        and not Membership.objects.filter(user=actor, organisation=organisation).exists()
    ):
        raise ValidationError(
            {"organisation": _("You can only answer for organisations you are a member of.")}
        )
    comment = Comment(idea=idea, author=actor, body=body, parent=parent, organisation=organisation)
    comment.full_clean()
    comment.save()
    audit.record(actor=actor, action="comment.create", target=comment)
    followers = User.objects.filter(
        Q(pk__in=Follow.objects.filter(idea=idea).values("user")) | Q(pk=idea.author_id)
    ).exclude(pk=actor.pk)
    notify(
        followers,
        lambda: _("New comment on %(title)s") % {"title": idea.title},
        reverse("arenas:idea-detail", args=[idea.pk]) + f"#comment-{comment.pk}",
    )
    return comment


@transaction.atomic
def support_add(*, actor: Any, idea: Idea) -> Support:
    require_signed_in(actor)
    if not idea.is_visible:
        raise ValidationError(_("The idea is hidden while a moderator looks at it."))
    if idea.author_id == actor.pk:
        raise ValidationError(
            _("You cannot support your own idea; ask others to support it."), code="own_idea"
        )
    if Support.objects.filter(idea=idea, user=actor).exists():
        raise ValidationError(_("You already support this idea."), code="duplicate")
    support = Support.objects.create(idea=idea, user=actor)
    audit.record(actor=actor, action="idea.support", target=idea)
    return support


@transaction.atomic
def support_withdraw(*, actor: Any, idea: Idea) -> None:
    """Take back one's own support. Only the person who gave it can: each removes theirs."""
    require_signed_in(actor)
    removed, _kinds = Support.objects.filter(idea=idea, user=actor).delete()
    if not removed:
        raise ValidationError(_("You do not support this idea."), code="not_supporting")
    audit.record(actor=actor, action="idea.support_withdraw", target=idea)


@transaction.atomic
def follow_set(
    *, actor: Any, follow: bool, challenge: Challenge | None = None, idea: Idea | None = None
) -> bool:
    require_signed_in(actor)
    target = {"challenge": challenge} if challenge is not None else {"idea": idea}
    if follow:
        Follow.objects.get_or_create(user=actor, **target)
    else:
        Follow.objects.filter(user=actor, **target).delete()
    return follow


# --- moderation -------------------------------------------------------------------------


@transaction.atomic
def content_report(
    *, actor: Any, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> Report:
    """Report an idea or comment; the third person to report it hides it."""
    require_signed_in(actor)
    target = idea if idea is not None else comment
    field = "idea" if idea is not None else "comment"
    if target.author_id == actor.pk:
        raise ValidationError(_("You cannot report what you wrote yourself."))
    open_reports = Report.objects.filter(**{field: target}, decided_at__isnull=True)
    if Report.objects.filter(**{field: target}, reporter=actor).exists():
        raise ValidationError(_("You have already reported this."), code="duplicate")
    report = Report(reporter=actor, reason=reason, **{field: target})
    report.full_clean()
    report.save()
    audit.record(
        actor=actor, action=f"{field}.report", target=target, changes={"reason": [None, reason]}
    )
    reporters = open_reports.values("reporter").distinct().count()
    hidden_now = reporters >= HIDE_AFTER_REPORTS and not target.is_hidden
    if hidden_now:
        type(target).objects.filter(pk=target.pk).update(is_hidden=True)
        target.is_hidden = True
        if isinstance(target, Idea):
            searching.index_idea(target)
        audit.record(actor=None, action=f"{field}.hide", target=target)
    _tell_moderators(report, target, hidden_now)
    return report


def _moderators() -> Any:
    return User.objects.filter(
        Q(role_grants__role__in=["moderator", "admin"]) | Q(is_superuser=True), is_active=True
    ).distinct()


def _tell_moderators(report: Report, target: Idea | Comment, hidden_now: bool) -> None:
    """Every report reaches each moderator: why, and what was reported."""

    def text() -> str:
        values = {"reason": report.get_reason_display(), "excerpt": _excerpt(target)}
        if hidden_now:
            return _("Reported (%(reason)s) and now hidden until you decide: %(excerpt)s") % values
        return _("New report (%(reason)s): %(excerpt)s") % values

    moderators = _moderators().exclude(pk=report.reporter_id)
    notify(moderators, text, reverse("arenas:moderation-queue"))


def _excerpt(target: Idea | Comment) -> str:
    return target.title if isinstance(target, Idea) else target.body[:80]


@transaction.atomic
def moderation_decide(
    *,
    actor: Any,
    decision: str,
    explanation: str,
    idea: Idea | None = None,
    comment: Comment | None = None,
) -> Idea | Comment:
    """A moderator keeps or removes reported content; the author is told why."""
    require_signed_in(actor)
    target = idea if idea is not None else comment
    require(
        actor.is_moderator or hub_moderates(actor, target),
        _("Only moderators may decide on reported content."),
    )
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose keep or remove.")})
    if not explanation.strip():
        raise ValidationError({"explanation": _("Explain the decision to the author.")})
    field = "idea" if idea is not None else "comment"
    reports = Report.objects.filter(**{field: target}, decided_at__isnull=True)
    if not reports.exists():
        raise ValidationError(_("There is nothing to decide: no open reports."))
    reports.update(decision=decision, decided_by=actor, decided_at=timezone.now())
    target.is_hidden = False
    target.is_removed = decision == Decision.REMOVE
    target.save(update_fields=["is_hidden", "is_removed", "updated_at"])
    if isinstance(target, Idea):
        searching.index_idea(target)
    audit.record(
        actor=actor,
        action=f"{field}.moderate",
        target=target,
        changes={"decision": [None, decision], "explanation": [None, explanation]},
    )
    url = reverse("arenas:idea-detail", args=[idea.pk if idea is not None else comment.idea_id])
    notify(
        [target.author],
        lambda: (
            _("A moderator has decided on your post: %(excerpt)s") % {"excerpt": _excerpt(target)}
        ),
        url,
        email=False,
    )
    send_templated_mail(
        to=target.author.email,
        template="arenas/email/moderated",
        context={
            "removed": target.is_removed,
            "excerpt": _excerpt(target),
            "explanation": explanation,
            "url": absolute_url(url),
        },
        language=target.author.language,
    )
    return target


# --- from idea to practice --------------------------------------------------------------


def _lead_for(challenge: Challenge) -> Organisation | None:
    if challenge.organisation_id:
        return challenge.organisation
    link = (
        challenge.arena.memberships.filter(role=ArenaRole.LEAD)
        .select_related("organisation")
        .first()
    )
    return link.organisation if link else None


@transaction.atomic
def idea_to_initiative(*, actor: Any, idea: Idea, lead: Organisation | None = None) -> Initiative:
    """Take an idea into a test cycle: an initiative in the knowledge bank, pre-filled from
    the idea and linked both ways."""
    require_signed_in(actor)
    challenge = idea.challenge
    require(
        can_manage_challenge(actor, challenge),
        _("Only coordinators or the challenge's owners can take an idea further."),
    )
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if idea.initiative_id:
        raise ValidationError(_("The idea is already an initiative."), code="duplicate")
    if not idea.is_visible:
        raise ValidationError(_("A hidden idea cannot become an initiative."))
    lead = lead or _lead_for(challenge)
    if lead is None:
        raise ValidationError({"lead": _("Choose the organisation that leads the initiative.")})
    summary = " ".join(idea.body.split())
    initiative = initiative_create(
        actor=actor,
        lead=lead,
        title=idea.title,
        summary=summary[:397] + "…" if len(summary) > 400 else summary,
        description=idea.body,
        municipality=challenge.municipality,
        stage=Term.objects.in_vocabulary(Vocabulary.STAGE).get(code="test"),
        challenges=list(challenge.challenges.select_related("vocabulary")),
        sdgs=list(challenge.sdgs.select_related("vocabulary")),
    )
    idea.initiative = initiative
    idea.save(update_fields=["initiative", "updated_at"])
    audit.record(
        actor=actor,
        action="idea.to_initiative",
        target=idea,
        changes={"initiative": [None, initiative.slug]},
    )
    notify(
        User.objects.filter(
            Q(pk__in=Follow.objects.filter(idea=idea).values("user")) | Q(pk=idea.author_id)
        ).exclude(pk=actor.pk),
        lambda: _("The idea %(title)s is being tested as an initiative.") % {"title": idea.title},
        reverse("knowledge:initiative-detail", args=[initiative.slug]),
    )
    return initiative
