import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hjulet.accounts import services
from hjulet.accounts.models import Membership, MembershipRole, Organisation
from hjulet.core.models import AuditEntry, Municipality, Term
from hjulet.lib.orgnr import with_check_digit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideburen():
    return Term.objects.get(vocabulary__slug="sector", code="ideburen")


def form_data(**overrides):
    sector = Term.objects.get(vocabulary__slug="sector", code="ideburen")
    data = {
        "name": "Språkcafé Gävle",
        "org_number": "802470 0133",
        "sector": sector.pk,
        "municipality": "2180",
        "website": "sprakcafe.example.se",
        "email": "",
        "description": "Samtal på svenska över en kopp kaffe.",
    }
    data["org_number"] = with_check_digit("802470013")
    return {**data, **overrides}


def test_member_registers_an_organisation_and_becomes_its_admin(as_user, outsider):
    response = as_user(outsider).post(reverse("accounts:organisation-create"), form_data())
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Språkcafé Gävle")
    assert response["Location"] == reverse("accounts:organisation-detail", args=[organisation.slug])
    assert organisation.municipality.name == "Gävle"
    assert organisation.website == "https://sprakcafe.example.se"
    assert Membership.objects.get(organisation=organisation).role == MembershipRole.ADMIN
    entry = AuditEntry.objects.get(action="organisation.create")
    assert entry.actor == outsider and entry.changes["name"] == [None, "Språkcafé Gävle"]


def test_number_without_hyphen_is_normalised(outsider, ideburen):
    organisation = services.organisation_create(
        actor=outsider, name="Test", sector=ideburen, org_number="8024700133"
    )
    assert organisation.org_number == "802470-0133"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("802470-0134", "kontrollsiffra"),
        ("80247-0133", "NNNNNN-NNNN"),
        ("abc", "NNNNNN-NNNN"),
    ],
)
def test_wrong_org_number_is_explained_and_nothing_saved(as_user, outsider, number, message):
    response = as_user(outsider).post(
        reverse("accounts:organisation-create"), form_data(org_number=number)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    assert not Organisation.objects.filter(name="Språkcafé Gävle").exists()
    assert not AuditEntry.objects.filter(action="organisation.create").exists()


def test_duplicate_org_number_names_the_existing_organisation(as_user, outsider, organisation):
    response = as_user(outsider).post(
        reverse("accounts:organisation-create"), form_data(org_number=organisation.org_number)
    )
    assert response.status_code == 400
    assert "Fritidsbanken Umeå" in response.content.decode()
    assert Organisation.objects.filter(org_number=organisation.org_number).count() == 1


def test_organisations_without_number_may_coexist(outsider, ideburen):
    services.organisation_create(actor=outsider, name="Nätverket A", sector=ideburen)
    services.organisation_create(actor=outsider, name="Nätverket B", sector=ideburen)
    assert Organisation.objects.filter(org_number="").count() == 2


def test_same_name_gets_a_distinct_address(outsider, ideburen):
    first = services.organisation_create(actor=outsider, name="Språkcafé", sector=ideburen)
    second = services.organisation_create(actor=outsider, name="Språkcafé", sector=ideburen)
    assert first.slug == "sprakcafe" and second.slug == "sprakcafe-2"


def test_inactive_or_foreign_sector_is_refused(outsider):
    stage = Term.objects.get(vocabulary__slug="stage", code="ide")
    with pytest.raises(ValidationError):
        services.organisation_create(actor=outsider, name="X", sector=stage)


def test_anonymous_cannot_register(as_user):
    response = as_user(None).get(reverse("accounts:organisation-create"))
    assert response.status_code == 302
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=None, name="X", sector=None)


@pytest.mark.parametrize("persona", ["member", "outsider", "researcher", "moderator"])
def test_only_org_admins_and_coordinators_edit(request, persona, organisation, org_admin):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=user, organisation=organisation, name="Kapad")
    assert Organisation.objects.get(pk=organisation.pk).name == "Fritidsbanken Umeå"


def test_org_admin_and_coordinator_edit(org_admin, coordinator, organisation):
    services.organisation_update(actor=org_admin, organisation=organisation, description="Ny text")
    services.organisation_update(
        actor=coordinator,
        organisation=organisation,
        municipality=Municipality.objects.get(code="2482"),
    )
    organisation.refresh_from_db()
    assert organisation.description == "Ny text"
    assert organisation.municipality.name == "Skellefteå"
    assert organisation.version == 3


