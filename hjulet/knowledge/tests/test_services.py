import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.core import search
from hjulet.core.models import AuditEntry, Vocabulary
from hjulet.knowledge import services
from hjulet.knowledge.models import Initiative, PartnerRole, Partnership

from .factories import make_initiative, make_method, term

pytestmark = pytest.mark.django_db


def test_member_registers_an_initiative_led_by_their_organisation(member, organisation):
    initiative = make_initiative(member, challenges=[term(Vocabulary.CHALLENGE, "ensamhet")])
    assert initiative.slug == "laxhjalp-i-ersboda"
    assert Partnership.objects.get(initiative=initiative).role == PartnerRole.LEAD
    entry = AuditEntry.objects.get(action="initiative.create")
    assert entry.actor == member
    assert entry.changes["challenges"] == [None, ["ensamhet"]]
    assert [hit.pk for hit in search.search("läxhjälp", kinds=["initiative"])] == [initiative.pk]


def test_outsider_cannot_register_for_an_organisation(outsider, organisation):
    with pytest.raises(PermissionDenied):
        make_initiative(outsider, lead=organisation)
    assert not Initiative.objects.exists()


def test_anonymous_cannot_register(organisation):
    with pytest.raises(PermissionDenied):
        make_initiative(None, lead=organisation)


def test_edit_rights_follow_the_lead_and_named_editors(
    member, org_admin, outsider, coordinator, organisation
):
    """Being a member of a partner organisation gives no right to edit (issue #15): the
    lead's administrators, named editors and coordinators edit."""
    initiative = make_initiative(member)
    with pytest.raises(PermissionDenied):
        services.initiative_update(actor=outsider, initiative=initiative, title="Kapad")
    partner = OrganisationFactory(name="Studieförbundet")
    services.partnership_set(
        actor=member, initiative=initiative, organisation=partner, role=PartnerRole.PARTNER
    )
    from hjulet.accounts.models import Membership

    Membership.objects.create(user=outsider, organisation=partner)
    with pytest.raises(PermissionDenied):
        services.initiative_update(actor=outsider, initiative=initiative, title="Kapad")
    services.initiative_update(actor=member, initiative=initiative, results="Fler klarar mål")
    services.initiative_update(actor=org_admin, initiative=initiative, stage=term("stage", "test"))
    services.initiative_update(actor=coordinator, initiative=initiative, address="Ersboda torg")
    initiative.refresh_from_db()
    assert (initiative.results, initiative.address) == ("Fler klarar mål", "Ersboda torg")
    assert initiative.version == 3


def test_update_reindexes(member):
    initiative = make_initiative(member)
    services.initiative_update(actor=member, initiative=initiative, title="Läsfrämjande kvällar")
    # The old title's word is gone (only its parts, läxor and hjälp, are still in the body).
    assert search.search("läxhjälp läxhjälp", kinds=["initiative"], limit=1)[0].title_html == (
        "Läsfrämjande kvällar"
    )
    assert search.search("kvällar", kinds=["initiative"])[0].title_html == (
        "Läsfrämjande <mark>kvällar</mark>"
    )
    assert [h.pk for h in search.search("läsfrämjande", kinds=["initiative"])] == [initiative.pk]


def test_stale_version_is_a_conflict(member, coordinator):
    initiative = make_initiative(member)
    services.initiative_update(
        actor=member, initiative=initiative, expected_version=1, results="Första"
    )
    with pytest.raises(ValidationError) as error:
        services.initiative_update(
            actor=coordinator, initiative=initiative, expected_version=1, results="Andra"
        )
    assert error.value.code == "conflict"
    assert Initiative.objects.get(pk=initiative.pk).results == "Första"


@pytest.mark.parametrize(
    "fields",
    [
        {"start_date": datetime.date(2024, 5, 1), "end_date": datetime.date(2023, 1, 1)},
        {"title": ""},
        {"contact_email": "inte-en-adress"},
    ],
)
def test_bad_input_saves_nothing(member, fields):
    with pytest.raises(ValidationError):
        make_initiative(member, **fields)
    assert not Initiative.objects.exists()
    assert not AuditEntry.objects.filter(action="initiative.create").exists()
    assert search.search("läxhjälp") == []


