"""Reads for arenas, challenges, ideas and the moderation queue."""

from collections import Counter
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hjulet.core.permissions import is_signed_in
from hjulet.regions.permissions import hub_moderates

from . import services
from .models import (
    AgreementStatus,
    Arena,
    ArenaOrganisation,
    Challenge,
    Comment,
    Follow,
    Idea,
    PartnershipAgreement,
    Registration,
    RegistrationStatus,
    Report,
    Support,
)


def arenas() -> QuerySet[Arena]:
    return Arena.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=ArenaOrganisation.objects.select_related(
                "organisation__sector", "organisation"
            ),
        )
    ).annotate(challenge_count=Count("challenges", distinct=True))


def arena_detail_query() -> QuerySet[Arena]:
    return arenas().prefetch_related("people__user", "agreements__parties", "challenges")


def visible_agreements(
    arena: Arena, actor: Any, *, manages_arena: bool
) -> list[PartnershipAgreement]:
    """The arena's agreements ``actor`` may see (``services.can_read_agreement``), from the
    prefetched ``arena_detail_query``; at most one query more, for the actor's
    organisations, and only when there are drafts to decide on."""
    agreements = list(arena.agreements.all())
    organisation_ids: set[int] = set()
    if not manages_arena and any(a.status == AgreementStatus.DRAFT for a in agreements):
        organisation_ids = services.member_organisation_ids(actor)
    return [
        agreement
        for agreement in agreements
        if services.can_read_agreement(
            actor, agreement, manages_arena=manages_arena, organisation_ids=organisation_ids
        )
    ]


def challenges(*, open_only: bool = False) -> QuerySet[Challenge]:
    qs = Challenge.objects.select_related("arena", "organisation", "municipality")
    # A correlated count, evaluated for the rows of a page only (a joined COUNT grouped the
    # ideas of every challenge, also for the page count).
    visible = (
        Idea.objects.filter(challenge=OuterRef("pk"), is_hidden=False, is_removed=False)
        .order_by()
        .values("challenge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = qs.prefetch_related("pictures").annotate(
        idea_count=Coalesce(Subquery(visible, output_field=IntegerField()), 0)
    )
    return qs.filter(is_open=True) if open_only else qs


def challenge_detail_query() -> QuerySet[Challenge]:
    return Challenge.objects.select_related(
        "arena", "organisation", "municipality"
    ).prefetch_related("challenges", "sdgs", "events", "pictures")


def visible_ideas(challenge: Challenge, actor: Any) -> QuerySet[Idea]:
    qs = (
        challenge.ideas.select_related("author", "initiative")
        .prefetch_related("pictures")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("-support_count", "-created_at")
    )
    if is_signed_in(actor) and (actor.is_moderator or hub_moderates(actor, challenge)):
        return qs
    if is_signed_in(actor):
        return qs.filter(Q(is_hidden=False, is_removed=False) | Q(author=actor))
    return qs.filter(is_hidden=False, is_removed=False)


def idea_detail_query() -> QuerySet[Idea]:
    return (
        Idea.objects.select_related("challenge__municipality", "author", "initiative")
        .prefetch_related("pictures")
        .annotate(support_count=Count("supports", distinct=True))
    )


def comments_for(idea: Idea) -> list[Comment]:
    """Top-level comments, each with its replies."""
    return list(
        idea.comments.filter(parent__isnull=True)
        .select_related("author", "organisation")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.select_related("author", "organisation").order_by(
                    "created_at"
                ),
            )
        )
    )


def idea_state_for(idea: Idea, actor: Any) -> dict[str, bool]:
    if not is_signed_in(actor):
        return {"supports": False, "follows": False}
    return {
        "supports": Support.objects.filter(idea=idea, user=actor).exists(),
        "follows": Follow.objects.filter(idea=idea, user=actor).exists(),
    }


def follows_challenge(challenge: Challenge, actor: Any) -> bool:
    return is_signed_in(actor) and Follow.objects.filter(challenge=challenge, user=actor).exists()


def registrations_of(actor: Any) -> dict[int, str]:
    if not is_signed_in(actor):
        return {}
    return dict(
        Registration.objects.filter(user=actor)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("event_id", "status")
    )


def moderation_queue(codes: frozenset[str] | None = None) -> dict[str, list]:
    """Ideas and comments with reports nobody has decided on, most reported first, each
    with why it was reported (``report_reasons``: label and count, most given first).
    ``codes``: only those on challenges in these kommuner (a regional hub's queue)."""
    open_reports = Report.objects.filter(decided_at__isnull=True)
    if codes is not None:
        in_area = sorted(codes)
        open_reports = open_reports.filter(
            Q(idea__challenge__municipality__in=in_area)
            | Q(comment__idea__challenge__municipality__in=in_area)
        )
    reasons = Prefetch("reports", queryset=open_reports, to_attr="open_reports")

    def reported(model: type[Idea | Comment], field: str, parent: str) -> list:
        return list(
            model.objects.filter(Exists(open_reports.filter(**{field: OuterRef("pk")})))
            .select_related("author", parent)
            .prefetch_related(reasons)
            .annotate(report_count=Count("reports", filter=Q(reports__decided_at__isnull=True)))
            .order_by("-report_count", "created_at")
        )

    ideas, comments = reported(Idea, "idea", "challenge"), reported(Comment, "comment", "idea")
    for item in [*ideas, *comments]:
        counted = Counter(report.get_reason_display() for report in item.open_reports)
        item.report_reasons = counted.most_common()
    return {"ideas": ideas, "comments": comments}