def test_edit_page_refuses_members_with_403(as_user, member, organisation):
    url = reverse("accounts:organisation-update", args=[organisation.slug])
    assert as_user(member).get(url).status_code == 403


def test_two_editors_get_a_conflict_instead_of_overwriting(
    as_user, org_admin, coordinator, organisation
):
    url = reverse("accounts:organisation-update", args=[organisation.slug])
    stale_version = organisation.version
    data = form_data(
        name="Fritidsbanken Umeå", org_number=organisation.org_number, municipality="2480"
    )
    first = as_user(org_admin).post(url, {**data, "description": "Först", "version": stale_version})
    assert first.status_code == 302
    second = as_user(coordinator).post(
        url, {**data, "description": "Sen", "version": stale_version}
    )
    assert second.status_code == 400
    assert "någon annan" in second.content.decode().lower()
    assert Organisation.objects.get(pk=organisation.pk).description == "Först"


def test_public_page_hides_members_from_outsiders(as_user, organisation, member, outsider):
    url = reverse("accounts:organisation-detail", args=[organisation.slug])
    public = as_user(None).get(url).content.decode()
    assert "Fritidsbanken Umeå" in public
    assert member.email not in public and member.name not in public
    assert member.name not in as_user(outsider).get(url).content.decode()
    assert member.name in as_user(member).get(url).content.decode()


def test_unknown_organisation_is_404(client):
    assert client.get("/organisationer/finns-inte/").status_code == 404


def test_list_filters_by_sector_county_and_text(client, organisation, outsider):
    offentlig = Term.objects.get(vocabulary__slug="sector", code="offentlig")
    services.organisation_create(
        actor=outsider,
        name="Gävle kommun",
        sector=offentlig,
        municipality=Municipality.objects.get(code="2180"),
    )
    url = reverse("accounts:organisation-list")
    by_county = client.get(url, {"county": "21"}).content.decode()
    assert "Gävle kommun" in by_county and "Fritidsbanken" not in by_county
    by_sector = client.get(url, {"sector": "ideburen"}).content.decode()
    assert "Fritidsbanken" in by_sector and "Gävle kommun" not in by_sector
    by_text = client.get(url, {"q": "fritids"}).content.decode()
    assert "Fritidsbanken" in by_text and "Gävle kommun" not in by_text
    by_kommun = client.get(url, {"kommun": "2180"}).content.decode()
    assert "Gävle kommun" in by_kommun and "Fritidsbanken" not in by_kommun


def test_list_answers_htmx_with_the_results_only(client, organisation):
    response = client.get(
        reverse("accounts:organisation-list"), {"q": "Fritids"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "Fritidsbanken Umeå" in page
    assert "<html" not in page


def test_map_counts_organisations_per_county(client, organisation):
    page = client.get(reverse("core:county-detail", args=["24"])).content.decode()
    assert "Umeå: 1 organisation" in page
    assert client.get(reverse("core:county-detail", args=["99"])).status_code == 404


def test_membership_roles_and_last_admin_rule(org_admin, member, organisation):
    admin_membership = Membership.objects.get(user=org_admin)
    with pytest.raises(ValidationError):
        services.membership_set_role(
            actor=org_admin, membership=admin_membership, role=MembershipRole.MEMBER
        )
    with pytest.raises(ValidationError):
        services.membership_remove(actor=org_admin, membership=admin_membership)
    member_membership = Membership.objects.get(user=member)
    services.membership_set_role(
        actor=org_admin, membership=member_membership, role=MembershipRole.ADMIN
    )
    services.membership_remove(actor=org_admin, membership=admin_membership)
    assert list(organisation.memberships.values_list("user__email", flat=True)) == [member.email]


def test_member_may_leave_but_not_remove_others(member, org_admin):
    admin_membership = Membership.objects.get(user=org_admin)
    with pytest.raises(PermissionDenied):
        services.membership_remove(actor=member, membership=admin_membership)
    services.membership_remove(actor=member, membership=Membership.objects.get(user=member))
    assert not Membership.objects.filter(user=member).exists()
