import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from hjulet.core.models import AuditEntry, Municipality, Notification
from hjulet.knowledge.models import Adaptation
from hjulet.knowledge.tests.factories import make_initiative, make_method
from hjulet.lib.spread import percent_of_goal

from .. import selectors, services
from ..models import AdaptationDraft, DraftStatus
from .factories import make_plan, publishable_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def method(org_admin, organisation):
    return make_method(org_admin, organisations=[organisation])


def test_percent_of_goal():
    assert percent_of_goal(0, 10) == 0
    assert percent_of_goal(3, 10) == 30
    assert percent_of_goal(12, 10) == 100
    assert percent_of_goal(1, 0) == 100


def test_a_plan_is_made_by_the_methods_people_and_owned_by_its_maker(org_admin, method):
    plan = make_plan(org_admin, method)
    assert list(plan.owners.all()) == [org_admin]
    assert AuditEntry.objects.filter(action="spreadplan.create").exists()


def test_an_outsider_cannot_plan_a_methods_spread(outsider, method):
    with pytest.raises(PermissionDenied):
        make_plan(outsider, method)


def test_a_plan_refuses_a_year_in_the_past(org_admin, method):
    with pytest.raises(ValidationError) as error:
        make_plan(org_admin, method, target_year=2001)
    assert "target_year" in error.value.message_dict


def test_a_plan_refuses_a_target_of_zero_places(org_admin, method):
    with pytest.raises(ValidationError):
        make_plan(org_admin, method, target_places=0)


def test_steps_are_added_and_done_by_the_owners_only(org_admin, member, resident, method):
    plan = make_plan(org_admin, method)
    step = services.step_create(actor=org_admin, plan=plan, title="Bjud in bostadsbolagen")
    with pytest.raises(PermissionDenied):
        services.step_set_done(actor=resident, step=step, done=True)
    services.step_set_done(actor=org_admin, step=step, done=True)
    step.refresh_from_db()
    assert step.done


def test_anyone_signed_in_starts_a_draft_prefilled_from_the_initiative(
    org_admin, resident, partner_organisation
):
    initiative = make_initiative(org_admin)
    draft = services.draft_create(
        actor=resident,
        source_initiative=initiative,
        municipality=Municipality.objects.get(code="1480"),
    )
    assert draft.status == DraftStatus.DRAFT
    assert draft.title.startswith(initiative.title) and draft.title.endswith("Göteborg")
    assert [decided for _q, decided in draft.checklist()] == [
        bool(draft.target_group),
        True,
        bool(draft.partners),
        False,
        False,
    ]


def test_anonymous_cannot_start_a_draft(method):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.draft_create(actor=AnonymousUser(), source_method=method)


def test_a_draft_needs_exactly_one_source(resident, method, org_admin):
    with pytest.raises(ValidationError):
        services.draft_create(actor=resident)
    with pytest.raises(ValidationError):
        services.draft_create(
            actor=resident, source_method=method, source_initiative=make_initiative(org_admin)
        )


def test_a_draft_cannot_claim_someone_elses_organisation(resident, method, organisation):
    with pytest.raises(ValidationError) as error:
        services.draft_create(actor=resident, source_method=method, organisation=organisation)
    assert "organisation" in error.value.message_dict


def test_only_the_owner_changes_and_publishes_the_draft(resident, outsider, member, method):
    draft = publishable_draft(resident, method)
    for other in (outsider, member):
        with pytest.raises(PermissionDenied):
            services.draft_update(actor=other, draft=draft, title="Min")
        with pytest.raises(PermissionDenied):
            services.draft_publish(actor=other, draft=draft)
    assert AdaptationDraft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT


def test_a_coordinator_may_publish_a_draft(resident, coordinator, method):
    draft = publishable_draft(resident, method)
    services.draft_publish(actor=coordinator, draft=draft)
    assert AdaptationDraft.objects.get(pk=draft.pk).status == DraftStatus.PUBLISHED


def test_a_stale_version_is_refused(resident, method):
    draft = publishable_draft(resident, method)
    with pytest.raises(ValidationError):
        services.draft_update(actor=resident, draft=draft, expected_version=1, title="Ny")


def test_publishing_needs_a_place_and_what_changes(resident, method):
    draft = services.draft_create(actor=resident, source_method=method)
    with pytest.raises(ValidationError) as error:
        services.draft_publish(actor=resident, draft=draft)
    assert set(error.value.message_dict) == {"municipality", "what_to_change"}


def test_publishing_twice_is_refused(resident, method):
    draft = publishable_draft(resident, method)
    services.draft_publish(actor=resident, draft=draft)
    with pytest.raises(ValidationError):
        services.draft_publish(actor=resident, draft=draft)


def test_publishing_moves_the_plan_and_tells_its_owners_once(
    org_admin, resident, outsider, method, after_commit
):
    plan = make_plan(org_admin, method)
    assert selectors.plan_progress(plan).reached == 0
    services.draft_publish(actor=resident, draft=publishable_draft(resident, method))
    progress = selectors.plan_progress(plan)
    assert (progress.reached, progress.percent) == (1, 25)
    assert Notification.objects.filter(user=org_admin, text__contains="Göteborg").count() == 2
    # A second adaptation in the same place is no new place for the plan.
    services.draft_publish(actor=outsider, draft=publishable_draft(outsider, method))
    assert selectors.plan_progress(plan).reached == 1
    assert Notification.objects.filter(user=org_admin, text__contains="Tio nya orter").count() == 1


