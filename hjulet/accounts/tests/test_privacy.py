import json

import pytest
from django.urls import reverse

from hjulet.accounts import services
from hjulet.accounts.models import Membership, MembershipRole, User
from hjulet.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_download_my_data_as_json(as_user, member, organisation):
    services.api_token_create(actor=member, name="Rapportskript")
    response = as_user(member).get(reverse("accounts:export-data"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == member.email
    assert data["memberships"][0]["organisation"] == organisation.name
    assert data["api_tokens"][0]["name"] == "Rapportskript"
    assert "key_hash" not in response.content.decode()
    assert any(item["action"] == "api_token.create" for item in data["activity"])


def test_export_requires_login(as_user):
    assert as_user(None).get(reverse("accounts:export-data")).status_code == 302


def test_delete_account_erases_the_person_but_keeps_the_events(
    as_user, member, org_admin, organisation
):
    services.organisation_update(actor=org_admin, organisation=organisation, description="Före")
    services.api_token_create(actor=member, name="Skript")
    member_id, email = member.pk, member.email
    client = as_user(member)
    wrong = client.post(reverse("accounts:delete-account"), {"confirm_email": "fel@exempel.se"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=member_id).exists()

    response = client.post(reverse("accounts:delete-account"), {"confirm_email": email})
    assert response.status_code == 302
    assert not User.objects.filter(pk=member_id).exists()
    assert not Membership.objects.filter(user_id=member_id).exists()
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(actor_label=email).exists()
    assert not AuditEntry.objects.filter(target_label__contains=email).exists()
    assert AuditEntry.objects.filter(action="api_token.create").exists()
    assert AuditEntry.objects.filter(action="user.delete", target_id=str(member_id)).exists()


def test_sole_admin_must_hand_over_first(as_user, org_admin, member, organisation):
    response = as_user(org_admin).post(
        reverse("accounts:delete-account"), {"confirm_email": org_admin.email}
    )
    assert response.status_code == 400
    assert organisation.name in response.content.decode()
    assert User.objects.filter(pk=org_admin.pk).exists()
    services.membership_set_role(
        actor=org_admin, membership=Membership.objects.get(user=member), role=MembershipRole.ADMIN
    )
    response = as_user(org_admin).post(
        reverse("accounts:delete-account"), {"confirm_email": org_admin.email}
    )
    assert response.status_code == 302


def test_sole_member_may_delete_and_leave_the_organisation(as_user, org_admin, organisation):
    response = as_user(org_admin).post(
        reverse("accounts:delete-account"), {"confirm_email": org_admin.email}
    )
    assert response.status_code == 302
    assert not organisation.memberships.exists()


def test_profile_update_is_audited(as_user, member):
    response = as_user(member).post(
        reverse("accounts:profile"), {"name": "Maja Medlemsson", "language": "en"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Maja Medlemsson" and member.language == "en"
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.changes["language"] == ["sv", "en"]
