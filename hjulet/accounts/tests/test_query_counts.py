"""Organisation pages, the profile, the roles page and the API make as many queries for many
organisations, members, invitations, initiatives, methods and tokens as for a few (no N+1)."""

import pytest

from hjulet.accounts import services
from hjulet.accounts.models import MembershipRole, Role
from hjulet.core.tests.queries import assert_queries_do_not_grow
from hjulet.knowledge import services as knowledge
from hjulet.knowledge.models import PartnerRole
from hjulet.knowledge.tests.factories import make_initiative

from .factories import MembershipFactory, OrganisationFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

ROLE = PartnerRole.PARTNER


@pytest.fixture
def grow(organisation, org_admin, member):
    def grow(first: int, count: int) -> None:
        for number in range(first, first + count):
            colleague = grant(UserFactory(email=f"kollega{number}@exempel.se"), Role.RESEARCHER)
            MembershipFactory(user=colleague, organisation=organisation)
            services.invitation_create(
                actor=org_admin, organisation=organisation, email=f"ny{number}@exempel.se",
                role=MembershipRole.MEMBER,
            )  # fmt: skip
            other = OrganisationFactory(name=f"Förening {number}", municipality_id="0180")
            MembershipFactory(user=member, organisation=other, role=MembershipRole.ADMIN)
            make_initiative(
                member, lead=organisation, title=f"Initiativ {number}", partners=[(other, ROLE)]
            )
            make_initiative(
                member, lead=other, title=f"Partnerskap {number}", partners=[(organisation, ROLE)]
            )
            knowledge.method_create(
                actor=member, title=f"Metod {number}", summary="Kort.", what="Så här.",
                organisations=[organisation, other],
            )  # fmt: skip
            services.api_token_create(actor=member, name=f"Nyckel {number}")

    return grow


def urls(organisation) -> list[str]:
    return [
        "/organisationer/",
        "/organisationer/?county=01",
        f"/organisationer/{organisation.slug}/",
        "/konto/profil/",
        "/konto/mina-uppgifter.json",
        "/api/v1/organisations",
        f"/api/v1/organisations/{organisation.pk}",
        f"/api/v1/organisations/{organisation.pk}/members",
        "/api/v1/me",
        "/api/v1/me/export",
    ]


def test_member_pages(as_user, member, organisation, grow):
    assert_queries_do_not_grow(as_user(member), urls(organisation), grow)


def test_admin_roles_page(as_user, admin_user, grow):
    assert_queries_do_not_grow(as_user(admin_user), ["/konto/anvandare/"], grow)
