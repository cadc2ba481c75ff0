"""Reads for geography, vocabularies, the audit log and notifications."""

from typing import Any

from django.db.models import Count, QuerySet

from .models import AuditEntry, County, Municipality, Notification, Term, Vocabulary
from .permissions import is_signed_in


def counties_with_counts() -> QuerySet[County]:
    return County.objects.annotate(
        municipality_count=Count("municipalities", distinct=True),
        organisation_count=Count("municipalities__organisations", distinct=True),
    ).order_by("code")


def municipalities_in(county: County) -> QuerySet[Municipality]:
    return county.municipalities.annotate(organisation_count=Count("organisations")).order_by(
        "name"
    )


def vocabularies_with_terms(include_inactive: bool = False) -> list[Vocabulary]:
    vocabularies = list(Vocabulary.objects.all())
    terms = Term.objects.select_related("vocabulary").order_by("position", "label_sv")
    if not include_inactive:
        terms = terms.filter(is_active=True)
    by_vocabulary: dict[int, list[Term]] = {}
    for term in terms:
        by_vocabulary.setdefault(term.vocabulary_id, []).append(term)
    for vocabulary in vocabularies:
        vocabulary.term_list = by_vocabulary.get(vocabulary.pk, [])
    return vocabularies


def active_terms(vocabulary_slug: str) -> QuerySet[Term]:
    return Term.objects.in_vocabulary(vocabulary_slug).active().order_by("position", "label_sv")


def audit_entries(
    *, action: str = "", target_type: str = "", target_id: str = "", actor: str = ""
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action__startswith=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    return entries.order_by("-created_at", "-id")


def notifications_for(actor: Any) -> QuerySet[Notification]:
    """One's own notifications, newest first."""
    if not is_signed_in(actor):
        return Notification.objects.none()
    return Notification.objects.filter(user=actor)


def unread_count(actor: Any) -> int:
    """One COUNT on the (user, read_at) index; 0 for visitors without a query."""
    if not is_signed_in(actor):
        return 0
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()
