from django.contrib import admin

from hjulet.core.admin_base import ReadOnlyAdmin

from .models import (
    Assignment,
    FollowUp,
    Interest,
    Meeting,
    Outcome,
    Question,
    QuestionEvent,
    QuestionFormulation,
    ResearcherProfile,
)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(ResearcherProfile)
class ResearcherProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "university", "department", "is_available"]


for model in (QuestionFormulation, Interest, Assignment, Meeting, Outcome, FollowUp, QuestionEvent):
    admin.site.register(model, ReadOnlyAdmin)
