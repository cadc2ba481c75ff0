import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hjulet.accounts import services
from hjulet.accounts.models import Invitation, Membership, MembershipRole, User
from hjulet.accounts.tests.factories import UserFactory

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
    page = client.get(link)
    assert page.status_code == 200 and 'name="name"' in page.content.decode()
    nameless = client.post(link)
    assert nameless.status_code == 400, "a new account needs its public name"
    assert not User.objects.filter(email="kollega@exempel.se").exists()
    address = client.post(link, {"name": "kollega@exempel.se"})
    assert address.status_code == 400, "an address is not a name"
    accepted = client.post(link, {"name": "Karin Kollega"})
    assert accepted.status_code == 302
    colleague = User.objects.get(email="kollega@exempel.se")
    assert colleague.name == "Karin Kollega"
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


# --- an invitation is for the invited address only (issue #15, point 7) -------------------


def invite(org_admin, organisation, email: str, role=MembershipRole.MEMBER) -> tuple[str, int]:
    invitation = services.invitation_create(
        actor=org_admin, organisation=organisation, email=email, role=role
    )
    return reverse("accounts:invitation", args=[invitation.link_secret]), invitation.pk


def test_another_account_cannot_take_an_admin_invitation(
    as_user, org_admin, organisation, outsider
):
    link, pk = invite(org_admin, organisation, "ny-admin@exempel.se", MembershipRole.ADMIN)
    web = as_user(outsider)
    page = web.get(link)
    assert page.status_code == 403
    assert "ny-admin@exempel.se" in page.content.decode()
    refused = web.post(link)
    assert refused.status_code == 403
    text = refused.content.decode()
    assert "Logga ut och logga in med den adressen" in text, text
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()
    invitation = Invitation.objects.get(pk=pk)
    assert invitation.accepted_at is None and invitation.accepted_by is None
    assert invitation.is_open
    assert not User.objects.filter(email="ny-admin@exempel.se").exists()


def test_the_service_refuses_another_account(org_admin, organisation, outsider):
    invitation = services.invitation_create(
        actor=org_admin, organisation=organisation, email="ny@exempel.se"
    )
    with pytest.raises(PermissionDenied):
        services.invitation_accept(secret=invitation.link_secret, actor=outsider)
    assert not Membership.objects.filter(user=outsider).exists()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_the_invited_account_accepts(as_user, org_admin, organisation, outsider):
    link, pk = invite(org_admin, organisation, outsider.email, MembershipRole.ADMIN)
    web = as_user(outsider)
    assert web.get(link).status_code == 200
    assert web.post(link).status_code == 302
    membership = Membership.objects.get(user=outsider, organisation=organisation)
    assert membership.role == MembershipRole.ADMIN
    assert Invitation.objects.get(pk=pk).accepted_by == outsider


@pytest.mark.parametrize(
    ("account", "invited"),
    [
        ("kollega@exempel.se", "KOLLEGA@Exempel.SE"),
        ("Kollega@Exempel.se", "kollega@exempel.se"),
        ("kollega@exempel.se", "kollega@exempel.ſe"),  # long s (U+017F) is an s
        ("koſſan@exempel.se", "kossan@exempel.se"),
    ],
)
def test_spellings_of_the_same_address_accept(as_user, org_admin, organisation, account, invited):
    user = UserFactory(email=account)
    link, _pk = invite(org_admin, organisation, invited)
    assert as_user(user).post(link).status_code == 302
    assert Membership.objects.filter(user=user, organisation=organisation).exists()


@pytest.mark.parametrize(
    ("account", "invited"),
    [
        ("anna.svensson@gmail.com", "anna.svensson@gmaıl.com"),  # dotless ı (U+0131)
        ("anna.svensson@gmaıl.com", "anna.svensson@gmail.com"),
        ("lisa@exempel.se", "lısa@exempel.se"),
    ],
)
def test_a_look_alike_address_is_refused(as_user, org_admin, organisation, account, invited):
    user = UserFactory(email=account)
    link, pk = invite(org_admin, organisation, invited)
    assert as_user(user).post(link).status_code == 403
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.get(pk=pk).accepted_at is None


def test_a_person_without_account_joins_after_logging_out_of_another(
    as_user, org_admin, organisation, outsider
):
    link, _pk = invite(org_admin, organisation, "helt-ny@exempel.se")
    web = as_user(outsider)
    assert web.post(link).status_code == 403
    logged_out = web.post(reverse("accounts:logout"), {"next": link})
    assert logged_out.status_code == 302 and logged_out["Location"] == link
    assert web.get(link).status_code == 200
    assert web.post(link, {"name": "Helt Ny"}).status_code == 302
    newcomer = User.objects.get(email="helt-ny@exempel.se")
    assert Membership.objects.filter(user=newcomer, organisation=organisation).exists()


def test_expired_and_used_invitations_are_refused_to_the_invited_account(
    as_user, org_admin, organisation, outsider
):
    link, pk = invite(org_admin, organisation, outsider.email)
    Invitation.objects.filter(pk=pk).update(expires_at=timezone.now())
    web = as_user(outsider)
    assert web.post(link).status_code == 400
    assert not Membership.objects.filter(user=outsider).exists()
    Invitation.objects.filter(pk=pk).update(
        expires_at=timezone.now() + timezone.timedelta(days=1), accepted_at=timezone.now()
    )
    assert web.post(link).status_code == 400
    assert not Membership.objects.filter(user=outsider).exists()
