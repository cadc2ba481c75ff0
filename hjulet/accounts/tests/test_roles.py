import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hjulet.accounts import services
from hjulet.accounts.models import Role, RoleGrant, User
from hjulet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_admin_grants_and_revokes_roles(admin_user, outsider):
    services.role_grant(actor=admin_user, user=outsider, role=Role.COORDINATOR)
    assert User.objects.get(pk=outsider.pk).is_coordinator
    services.role_grant(actor=admin_user, user=outsider, role=Role.COORDINATOR)
    assert RoleGrant.objects.filter(user=outsider).count() == 1
    services.role_revoke(actor=admin_user, user=outsider, role=Role.COORDINATOR)
    assert not User.objects.get(pk=outsider.pk).is_coordinator
    assert [
        e.action
        for e in AuditEntry.objects.filter(
            target_type="accounts.user", target_id=str(outsider.pk)
        ).order_by("id")
    ] == ["role.grant", "role.revoke"]


@pytest.mark.parametrize("persona", ["coordinator", "moderator", "researcher", "member"])
def test_only_admins_grant_roles(request, persona, outsider):
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=request.getfixturevalue(persona), user=outsider, role=Role.ADMIN)
    assert not RoleGrant.objects.filter(user=outsider).exists()


def test_admin_cannot_remove_own_admin_role(admin_user):
    with pytest.raises(ValidationError):
        services.role_revoke(actor=admin_user, user=admin_user, role=Role.ADMIN)


def test_unknown_role(admin_user, outsider):
    with pytest.raises(ValidationError):
        services.role_grant(actor=admin_user, user=outsider, role="king")


def test_roles_page(as_user, admin_user, coordinator, outsider):
    url = reverse("accounts:user-roles")
    assert as_user(coordinator).get(url).status_code == 403
    assert as_user(admin_user).get(url).status_code == 200
    response = as_user(admin_user).post(
        url, {"user": outsider.pk, "role": Role.RESEARCHER, "action": "grant"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=outsider.pk).is_researcher
    assert as_user(admin_user).post(url, {"user": 999999, "role": "researcher"}).status_code == 404


def test_navigation_shows_only_what_the_person_may_use(as_user, member, coordinator, admin_user):
    audit_url = reverse("core:audit-log")
    roles_url = reverse("accounts:user-roles")
    member_page = as_user(member).get("/").content.decode()
    assert audit_url not in member_page and roles_url not in member_page
    coordinator_page = as_user(coordinator).get("/").content.decode()
    assert audit_url in coordinator_page and roles_url not in coordinator_page
    assert roles_url in as_user(admin_user).get("/").content.decode()
