from django.contrib import admin

from hjulet.core.admin_base import ReadOnlyAdmin

from .models import AdviceNote, AdviceRequest, CallFollow, FundingCall, SupportStructure


@admin.register(SupportStructure)
class SupportStructureAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "scope", "contact_email", "updated_at"]
    list_filter = ["scope"]
    search_fields = ["organisation__name"]


@admin.register(FundingCall)
class FundingCallAdmin(ReadOnlyAdmin):
    list_display = ["title", "funder", "opens_on", "deadline", "scope"]
    list_filter = ["scope"]
    search_fields = ["title"]


@admin.register(CallFollow)
class CallFollowAdmin(ReadOnlyAdmin):
    list_display = ["user", "call", "created_at", "reminded_at"]


@admin.register(AdviceRequest)
class AdviceRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "status", "to_coordinators", "created_at"]
    list_filter = ["status", "to_coordinators"]


@admin.register(AdviceNote)
class AdviceNoteAdmin(ReadOnlyAdmin):
    list_display = ["request", "kind", "met_on", "created_at"]