def test_publishing_with_ones_own_initiative_records_the_adaptation(org_admin, coordinator):
    source = make_method(coordinator, title="Bovärdar som coacher")
    own = make_initiative(org_admin, municipality=Municipality.objects.get(code="0180"))
    draft = publishable_draft(org_admin, source)
    services.draft_update(actor=org_admin, draft=draft, initiative=own)
    services.draft_publish(actor=org_admin, draft=AdaptationDraft.objects.get(pk=draft.pk))
    adaptation = Adaptation.objects.get(initiative=own, source_method=source)
    assert AdaptationDraft.objects.get(pk=draft.pk).adaptation == adaptation
    # The initiative's place counts, once (not the draft's as well).
    assert list(selectors.reached_places(source)) == ["0180"]


def test_a_draft_cannot_name_an_initiative_one_cannot_edit(resident, org_admin, method):
    draft = publishable_draft(resident, method)
    with pytest.raises(ValidationError) as error:
        services.draft_update(actor=resident, draft=draft, initiative=make_initiative(org_admin))
    assert "initiative" in error.value.message_dict


def test_the_thread_reaches_the_original_team_by_bell_and_email(
    organisation, org_admin, editor, resident, outsider, after_commit
):
    from hjulet.core.tests.permission_world import World

    initiative = World(organisation, org_admin).initiative  # editor named, partner accepted
    draft = services.draft_create(actor=resident, source_initiative=initiative)
    with after_commit():
        services.message_post(actor=resident, draft=draft, body="Hur fick ni med bovärdarna?")
    told = set(Notification.objects.filter(url__contains="/samtal/").values_list("user", flat=True))
    assert told == {org_admin.pk, editor.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org_admin.email, editor.email])
    assert "/anpassningar/" in mail.outbox[0].body
    # The team answers; the owner is told.
    with after_commit():
        services.message_post(actor=editor, draft=draft, body="Vi bjöd dem på fika.")
    assert Notification.objects.filter(user=resident).count() == 1
    with pytest.raises(PermissionDenied):
        services.message_post(actor=outsider, draft=draft, body="Hej")


def test_an_empty_message_is_refused(resident, method):
    draft = services.draft_create(actor=resident, source_method=method)
    with pytest.raises(ValidationError):
        services.message_post(actor=resident, draft=draft, body="   ")


def test_stopping_needs_a_published_adaptation_and_a_reason(resident, method):
    draft = publishable_draft(resident, method)
    with pytest.raises(ValidationError):
        services.draft_stop(actor=resident, draft=draft, reason="Pengarna tog slut.")
    services.draft_publish(actor=resident, draft=draft)
    with pytest.raises(ValidationError):
        services.draft_stop(actor=resident, draft=draft, reason=" ")
    services.draft_stop(actor=resident, draft=draft, reason="Pengarna tog slut.")
    lessons = selectors.lessons(method)
    assert [lesson.stopped for lesson in lessons["stopped"]] == ["Pengarna tog slut."]
    # A stopped adaptation no longer counts as a place reached.
    assert selectors.reached_places(method) == {}


def test_adapting_places_counts_drafts_under_way_by_place(resident, outsider, method):
    publishable_draft(resident, method, code="1480")
    publishable_draft(outsider, method, code="1480")
    services.draft_create(actor=outsider, source_method=method)  # no place yet
    assert selectors.adapting_places(method) == 1


@pytest.mark.parametrize("read_together", [0, 60], ids=["kind-by-kind", "all-at-once"])
def test_the_latest_lessons_are_counted_by_kind_and_carry_results_and_reports(
    org_admin, resident, method, monkeypatch, read_together
):
    """The same lessons whether a method's few are read at once and sorted here or the
    latest of each kind asked for in the database."""
    monkeypatch.setattr(selectors, "LESSONS_READ_TOGETHER", read_together)
    from hjulet.impact.models import ImpactReport
    from hjulet.knowledge import services as knowledge_services

    def adaptation(title: str, **fields):
        initiative = make_initiative(org_admin, title=title, **fields)
        knowledge_services.adaptation_create(
            actor=org_admin, initiative=initiative, source_method=method, what_changed="Ny ort."
        )
        return initiative

    adaptation("Med resultat", results="Fler lån.")
    reported = adaptation("Med rapport")
    ImpactReport.objects.create(initiative=reported, what="Fler barn rör sig.", is_published=True)
    ImpactReport.objects.create(
        initiative=adaptation("Med utkast till rapport"), what="Hemligt.", is_published=False
    )
    adaptation("Avslutad", start_date="2019-01-01", end_date="2021-06-30")
    draft = publishable_draft(resident, method)
    services.draft_publish(actor=resident, draft=draft)
    services.draft_stop(actor=resident, draft=draft, reason="Pengarna tog slut.")

    latest = selectors.latest_lessons(method, shown=2)
    assert latest.counts == {"changed": 5, "achieved": 2, "stopped": 2}
    assert [lesson.title for lesson in latest.changed] == [draft.title, "Avslutad"]
    assert {lesson.achieved for lesson in latest.achieved} == {"Fler lån.", "Fler barn rör sig."}
    assert [(lesson.stopped, lesson.ended) for lesson in latest.stopped] == [
        ("Pengarna tog slut.", None),
        ("", 2021),
    ]
    assert latest.more
    # Every lesson, for the page that lists them all: the same counts.
    every = selectors.lessons(method)
    assert [len(every[kind]) for kind in ("changed", "achieved", "stopped")] == [5, 2, 2]
