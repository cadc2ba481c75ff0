"""Who edits an initiative (issue #15, point 8) and how an organisation becomes its partner
(point 9).

The lead organisation's administrators, the people they name editors and coordinators edit
an initiative and its impact follow-up; a partner's members do not unless named. Adding a
partner asks its administrators first: nothing shows the partner publicly until one of them
accepts."""

import datetime
import importlib
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from hjulet.accounts.tests.api import bearer
from hjulet.accounts.tests.factories import MembershipFactory
from hjulet.core.models import AuditEntry
from hjulet.impact import services as impact
from hjulet.impact.models import ImpactReport, Measurement, SroiOutcome
from hjulet.impact.tests.factories import make_analysis, make_indicator
from hjulet.knowledge import selectors, services
from hjulet.knowledge.models import InitiativeEditor, Partnership, PartnershipStatus

from .factories import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_org(partner_organisation):
    return partner_organisation


@pytest.fixture
def initiative(org_admin, organisation):
    return make_initiative(org_admin, lead=organisation)


@pytest.fixture
def partnered(initiative, org_admin, partner_org, partner_admin):
    """The initiative with the partner organisation asked and accepted."""
    partnership = services.partnership_set(
        actor=org_admin, initiative=initiative, organisation=partner_org, role="partner"
    )
    services.partnership_accept(actor=partner_admin, partnership=partnership)
    return initiative


@pytest.fixture
def followed_up(partnered, org_admin):
    """A published report, a measurement and an SROI outcome, all by the lead's admin."""
    indicator = make_indicator(org_admin, partnered)
    measurement = impact.measurement_create(
        actor=org_admin, indicator=indicator, value=Decimal(130), date=datetime.date(2025, 6, 1)
    )
    analysis = make_analysis(org_admin, partnered)
    impact.report_update(actor=org_admin, initiative=partnered, what="Fler barn rör på sig.")
    impact.report_publish(actor=org_admin, initiative=partnered)
    return {
        "initiative": partnered,
        "indicator": indicator,
        "measurement": measurement,
        "analysis": analysis,
        "outcome": analysis.outcomes.get(),
    }


# --- point 8: who edits ----------------------------------------------------------------


def test_a_partner_member_cannot_edit_the_initiative(partnered, partner_member):
    with pytest.raises(PermissionDenied):
        services.initiative_update(actor=partner_member, initiative=partnered, title="Kapad")
    partnered.refresh_from_db()
    assert partnered.title == "Läxhjälp i Ersboda" and partnered.version == 1


def test_a_partner_admin_cannot_edit_the_initiative_either(partnered, partner_admin):
    with pytest.raises(PermissionDenied):
        services.initiative_update(actor=partner_admin, initiative=partnered, title="Kapad")


def test_a_lead_member_edits_only_what_they_registered(initiative, member, organisation):
    """A plain member of the lead is not an editor of the others' initiatives; what they
    register themselves they edit (the creator is named editor)."""
    with pytest.raises(PermissionDenied):
        services.initiative_update(actor=member, initiative=initiative, title="Kapad")
    own = make_initiative(member, lead=organisation, title="Språkcafé")
    assert InitiativeEditor.objects.filter(initiative=own, user=member).exists()
    services.initiative_update(actor=member, initiative=own, summary="Samtal på svenska.")


def test_a_partner_member_cannot_touch_the_impact_follow_up(followed_up, partner_member):
    initiative = followed_up["initiative"]
    with pytest.raises(PermissionDenied):
        impact.report_publish(actor=partner_member, initiative=initiative, publish=False)
    with pytest.raises(PermissionDenied):
        impact.measurement_delete(actor=partner_member, measurement=followed_up["measurement"])
    with pytest.raises(PermissionDenied):
        impact.outcome_update(
            actor=partner_member, outcome=followed_up["outcome"], quantity=Decimal(9999)
        )
    assert ImpactReport.objects.get(initiative=initiative).is_published
    assert Measurement.objects.filter(pk=followed_up["measurement"].pk).exists()
    assert SroiOutcome.objects.get(pk=followed_up["outcome"].pk).quantity != Decimal(9999)


