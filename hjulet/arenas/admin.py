from django.contrib import admin

from hjulet.core.admin_base import ReadOnlyAdmin

from .models import Arena, Challenge, Comment, Event, Idea, PartnershipAgreement, Report


@admin.register(Arena)
class ArenaAdmin(ReadOnlyAdmin):
    list_display = ["name", "municipality", "created_at"]
    search_fields = ["name"]


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(ReadOnlyAdmin):
    list_display = ["title", "arena", "kind", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["title", "arena", "organisation", "municipality", "is_open"]
    list_filter = ["is_open"]
    search_fields = ["title"]


@admin.register(Idea)
class IdeaAdmin(ReadOnlyAdmin):
    list_display = ["title", "challenge", "is_hidden", "is_removed", "created_at"]
    list_filter = ["is_hidden", "is_removed"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["idea", "is_hidden", "is_removed", "created_at"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "capacity"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["reason", "idea", "comment", "created_at", "decision"]
