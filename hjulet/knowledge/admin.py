from django.contrib import admin

from hjulet.core.admin_base import ReadOnlyAdmin

from .models import Adaptation, ImportBatch, Initiative, Method, Partnership


@admin.register(Method)
class MethodAdmin(ReadOnlyAdmin):
    list_display = ["title", "is_reviewed", "is_featured", "updated_at"]
    search_fields = ["title"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["title", "municipality", "stage", "is_reviewed", "updated_at"]
    list_filter = ["stage", "is_reviewed"]
    search_fields = ["title"]


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "organisation", "role"]


@admin.register(Adaptation)
class AdaptationAdmin(ReadOnlyAdmin):
    list_display = ["initiative", "source_method", "source_initiative", "created_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["filename", "user", "lead", "status", "row_count", "error_count", "created_at"]
    list_filter = ["status", "format"]
    exclude = ["content"]
