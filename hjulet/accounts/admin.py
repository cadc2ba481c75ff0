from django.contrib import admin

from hjulet.core.admin_base import ReadOnlyAdmin

from .models import ApiToken, Invitation, Membership, Organisation, RoleGrant, User


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "name", "is_active", "email_verified_at", "date_joined"]
    search_fields = ["email", "email_canonical", "name"]
    exclude = ["password"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "granted_at"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "org_number", "sector", "municipality"]
    search_fields = ["name", "org_number"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "expires_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "hint", "scope", "created_at", "expires_at", "last_used_at"]
    exclude = ["key_hash"]
