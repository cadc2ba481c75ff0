import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hjulet.accounts import services
from hjulet.accounts.models import Invitation, Membership, MembershipRole, User

pytestmark = pytest.mark.django_db


def invite_link(mailoutbox) -> str:
    return (
        re.search(r"http://\S+", mailoutbox[-1].body).group(0).replace("http://127.0.0.1:8000", "")
    )


def test_admin_invites_a_new_colleague_who_joins_by_the_link(
    as_user, org_admin, organisation, mailoutbox, after_commit, client
):
    with after_commit():
        response = as_user(org_admin).post(
            reverse("accounts:organisation-invite", args=[organisation.slug]),
            {"email": "Kollega@Exempel.se", "role": MembershipRole.MEMBER},
        )
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["kollega@exempel.se"]
    assert "Fritidsbanken Umeå" in mailoutbox[-1].subject
    link = invite_link(mailoutbox)
    assert client.get(link).status_code == 200
    accepted = client.post(link)
    assert accepted.status_code == 302
    colleague = User.objects.get(email="kollega@exempel.se")
    assert colleague.is_email_verified
    assert Membership.objects.get(user=colleague).organisation == organisation
    assert client.post(link).status_code == 400, "an invitation works once"


def test_existing_account_must_log_in_to_accept(
    client, org_admin, organisation, outsider, mailoutbox, after_commit
):
    with after_commit():
        services.invitation_create(actor=org_admin, organisation=organisation, email=outsider.email)
    link = invite_link(mailoutbox)
    response = client.post(link)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Membership.objects.filter(user=outsider).exists()
    client.force_login(outsider)
    assert client.post(link).status_code == 302
    assert Membership.objects.filter(user=outsider, organisation=organisation).exists()


def test_expired_invitation(client, org_admin, organisation, mailoutbox, after_commit):
    with after_commit():
        invitation = services.invitation_create(
            actor=org_admin, organisation=organisation, email="sen@exempel.se"
        )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    response = client.post(invite_link(mailoutbox))
    assert response.status_code == 400
    assert "gått ut" in response.content.decode()
    assert not User.objects.filter(email="sen@exempel.se").exists()


def test_forged_invitation_link(client):
    assert client.get(reverse("accounts:invitation", args=["made-up-secret"])).status_code == 400


def test_only_org_admins_invite(member, outsider, organisation):
    for user in (member, outsider):
        with pytest.raises(PermissionDenied):
            services.invitation_create(actor=user, organisation=organisation, email="x@exempel.se")
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused(org_admin, member, organisation):
    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            actor=org_admin, organisation=organisation, email=member.email.upper()
        )
    assert "email" in error.value.message_dict


def test_unknown_role_is_refused(org_admin, organisation):
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=org_admin, organisation=organisation, email="x@exempel.se", role="owner"
        )
