from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
    # A stored file has no URL (core/uploads.py): show its name; the arena's page links to
    # the view that checks who may read it.
    exclude = ["document"]
    readonly_fields = ["document_name"]

    @admin.display(description=_("document (PDF)"))
    def document_name(self, agreement: PartnershipAgreement) -> str:
        return agreement.document.name or "–"


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