def test_terms_from_the_wrong_vocabulary_are_refused(member):
    with pytest.raises(ValidationError) as error:
        make_initiative(member, challenges=[term(Vocabulary.SECTOR, "privat")])
    assert "challenges" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_initiative(member, stage=term(Vocabulary.CHALLENGE, "segregation"))


def test_lead_cannot_be_removed_or_demoted(member):
    initiative = make_initiative(member)
    lead = initiative.partnerships.get()
    with pytest.raises(ValidationError):
        services.partnership_remove(actor=member, partnership=lead)
    with pytest.raises(ValidationError):
        services.partnership_set(
            actor=member,
            initiative=initiative,
            organisation=lead.organisation,
            role=PartnerRole.FUNDER,
        )


def test_adaptation_rules(member):
    method = make_method(member)
    first = make_initiative(member, title="Språkcafé Umeå")
    second = make_initiative(member, title="Språkcafé Vännäs")
    services.adaptation_create(
        actor=member,
        initiative=first,
        source_method=method,
        what_changed="Samtalen hålls på biblioteket",
    )
    services.adaptation_create(
        actor=member,
        initiative=second,
        source_initiative=first,
        what_changed="Digitalt under pandemin",
    )
    with pytest.raises(ValidationError) as neither:
        services.adaptation_create(actor=member, initiative=second, what_changed="x")
    assert neither.value.code == "one_source"
    with pytest.raises(ValidationError) as both:
        services.adaptation_create(
            actor=member,
            initiative=second,
            source_method=method,
            source_initiative=first,
            what_changed="x",
        )
    assert both.value.code == "one_source"
    with pytest.raises(ValidationError) as itself:
        services.adaptation_create(
            actor=member, initiative=first, source_initiative=first, what_changed="x"
        )
    assert itself.value.code == "self"
    with pytest.raises(ValidationError) as circle:
        services.adaptation_create(
            actor=member, initiative=first, source_initiative=second, what_changed="x"
        )
    assert circle.value.code == "cycle"
    with pytest.raises(ValidationError) as twice:
        services.adaptation_create(
            actor=member, initiative=first, source_method=method, what_changed="igen"
        )
    assert twice.value.code == "duplicate"


def test_adaptation_needs_edit_rights_on_the_adapter(member, outsider):
    method = make_method(member)
    initiative = make_initiative(member)
    with pytest.raises(PermissionDenied):
        services.adaptation_create(
            actor=outsider, initiative=initiative, source_method=method, what_changed="x"
        )


def test_only_coordinators_review_and_feature(member, coordinator):
    initiative = make_initiative(member)
    with pytest.raises(PermissionDenied):
        services.entry_review(actor=member, entry=initiative, featured=True)
    services.entry_review(actor=coordinator, entry=initiative, reviewed=True, featured=True)
    initiative.refresh_from_db()
    assert initiative.is_reviewed and initiative.is_featured
    assert initiative.reviewed_by == coordinator
    assert AuditEntry.objects.filter(action="initiative.review").exists()


def test_method_rights(member, outsider, coordinator, organisation):
    method = make_method(member, organisations=[organisation])
    with pytest.raises(PermissionDenied):
        services.method_update(actor=outsider, method=method, how="x")
    services.method_update(actor=member, method=method, how="Varje tisdag kl 18")
    services.method_update(actor=coordinator, method=method, why="Språk lärs i samtal")
    method.refresh_from_db()
    assert method.version == 3


def test_person_without_organisation_cannot_describe_methods(outsider, resident):
    with pytest.raises(PermissionDenied):
        make_method(outsider)


def test_titles_that_are_page_addresses_get_another_slug(member):
    assert make_initiative(member, title="Import").slug == "import-2"
    assert make_initiative(member, title="Nytt").slug == "nytt-2"
