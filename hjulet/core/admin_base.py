from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admin pages for looking only: every write goes through Hjulet's services (which check
    permissions and audit), so the admin site cannot add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
