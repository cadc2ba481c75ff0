from django.contrib import admin

from hjulet.core.admin_base import ReadOnlyAdmin

from .models import Code, Invitation, Question, Report, Response, Survey


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "status", "deadline", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    exclude = ["anonymous_key"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["survey", "position", "name", "type", "required"]
    list_filter = ["type"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["survey", "email", "organisation", "used_at", "reminder_count"]
    exclude = ["token_hash"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["survey", "organisation", "county_code", "sector_code", "submitted_at"]
    exclude = ["resume_hash"]


@admin.register(Code)
class CodeAdmin(ReadOnlyAdmin):
    list_display = ["survey", "label"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["title", "survey", "is_published", "published_at"]