def test_a_partner_member_is_refused_on_the_pages(as_user, followed_up, partner_member):
    initiative = followed_up["initiative"]
    client = as_user(partner_member)
    base = f"/initiativ/{initiative.slug}/"
    assert client.get(base + "andra/").status_code == 403
    assert client.post(base + "andra/", {"title": "Kapad"}).status_code == 403
    assert client.post(base + "effekt/rapport/publicera/", {"publish": "0"}).status_code == 403
    measurement = followed_up["measurement"]
    indicator = f"{base}effekt/indikatorer/{measurement.indicator_id}/"
    delete = f"{indicator}matning/{measurement.pk}/ta-bort/"
    assert client.post(delete).status_code == 403
    outcome = followed_up["outcome"]
    update = f"{base}effekt/sroi/{outcome.analysis_id}/utfall/{outcome.pk}/andra/"
    assert client.post(update, {"quantity": "9999"}).status_code == 403
    assert ImpactReport.objects.get(initiative=initiative).is_published
    assert Measurement.objects.filter(pk=measurement.pk).exists()
    # Partners that accepted still read the follow-up, published or not.
    assert client.get(base + "effekt/").status_code == 200


def test_a_partner_member_is_refused_by_the_api(client, followed_up, partner_member):
    initiative = followed_up["initiative"]
    auth = bearer(partner_member)
    response = client.patch(
        f"/api/v1/initiatives/{initiative.pk}",
        json.dumps({"title": "Kapad", "version": initiative.version}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403 and "detail" in response.json()
    publish = f"/api/v1/impact/initiatives/{initiative.pk}/report/publish"
    response = client.post(
        publish, json.dumps({"publish": False}), content_type="application/json", **auth
    )
    assert response.status_code == 403
    measurement = followed_up["measurement"]
    response = client.delete(
        f"/api/v1/impact/indicators/{measurement.indicator_id}/measurements/{measurement.pk}",
        **auth,
    )
    assert response.status_code == 403
    outcome = followed_up["outcome"]
    response = client.patch(
        f"/api/v1/impact/sroi/{outcome.analysis_id}/outcomes/{outcome.pk}",
        json.dumps({"quantity": "9999"}),
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    assert ImpactReport.objects.get(initiative=initiative).is_published
    assert Measurement.objects.filter(pk=measurement.pk).exists()
    assert SroiOutcome.objects.get(pk=outcome.pk).quantity != Decimal(9999)


def test_a_named_editor_edits_the_initiative_and_its_follow_up(
    client, followed_up, org_admin, partner_member
):
    initiative = followed_up["initiative"]
    editor = services.initiative_editor_add(
        actor=org_admin, initiative=initiative, user=partner_member
    )
    entry = AuditEntry.objects.get(action="initiative.editor_add")
    assert entry.actor == org_admin and entry.changes == {"editor": [None, partner_member.email]}
    services.initiative_update(actor=partner_member, initiative=initiative, title="Läxhjälp 2")
    impact.outcome_update(
        actor=partner_member, outcome=followed_up["outcome"], quantity=Decimal(12)
    )
    auth = bearer(partner_member)
    measurement = followed_up["measurement"]
    response = client.delete(
        f"/api/v1/impact/indicators/{measurement.indicator_id}/measurements/{measurement.pk}",
        **auth,
    )
    assert response.status_code == 204
    # Publishing and withdrawing speak for the lead: its administrators do that.
    with pytest.raises(PermissionDenied):
        impact.report_publish(actor=partner_member, initiative=initiative, publish=False)
    # Once removed, the person is a partner member again.
    services.initiative_editor_remove(actor=org_admin, editor=editor)
    with pytest.raises(PermissionDenied):
        services.initiative_update(actor=partner_member, initiative=initiative, title="Kapad")
    assert AuditEntry.objects.filter(action="initiative.editor_remove").exists()


def test_only_the_leads_admins_and_coordinators_name_editors(
    partnered, org_admin, member, partner_admin, partner_member, coordinator
):
    for actor in (member, partner_admin, partner_member):
        with pytest.raises(PermissionDenied):
            services.initiative_editor_add(actor=actor, initiative=partnered, user=partner_member)
    services.initiative_editor_add(actor=coordinator, initiative=partnered, user=partner_member)
    services.initiative_editor_add(actor=org_admin, initiative=partnered, user=member)
    with pytest.raises(ValidationError):  # already an editor
        services.initiative_editor_add(actor=org_admin, initiative=partnered, user=member)
    editor = InitiativeEditor.objects.get(initiative=partnered, user=partner_member)
    for actor in (member, partner_admin, partner_member):
        with pytest.raises(PermissionDenied):
            services.initiative_editor_remove(actor=actor, editor=editor)


def test_editors_are_chosen_among_the_initiatives_organisations(
    initiative, org_admin, outsider, partner_org, partner_member
):
    """A stranger, or a member of an organisation that has only been asked, cannot be
    named: the lead cannot hand the initiative to people outside its partnership."""
    services.partnership_set(
        actor=org_admin, initiative=initiative, organisation=partner_org, role="partner"
    )
    for person in (outsider, partner_member):
        with pytest.raises(ValidationError):
            services.initiative_editor_add(actor=org_admin, initiative=initiative, user=person)
    assert not InitiativeEditor.objects.filter(initiative=initiative).exclude(user=org_admin)


def test_editors_on_the_initiative_page_and_the_api(
    as_user, client, partnered, org_admin, partner_member, partner_admin
):
    page = as_user(org_admin).get(f"/initiativ/{partnered.slug}/").content.decode()
    assert 'id="editors"' in page and "Pelle Partnermedlem" in page  # a candidate
    assert "partnermedlem@exempel.se" not in page  # names, not addresses
    url = f"/initiativ/{partnered.slug}/redaktorer/"
    assert as_user(partner_admin).post(url, {"user": partner_member.pk}).status_code == 403
    as_user(org_admin).post(url, {"user": partner_member.pk})
    editor = InitiativeEditor.objects.get(initiative=partnered, user=partner_member)
    response = client.delete(
        f"/api/v1/initiatives/{partnered.pk}/editors/{partner_member.pk}", **bearer(partner_admin)
    )
    assert response.status_code == 403
    response = client.delete(
        f"/api/v1/initiatives/{partnered.pk}/editors/{partner_member.pk}", **bearer(org_admin)
    )
    assert response.status_code == 204
    assert not InitiativeEditor.objects.filter(pk=editor.pk).exists()
    response = client.post(
        f"/api/v1/initiatives/{partnered.pk}/editors",
        json.dumps({"user": partner_member.pk}),
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.status_code == 201 and response.json()["user"]["id"] == partner_member.pk
    # A stranger learns nothing about which ids exist.
    response = client.post(
        f"/api/v1/initiatives/{partnered.pk}/editors",
        json.dumps({"user": 999999}),
        content_type="application/json",
        **bearer(partner_admin),
    )
    assert response.status_code == 403


def test_the_migration_makes_creators_editors(initiative, org_admin, member, organisation):
    """Initiatives registered before editors existed: their creator becomes an editor."""
    other = make_initiative(member, lead=organisation, title="Språkcafé")
    InitiativeEditor.objects.all().delete()
    migration = importlib.import_module(
        "hjulet.knowledge.migrations.0004_initiative_editors_and_partnership_requests"
    )
    migration.creators_become_editors(apps, None)
    assert set(InitiativeEditor.objects.values_list("initiative_id", "user_id")) == {
        (initiative.pk, org_admin.pk),
        (other.pk, member.pk),
    }
    services.initiative_update(actor=member, initiative=other, summary="Samtal.")


# --- point 9: partners by consent --------------------------------------------------------


def public_views(client, initiative, partner_org) -> dict[str, bool]:
    """Where the partner shows: True for each place that names it as a partner."""
    name = partner_org.name
    detail = client.get(f"/initiativ/{initiative.slug}/").content.decode()
    jsonld = detail.split('type="application/ld+json"', 1)[1].split("</script>", 1)[0]
    api = client.get(f"/api/v1/initiatives/{initiative.pk}").json()
    return {
        "page": name in detail.split('id="editors"')[0],
        "json_ld": name in jsonld,
        "api": any(p["organisation"]["id"] == partner_org.pk for p in api["partners"]),
        "organisation_page": initiative.title
        in client.get(f"/organisationer/{partner_org.slug}/").content.decode(),
        "export": name in b"".join(client.get("/initiativ/export.csv").streaming_content).decode(),
        "sector_filter": initiative.pk
        in [i["id"] for i in client.get("/api/v1/initiatives?sector=akademi").json()["items"]],
        "sector_facet": any(
            f["value"] == "akademi" for f in selectors.facet_counts(None)["sector"] if f["count"]
        ),
    }


def test_adding_a_partner_does_not_publish_it(
    client, initiative, org_admin, partner_org, partner_admin, after_commit
):
    with after_commit():
        partnership = services.partnership_set(
            actor=org_admin, initiative=initiative, organisation=partner_org, role="funder"
        )
    assert partnership.status == PartnershipStatus.PENDING
    shown = public_views(client, initiative, partner_org)
    assert shown == dict.fromkeys(shown, False)
    # The partner's administrators are told, with a link to answer.
    message = next(m for m in mail.outbox if m.to == [partner_admin.email])
    assert partner_org.name in message.subject and initiative.title in message.subject
    assert f"/organisationer/{partner_org.slug}/" in message.body


def test_the_partners_admin_accepts_and_then_it_shows(
    as_user, client, initiative, org_admin, partner_org, partner_admin
):
    partnership = services.partnership_set(
        actor=org_admin, initiative=initiative, organisation=partner_org, role="partner"
    )
    page = as_user(partner_admin).get(f"/organisationer/{partner_org.slug}/").content.decode()
    assert 'id="partnership-requests"' in page and initiative.title in page
    response = as_user(partner_admin).post(
        f"/initiativ/partner/{partnership.pk}/svara/", {"answer": "accept"}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.ACCEPTED
    entry = AuditEntry.objects.get(action="initiative.partner_accept")
    assert entry.actor == partner_admin
    shown = public_views(client, initiative, partner_org)
    assert shown == dict.fromkeys(shown, True)
    with pytest.raises(ValidationError):  # answered already
        services.partnership_accept(actor=partner_admin, partnership=partnership)


def test_a_non_admin_of_the_partner_cannot_accept(
    as_user, client, initiative, org_admin, partner_org, partner_member, outsider, member
):
    partnership = services.partnership_set(
        actor=org_admin, initiative=initiative, organisation=partner_org, role="partner"
    )
    for person in (partner_member, outsider, org_admin, member):
        with pytest.raises(PermissionDenied):
            services.partnership_accept(actor=person, partnership=partnership)
        with pytest.raises(PermissionDenied):
            services.partnership_decline(actor=person, partnership=partnership)
    page = as_user(partner_member).get(f"/organisationer/{partner_org.slug}/").content.decode()
    assert 'id="partnership-requests"' not in page
    url = f"/initiativ/partner/{partnership.pk}/svara/"
    assert as_user(partner_member).post(url, {"answer": "accept"}).status_code == 403
    response = client.post(
        f"/api/v1/initiatives/partnerships/{partnership.pk}/accept", **bearer(partner_member)
    )
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.status == PartnershipStatus.PENDING


def test_declining_removes_the_request(
    client, initiative, org_admin, partner_org, partner_admin, coordinator
):
    partnership = services.partnership_set(
        actor=org_admin, initiative=initiative, organisation=partner_org, role="partner"
    )
    response = client.post(
        f"/api/v1/initiatives/partnerships/{partnership.pk}/decline", **bearer(partner_admin)
    )
    assert response.status_code == 204
    assert not Partnership.objects.filter(pk=partnership.pk).exists()
    assert AuditEntry.objects.get(action="initiative.partner_decline").actor == partner_admin
    # Coordinators may answer for an organisation too.
    again = services.partnership_set(
        actor=org_admin, initiative=initiative, organisation=partner_org, role="partner"
    )
    services.partnership_accept(actor=coordinator, partnership=again)


def test_the_partner_asked_through_the_api_waits_too(client, initiative, org_admin, partner_org):
    response = client.post(
        f"/api/v1/initiatives/{initiative.pk}/partners",
        json.dumps({"organisation": partner_org.pk, "role": "partner"}),
        content_type="application/json",
        **bearer(org_admin),
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    partners = client.get(f"/api/v1/initiatives/{initiative.pk}").json()["partners"]
    assert [p["role"] for p in partners] == ["lead"]


def test_an_admin_of_the_partner_who_adds_it_consents(
    initiative, org_admin, partner_org, partner_admin
):
    """Naming an organisation you administer needs no second answer; nor does the lead."""
    MembershipFactory(user=partner_admin, organisation=initiative.partnerships.get().organisation)
    services.initiative_editor_add(actor=org_admin, initiative=initiative, user=partner_admin)
    partnership = services.partnership_set(
        actor=partner_admin, initiative=initiative, organisation=partner_org, role="partner"
    )
    assert partnership.status == PartnershipStatus.ACCEPTED
    lead = initiative.partnerships.get(role="lead")
    assert lead.status == PartnershipStatus.ACCEPTED


def test_a_partners_admin_may_leave_the_initiative(partnered, partner_org, partner_admin):
    partnership = partnered.partnerships.get(organisation=partner_org)
    services.partnership_remove(actor=partner_admin, partnership=partnership)
    assert not partnered.partnerships.filter(organisation=partner_org).exists()
