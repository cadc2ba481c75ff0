"""Reads for stories, research reports and suggestions."""

from typing import Any

from django.db.models import QuerySet

from hjulet.core.permissions import is_signed_in

from .models import InitiativeSuggestion, ResearchReport, ReviewStatus, Story


def story_query() -> QuerySet[Story]:
    return Story.objects.select_related("author", "organisation").prefetch_related(
        "pictures", "initiatives", "methods", "challenges"
    )


def published_stories() -> QuerySet[Story]:
    return story_query().filter(status=ReviewStatus.PUBLISHED)


def stories_for(subject: Any) -> QuerySet[Story]:
    """The published stories linked to an initiative, a method or a challenge."""
    return published_stories().filter(**{f"{subject._meta.model_name}s": subject})


def pending_stories() -> QuerySet[Story]:
    return story_query().filter(status=ReviewStatus.PENDING).order_by("created_at")


def own_stories(actor: Any) -> QuerySet[Story]:
    if not is_signed_in(actor):
        return Story.objects.none()
    return story_query().filter(author=actor).order_by("-created_at")


def reports() -> QuerySet[ResearchReport]:
    return ResearchReport.objects.select_related("initiative", "method", "summary")


def reports_for(subject: Any) -> QuerySet[ResearchReport]:
    return reports().filter(**{subject._meta.model_name: subject})


def pending_suggestions() -> QuerySet[InitiativeSuggestion]:
    return (
        InitiativeSuggestion.objects.filter(status=ReviewStatus.PENDING)
        .select_related("suggested_by", "municipality")
        .order_by("created_at")
    )


def own_suggestions(actor: Any) -> QuerySet[InitiativeSuggestion]:
    if not is_signed_in(actor):
        return InitiativeSuggestion.objects.none()
    return InitiativeSuggestion.objects.filter(suggested_by=actor).select_related("initiative")
