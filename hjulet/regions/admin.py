from django.contrib import admin

from hjulet.core.admin_base import ReadOnlyAdmin

from .models import Hub, HubPerson


@admin.register(Hub)
class HubAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "host", "updated_at"]
    search_fields = ["name"]


@admin.register(HubPerson)
class HubPersonAdmin(ReadOnlyAdmin):
    list_display = ["hub", "user", "role"]
    list_filter = ["hub", "role"]
