"""Routing, validation, permissions and reminders of the support capability."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory
from hjulet.core.models import AuditEntry, Municipality, Vocabulary
from hjulet.knowledge.tests.factories import make_initiative, term
from hjulet.support import selectors, services
from hjulet.support.models import AdviceRequest, CallFollow, FundingCall, SupportStructure

from .factories import make_call, make_structure, today

pytestmark = pytest.mark.django_db

VANNAS = "2460"  # Vännäs, Västerbottens län (24)
SORSELE = "2422"  # Sorsele, Västerbottens län
KALIX = "2514"  # Kalix, Norrbottens län (25)


def ask(actor, code=VANNAS, needs=("advice",), **fields):
    return services.request_create(
        actor=actor,
        title=fields.pop("title", "Cykelkök i byn"),
        description="Vi vill starta ett cykelkök där grannar lagar cyklar tillsammans.",
        municipality=Municipality.objects.get(code=code),
        needs=list(needs),
        **fields,
    )


@pytest.fixture
def structures(db):
    """One structure per level: Vännäs kommun, Västerbottens län, all of Sweden."""
    return {
        "kommun": make_structure("Vännäs företagsam", municipalities=[VANNAS]),
        "lan": make_structure(
            "Coompanion Västerbotten",
            scope="county",
            counties=["24"],
            services_offered=["advice", "funding"],
        ),
        "national": make_structure(
            "Forum för social innovation",
            scope="national",
            services_offered=["research", "networks"],
        ),
    }


# --- routing ----------------------------------------------------------------------------


def test_a_request_goes_to_the_structure_serving_the_kommun(resident, structures, after_commit):
    with after_commit():
        request = ask(resident)
    assert list(request.routed_to.all()) == [structures["kommun"]]
    assert not request.to_coordinators
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["invanare@exempel.se", "kontakt@vannas-foretagsam.se"]
    entry = AuditEntry.objects.get(action="advice_request.create")
    assert entry.changes["routed_to"] == [None, ["Vännäs företagsam"]]


def test_without_a_local_structure_the_lan_takes_it(resident, structures):
    request = ask(resident, code=SORSELE)
    assert list(request.routed_to.all()) == [structures["lan"]]


def test_the_need_decides_too(resident, structures):
    # Vännäs företagsam gives advice only; funding in Vännäs comes from the län level
    request = ask(resident, needs=["funding"])
    assert list(request.routed_to.all()) == [structures["lan"]]


def test_national_structures_when_nothing_nearer_offers_it(resident, structures):
    request = ask(resident, code=KALIX, needs=["research"])
    assert list(request.routed_to.all()) == [structures["national"]]


def test_no_one_serves_it_goes_to_the_coordinators_and_is_never_lost(
    resident, structures, coordinator, after_commit
):
    with after_commit():
        request = ask(resident, code=KALIX, needs=["premises"])
    assert request.to_coordinators
    assert request.routed_to.count() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["invanare@exempel.se", "koordinator@exempel.se"]
    assert "Advice request with no local support" not in mail.outbox[0].subject  # Swedish
    assert request in selectors.handled_requests(coordinator)


def test_bad_request_input_is_refused_with_nothing_saved(resident, structures):
    with pytest.raises(ValidationError) as error:
        ask(resident, needs=[])
    assert "needs" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        ask(resident, needs=["magic"])
    assert "magic" in error.value.message_dict["needs"][0]
    with pytest.raises(ValidationError) as error:
        ask(resident, title="")
    assert "title" in error.value.message_dict
    assert not AdviceRequest.objects.exists()


def test_anonymous_cannot_ask_and_nobody_asks_for_someone_elses_organisation(
    resident, organisation
):
    with pytest.raises(PermissionDenied):
        ask(None)
    with pytest.raises(PermissionDenied):
        ask(resident, organisation=organisation)


# --- handling ---------------------------------------------------------------------------


def test_the_structure_handles_and_closes_a_request(resident, structures, after_commit):
    request = ask(resident)
    handler = structures["kommun"].admin
    services.request_assign(actor=handler, request=request, adviser=handler)
    services.request_add_note(
        actor=handler, request=request, kind="meeting", met_on=today(), text="Träffades i byn."
    )
    with after_commit():
        request = services.request_close(
            actor=handler, request=request, outcome="advice_given", note="Tips om lokal."
        )
    assert request.status == AdviceRequest.Status.CLOSED
    assert request.closed_at is not None
    assert mail.outbox[-1].to == ["invanare@exempel.se"]
    with pytest.raises(ValidationError) as error:
        services.request_close(actor=handler, request=request, outcome="referred", note="x")
    assert error.value.code == "closed"
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="advice_request")] == [
        "advice_request.close",
        "advice_request.meeting",
        "advice_request.assign",
        "advice_request.create",
    ]


def test_others_cannot_handle_a_request(resident, structures, outsider, member):
    request = ask(resident)
    other_structure = structures["national"].admin
    for actor in (resident, outsider, member, other_structure, None):
        with pytest.raises(PermissionDenied):
            services.request_add_note(actor=actor, request=request, text="Hej")
        with pytest.raises(PermissionDenied):
            services.request_close(actor=actor, request=request, outcome="advice_given")


def test_the_adviser_must_be_one_of_the_handlers(resident, structures, outsider, coordinator):
    request = ask(resident)
    with pytest.raises(ValidationError) as error:
        services.request_assign(actor=structures["kommun"].admin, request=request, adviser=outsider)
    assert "adviser" in error.value.message_dict
    services.request_assign(actor=coordinator, request=request, adviser=coordinator)
    assert AdviceRequest.objects.get(pk=request.pk).adviser == coordinator


def test_outcomes_need_what_they_point_to(resident, structures, member):
    request = ask(resident)
    handler = structures["kommun"].admin
    for outcome, field in (
        ("initiative", "initiative"),
        ("referred", "note"),
        ("science_shop", "note"),
        ("", "outcome"),
    ):
        with pytest.raises(ValidationError) as error:
            services.request_close(actor=handler, request=request, outcome=outcome)
        assert field in error.value.message_dict
    initiative = make_initiative(member)
    services.request_close(
        actor=handler, request=request, outcome="initiative", initiative=initiative
    )
    request.refresh_from_db()
    assert request.outcome_initiative == initiative


def test_a_meeting_needs_a_date(resident, structures):
    request = ask(resident)
    with pytest.raises(ValidationError) as error:
        services.request_add_note(
            actor=structures["kommun"].admin, request=request, kind="meeting", text="Möte"
        )
    assert "met_on" in error.value.message_dict
    assert AdviceRequest.objects.get(pk=request.pk).status == AdviceRequest.Status.NEW


def test_who_sees_which_requests(resident, structures, coordinator, outsider):
    request = ask(resident)
    other = ask(UserFactory(), code=KALIX, needs=["research"])
    assert list(selectors.visible_requests(resident)) == [request]
    assert list(selectors.visible_requests(structures["kommun"].admin)) == [request]
    assert list(selectors.visible_requests(structures["national"].admin)) == [other]
    assert set(selectors.visible_requests(coordinator)) == {request, other}
    assert not selectors.visible_requests(outsider).exists()
    assert list(selectors.handled_requests(resident)) == []


def test_waiting_overview(resident, structures):
    old = ask(resident)
    AdviceRequest.objects.filter(pk=old.pk).update(
        created_at=old.created_at - datetime.timedelta(days=9)
    )
    ask(resident, code=KALIX, needs=["premises"])
    waiting = selectors.waiting_overview(AdviceRequest.objects.all())
    assert (waiting.open_count, waiting.unrouted_count, waiting.longest_days) == (2, 1, 9)
    assert waiting.median_days == 4.5
    assert waiting.by_structure[0] == ("Vännäs företagsam", 1, 9)


# --- support structures -----------------------------------------------------------------


def test_structure_validation_and_only_one_entry_per_organisation(db):
    with pytest.raises(ValidationError) as error:
        make_structure("Tom förening", services_offered=[], municipalities=[])
    assert {"services", "municipalities"} <= set(error.value.message_dict)
    structure = make_structure("Studiefrämjandet Umeå", municipalities=["2480"])
    with pytest.raises(ValidationError) as error:
        services.structure_create(
            actor=structure.admin,
            organisation=structure.organisation,
            summary="Igen",
            contact_email="a@b.se",
            scope="national",
            services=["advice"],
            audiences=["residents"],
        )
    assert "finns redan i stödkatalogen" in error.value.message_dict["organisation"][0]
    assert SupportStructure.objects.count() == 1


def test_members_keep_their_own_entry_up_to_date(structures, outsider, coordinator):
    structure = structures["kommun"]
    services.structure_update(
        actor=structure.admin,
        structure=structure,
        expected_version=1,
        scope="county",
        counties=[Municipality.objects.get(code=VANNAS).county],
        services=["advice", "premises"],
    )
    structure.refresh_from_db()
    assert structure.services == ["advice", "premises"]
    assert structure.municipalities.count() == 0 and structure.counties.count() == 1
    assert AuditEntry.objects.filter(action="support_structure.update").exists()
    with pytest.raises(PermissionDenied):
        services.structure_update(actor=outsider, structure=structure, summary="Kapad")
    with pytest.raises(ValidationError) as error:
        services.structure_update(actor=coordinator, structure=structure, expected_version=1)
    assert error.value.code == "conflict"


def test_only_the_organisations_admins_add_it(outsider, member, organisation):
    for actor in (outsider, member, None):
        with pytest.raises(PermissionDenied):
            services.structure_create(
                actor=actor,
                organisation=organisation,
                summary="x",
                contact_email="a@b.se",
                scope="national",
                services=["advice"],
                audiences=["residents"],
            )


def test_directory_where_am_i_and_what_do_i_need(structures):
    vannas = Municipality.objects.get(code=VANNAS)
    kalix = Municipality.objects.get(code=KALIX)
    assert list(selectors.structures(municipality=vannas)) == [
        structures["kommun"],
        structures["lan"],
        structures["national"],
    ]
    assert list(selectors.structures(municipality=kalix)) == [structures["national"]]
    assert list(selectors.structures(municipality=vannas, need="funding")) == [structures["lan"]]
    counts, national = selectors.structure_county_counts()
    assert counts == {"24": 2} and national == 1


# --- funding calls ----------------------------------------------------------------------


@pytest.fixture
def funder(db):
    organisation = OrganisationFactory(name="Stiftelsen Bygdemedel")
    user = UserFactory(email="stiftelse@exempel.se")
    from hjulet.accounts.models import Membership

    Membership.objects.create(user=user, organisation=organisation)
    return user, organisation


@pytest.mark.parametrize(
    "fields, field",
    [
        (
            {"opens_on": datetime.date(2026, 5, 1), "deadline": datetime.date(2026, 4, 1)},
            "deadline",
        ),
        ({"amount_min": 200_000, "amount_max": 50_000}, "amount_min"),
        ({"scope": "county"}, "counties"),
        ({"audiences": []}, "audiences"),
        ({"title": ""}, "title"),
    ],
)
def test_call_validation_gives_a_clear_message(funder, fields, field):
    user, organisation = funder
    with pytest.raises(ValidationError) as error:
        make_call(user, organisation, **fields)
    assert field in error.value.message_dict
    assert not FundingCall.objects.exists()


def test_call_messages_in_swedish(funder):
    user, organisation = funder
    with pytest.raises(ValidationError) as error:
        make_call(
            user,
            organisation,
            opens_on=datetime.date(2026, 5, 1),
            deadline=datetime.date(2026, 4, 1),
            amount_min=9,
            amount_max=1,
        )
    messages = error.value.message_dict
    assert messages["deadline"] == ["Sista ansökningsdag kan inte vara före öppningsdagen."]
    assert messages["amount_min"] == ["Det minsta bidraget kan inte vara större än det största."]


def test_only_the_funders_members_publish_and_edit_calls(funder, outsider, coordinator):
    user, organisation = funder
    with pytest.raises(PermissionDenied):
        make_call(outsider, organisation)
    call = make_call(user, organisation)
    with pytest.raises(PermissionDenied):
        services.call_update(actor=outsider, call=call, title="Kapad")
    services.call_update(actor=coordinator, call=call, amount_max=100_000)
    assert FundingCall.objects.get(pk=call.pk).version == 2


def test_open_now_for_me(funder):
    user, organisation = funder
    vannas = Municipality.objects.get(code=VANNAS)
    national = make_call(user, organisation, title="Nationell")
    in_lan = make_call(
        user,
        organisation,
        title="Västerbotten",
        scope="county",
        counties=[vannas.county],
    )
    make_call(
        user,
        organisation,
        title="Annan kommun",
        municipalities=[Municipality.objects.get(code=KALIX)],
        scope="municipality",
    )
    make_call(user, organisation, title="Bara företag", audiences=["private"])
    make_call(
        user,
        organisation,
        title="Inte öppen än",
        opens_on=today() + datetime.timedelta(days=3),
        deadline=today() + datetime.timedelta(days=40),
    )
    make_call(
        user,
        organisation,
        title="Stängd",
        opens_on=today() - datetime.timedelta(days=40),
        deadline=today() - datetime.timedelta(days=1),
    )
    found = selectors.calls(
        selectors.CallFilters(open_now=True, municipality=vannas, audience="residents")
    )
    assert {c.title for c in found} == {national.title, in_lan.title}
    upcoming = selectors.calls(selectors.CallFilters())
    assert "Inte öppen än" in {c.title for c in upcoming}
    assert "Stängd" not in {c.title for c in upcoming}


def test_calls_that_fit_an_initiative(funder, member):
    user, organisation = funder
    initiative = make_initiative(
        member,
        challenges=[term(Vocabulary.CHALLENGE, "ensamhet")],
        municipality=Municipality.objects.get(code="2480"),
    )
    fits = make_call(
        user,
        organisation,
        title="Mot ensamhet",
        challenges=[term(Vocabulary.CHALLENGE, "ensamhet")],
    )
    any_theme = make_call(user, organisation, title="Alla teman")
    make_call(
        user, organisation, title="Annat tema", challenges=[term(Vocabulary.CHALLENGE, "boende")]
    )
    make_call(
        user,
        organisation,
        title="Annan plats",
        scope="municipality",
        municipalities=[Municipality.objects.get(code=KALIX)],
    )
    assert {c.title for c in selectors.calls_for_initiative(initiative)} == {
        fits.title,
        any_theme.title,
    }


def test_follow_unfollow_and_a_reminder_sent_once(funder, resident, after_commit):
    user, organisation = funder
    soon = make_call(
        user, organisation, title="Snart slut", deadline=today() + datetime.timedelta(days=5)
    )
    later = make_call(user, organisation, title="Långt kvar")
    services.call_follow(actor=resident, call=soon)
    services.call_follow(actor=resident, call=later)
    with pytest.raises(ValidationError) as error:
        services.call_follow(actor=resident, call=soon)
    assert error.value.code == "duplicate"
    with after_commit():
        assert services.call_reminders_send() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["invanare@exempel.se"]
    assert "Snart slut" in mail.outbox[0].subject
    with after_commit():
        call_command("send_call_reminders", stdout=io.StringIO())
        assert services.call_reminders_send() == 0
    assert len(mail.outbox) == 1
    assert CallFollow.objects.get(call=soon).reminded_at is not None
    assert services.call_reminders_send(today=later.deadline - datetime.timedelta(days=2)) == 1
    services.call_unfollow(actor=resident, call=later)
    with pytest.raises(ValidationError):
        services.call_unfollow(actor=resident, call=later)
    with pytest.raises(PermissionDenied):
        services.call_follow(actor=None, call=soon)


def test_a_closed_call_cannot_be_followed(funder, resident):
    user, organisation = funder
    closed = make_call(
        user,
        organisation,
        opens_on=today() - datetime.timedelta(days=30),
        deadline=today() - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        services.call_follow(actor=resident, call=closed)
    assert error.value.code == "closed"


def test_coordinators_forward_an_unrouted_request(resident, structures, coordinator, after_commit):
    request = ask(resident, code=KALIX, needs=["premises"])
    national = structures["national"]
    with pytest.raises(PermissionDenied):
        services.request_forward(actor=national.admin, request=request, structure=national)
    with after_commit():
        services.request_forward(actor=coordinator, request=request, structure=national)
    request.refresh_from_db()
    assert not request.to_coordinators
    assert list(request.routed_to.all()) == [national]
    assert mail.outbox[-1].to == ["kontakt@forum-for-social-innovation.se"]
    assert request in selectors.handled_requests(national.admin)
    with pytest.raises(ValidationError) as error:
        services.request_forward(actor=national.admin, request=request, structure=national)
    assert "structure" in error.value.message_dict


def test_a_double_submit_does_not_make_two_requests(resident, structures):
    ask(resident)
    with pytest.raises(ValidationError) as error:
        ask(resident)
    assert error.value.code == "duplicate"
    assert AdviceRequest.objects.count() == 1
    ask(resident, title="En annan idé")
    assert AdviceRequest.objects.count() == 2


def test_a_new_deadline_gives_a_new_reminder(funder, resident):
    from hjulet.support.tasks import send_call_reminders

    user, organisation = funder
    call = make_call(user, organisation, deadline=today() + datetime.timedelta(days=3))
    services.call_follow(actor=resident, call=call)
    assert send_call_reminders.enqueue().return_value == 1
    services.call_update(actor=user, call=call, deadline=today() + datetime.timedelta(days=6))
    assert services.call_reminders_send() == 1
    services.call_update(actor=user, call=call, title="Nytt namn")
    assert services.call_reminders_send() == 0


def test_local_structures_per_municipality_of_a_county(structures):
    make_structure("Umeå idéstöd", municipalities=["2480", VANNAS, KALIX])
    county = Municipality.objects.get(code=VANNAS).county
    counts = {m.code: m.entry_count for m in selectors.municipalities_with_local_structures(county)}
    assert counts[VANNAS] == 2 and counts["2480"] == 1 and counts[SORSELE] == 0
    assert KALIX not in counts and len(counts) == county.municipalities.count()


def test_the_audit_log_keeps_no_private_texts(resident, structures, funder):
    request = ask(resident)
    handler = structures["kommun"].admin
    services.request_add_note(actor=handler, request=request, text="Hemligt samtal")
    services.request_close(
        actor=handler, request=request, outcome="referred", note="Till kusinen i stan"
    )
    user, organisation = funder
    call = make_call(user, organisation, deadline=today() + datetime.timedelta(days=2))
    services.call_follow(actor=resident, call=call)
    services.call_reminders_send()
    logged = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    for private in ("cykelkök där grannar", "Hemligt", "kusinen", "invanare@exempel.se"):
        assert private not in logged
