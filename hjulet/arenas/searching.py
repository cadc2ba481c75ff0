"""Challenges and ideas in the site-wide search (``hjulet.core.search.registry``).

A challenge is public from the moment it is posted. An idea is in the index only while it
is visible: hidden after reports (until a moderator keeps it) or removed by a moderator, it
leaves the index, and ``visible_ids`` checks again on every search."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjulet.core.search import registry
from hjulet.core.search.registry import Entry, SearchableKind

from .models import Challenge, Idea, Phase

CHALLENGE = "challenge"
IDEA = "idea"


def challenge_document(challenge: Challenge) -> tuple[str, str]:
    body = [challenge.problem, challenge.affected, challenge.municipality.name]
    return challenge.title, "\n".join(body)


def idea_document(idea: Idea) -> tuple[str, str]:
    return idea.title, idea.body


def index_challenge(challenge: Challenge) -> None:
    registry.index_object(CHALLENGE, challenge, challenge_document)


def index_idea(idea: Idea) -> None:
    """Index a visible idea; take a hidden or removed one out of the index."""
    registry.index_while_public(IDEA, idea, idea_document, public=idea.is_visible)


def _visible_ideas():
    return Idea.objects.filter(is_hidden=False, is_removed=False)


def rebuild_challenges() -> int:
    challenges = Challenge.objects.select_related("municipality")
    return registry.rebuild_from(CHALLENGE, challenges, challenge_document)


def rebuild_ideas() -> int:
    return registry.rebuild_from(IDEA, _visible_ideas(), idea_document)


def idea_ids(pks: Sequence[int], _user: Any) -> list[int]:
    """Visible ideas only: the author's own hidden idea is shown to them on its page, not
    found by the search. The hidden and removed ideas are few (the moderation queue and what
    moderators removed), so they are what is read, whatever the number of hits."""
    invisible = set(
        Idea.objects.filter(Q(is_hidden=True) | Q(is_removed=True)).values_list("pk", flat=True)
    )
    return [pk for pk in pks if pk not in invisible]


def _challenge_context(challenge: Challenge) -> str:
    state = ""
    if not challenge.is_open:
        state = _("closed for ideas")
    elif challenge.current_phase:
        state = _("phase: %(phase)s") % {"phase": str(Phase(challenge.current_phase).label).lower()}
    return registry.context_line(challenge.owner_name, challenge.municipality.name, state)


def challenge_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = Challenge.objects.filter(pk__in=list(pks)).select_related(
        "arena", "organisation", "municipality"
    )
    return registry.entries_of(
        found,
        pks,
        url=lambda c: reverse("arenas:challenge-detail", args=[c.slug]),
        context=_challenge_context,
    )


def _idea_context(idea: Idea) -> str:
    return registry.context_line(
        _("idea for %(challenge)s") % {"challenge": idea.challenge.title},
        date_format(idea.created_at, "DATE_FORMAT"),
    )


def idea_entries(pks: Sequence[int], _user: Any) -> list[Entry]:
    found = (
        _visible_ideas()
        .filter(pk__in=list(pks))
        .select_related("challenge")
        .only("id", "title", "created_at", "challenge__title")
    )
    return registry.entries_of(
        found,
        pks,
        url=lambda idea: reverse("arenas:idea-detail", args=[idea.pk]),
        context=_idea_context,
    )


def challenges_in_area(pks: Sequence[int], area: Any) -> list[int]:
    """The challenges among ``pks`` in a hub's area (one query)."""
    return list(Challenge.objects.filter(area.q(), pk__in=list(pks)).values_list("pk", flat=True))


def register_kinds() -> None:
    registry.register(
        SearchableKind(
            code=CHALLENGE,
            label=gettext_lazy("Challenge"),
            label_plural=gettext_lazy("Challenges"),
            visible_ids=None,
            entries=challenge_entries,
            rebuild=rebuild_challenges,
            position=60,
            in_area=challenges_in_area,
        )
    )
    registry.register(
        SearchableKind(
            code=IDEA,
            label=gettext_lazy("Idea"),
            label_plural=gettext_lazy("Ideas"),
            visible_ids=idea_ids,
            entries=idea_entries,
            rebuild=rebuild_ideas,
            position=70,
        )
    )
