"""Ideas, comments on them, support and follows, and an idea's way into the knowledge bank."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, Organisation, User
from hjulet.core import audit, changes
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import require, require_signed_in
from hjulet.core.services import notify
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.services import initiative_create

from .. import searching
from ..models import (
    ArenaRole,
    Challenge,
    Comment,
    Follow,
    Idea,
    IdeaRevision,
    Support,
)
from .permissions import can_manage_challenge

IDEA_FIELDS = ("title", "body")


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
    changes.create(actor, idea, ["title"], action="idea.create")
    searching.index_idea(idea)
    Follow.objects.create(user=actor, idea=idea)
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
    idea = changes.locked(idea, expected_version)
    if (idea.title, idea.body) == (title, body):
        return idea
    with changes.edit(actor, idea, IDEA_FIELDS, action="idea.update", lock=False) as change:
        IdeaRevision.objects.create(
            idea=idea, version=idea.version, title=idea.title, body=idea.body, edited_by=actor
        )
        change.assign({"title": title, "body": body})
    searching.index_idea(idea)
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
    changes.create(actor, comment, (), action="comment.create")
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
