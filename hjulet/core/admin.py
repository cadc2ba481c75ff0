from django.contrib import admin

from .admin_base import ReadOnlyAdmin
from .models import AuditEntry, County, Municipality, SearchSynonym, Term, Vocabulary


@admin.register(County)
class CountyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    exclude = ["svg_path"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]
    exclude = ["svg_path"]


@admin.register(Vocabulary)
class VocabularyAdmin(ReadOnlyAdmin):
    list_display = ["slug", "name_sv", "name_en"]


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["label_sv", "label_en", "code", "vocabulary", "is_active"]
    list_filter = ["vocabulary", "is_active"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(ReadOnlyAdmin):
    list_display = ["words", "note", "updated_at"]
    search_fields = ["words"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "target_id"]
