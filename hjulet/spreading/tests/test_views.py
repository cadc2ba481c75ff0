import pytest
from django.urls import reverse

from hjulet.core.models import Notification
from hjulet.knowledge.tests.factories import make_initiative, make_method

from .. import selectors, services
from ..models import AdaptationDraft, DraftStatus, Message
from .factories import make_plan, publishable_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def method(org_admin, organisation):
    return make_method(org_admin, organisations=[organisation])


def test_the_method_page_offers_adapting_and_lists_plans_with_progress(
    as_user, org_admin, resident, method
):
    plan = make_plan(org_admin, method)
    services.draft_publish(actor=resident, draft=publishable_draft(resident, method))
    page = as_user(None).get(reverse("knowledge:method-detail", args=[method.slug]))
    html = page.content.decode()
    assert reverse("spreading:start-method", args=[method.slug]) in html
    assert reverse("spreading:plan-detail", args=[plan.pk]) in html
    assert 'value="1"' in html  # the bar: one place of four
    assert "Vi kör på lördagar" in html  # what adaptations learned


def test_the_initiative_page_links_to_hjulet_not_to_an_email_address(as_user, org_admin):
    initiative = make_initiative(org_admin, contact_email="kontakt@exempel.se")
    html = as_user(None).get(reverse("knowledge:initiative-detail", args=[initiative.slug]))
    html = html.content.decode()
    assert "mailto:" not in html
    assert reverse("spreading:start-initiative", args=[initiative.slug]) in html


def test_an_outsider_starts_a_draft_from_an_initiative(as_user, org_admin, outsider):
    initiative = make_initiative(org_admin)
    client = as_user(outsider)
    url = reverse("spreading:start-initiative", args=[initiative.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"municipality": "1480"})
    draft = AdaptationDraft.objects.get(owner=outsider)
    assert response.url == reverse("spreading:draft-edit", args=[draft.pk])
    assert draft.source_initiative == initiative


def test_starting_needs_signing_in(as_user, method):
    response = as_user(None).post(reverse("spreading:start-method", args=[method.slug]))
    assert response.status_code == 302 and "/konto/logga-in/" in response.url
    assert not AdaptationDraft.objects.exists()


def test_an_unknown_method_is_404(as_user, resident):
    assert as_user(resident).get("/metoder/finns-inte/anpassa/").status_code == 404


def test_a_draft_is_hidden_from_others_until_published(as_user, resident, outsider, method):
    draft = publishable_draft(resident, method)
    url = reverse("spreading:draft-detail", args=[draft.pk])
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 404
    assert (
        as_user(outsider).post(reverse("spreading:draft-publish", args=[draft.pk])).status_code
        == 404
    )
    services.draft_publish(actor=resident, draft=draft)
    assert as_user(None).get(url).status_code == 200
    # Published, others read it but may not change it.
    assert (
        as_user(outsider).get(reverse("spreading:draft-edit", args=[draft.pk])).status_code == 403
    )


def test_publishing_an_incomplete_draft_says_what_is_missing(as_user, resident, method):
    draft = services.draft_create(actor=resident, source_method=method)
    response = as_user(resident).post(
        reverse("spreading:draft-publish", args=[draft.pk]), follow=True
    )
    assert response.status_code == 200
    assert AdaptationDraft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT
    assert b"error" in response.content or b"kommun" in response.content.lower()


def test_editing_a_draft_with_bad_input_is_400_not_500(as_user, resident, method):
    draft = services.draft_create(actor=resident, source_method=method)
    response = as_user(resident).post(
        reverse("spreading:draft-edit", args=[draft.pk]),
        {"title": "", "municipality": "9999", "version": draft.version},
    )
    assert response.status_code == 400


def test_a_message_is_sent_once_on_double_submit(as_user, org_admin, resident, method):
    draft = services.draft_create(actor=resident, source_method=method)
    client = as_user(resident)
    url = reverse("spreading:draft-thread", args=[draft.pk])
    form = client.get(url).context["form"]
    data = {"body": "Hej! Hur började ni?", "submission": form["submission"].initial}
    client.post(url, data)
    client.post(url, data)
    assert Message.objects.filter(draft=draft).count() == 1
    assert Notification.objects.filter(user=org_admin).count() == 1
    # The team answers on the site.
    response = as_user(org_admin).post(url, {"body": "Vi började med en fika."})
    assert response.status_code == 302
    assert Message.objects.filter(draft=draft).count() == 2


def test_the_thread_is_closed_to_others(as_user, outsider, resident, method):
    draft = services.draft_create(actor=resident, source_method=method)
    url = reverse("spreading:draft-thread", args=[draft.pk])
    assert as_user(outsider).post(url, {"body": "Hej"}).status_code == 404
    services.draft_publish(actor=resident, draft=publishable_draft(resident, method))
    assert not Message.objects.exists()


def test_the_plan_page_shows_progress_map_and_table(as_user, org_admin, resident, method):
    plan = make_plan(org_admin, method)
    services.step_create(actor=org_admin, plan=plan, title="Bjud in bostadsbolagen")
    services.draft_publish(actor=resident, draft=publishable_draft(resident, method))
    html = as_user(None).get(reverse("spreading:plan-detail", args=[plan.pk])).content.decode()
    assert "Göteborg" in html and "Bjud in bostadsbolagen" in html
    assert 'class="shade-4"><title>Göteborg: Uppnått</title>' in html
    assert "<title>Umeå: Inte i planen</title>" in html
    assert "<table>" in html


def test_only_owners_add_steps(as_user, org_admin, resident, method):
    plan = make_plan(org_admin, method)
    url = reverse("spreading:step-create", args=[plan.pk])
    assert as_user(resident).post(url, {"title": "Steg"}).status_code == 403
    as_user(org_admin).post(url, {"title": "Steg", "due_date": "2029-05-01"})
    assert plan.steps.count() == 1


def test_plans_export_as_csv(as_user, org_admin, method):
    make_plan(org_admin, method)
    response = as_user(None).get(reverse("spreading:plan-export"))
    body = b"".join(response.streaming_content).decode()
    assert "Tio nya orter" in body and response["Content-Type"].startswith("text/csv")


def test_plan_create_page_for_the_methods_people_only(as_user, org_admin, resident, method):
    url = reverse("spreading:plan-create", args=[method.slug])
    assert as_user(resident).get(url).status_code == 403
    response = as_user(org_admin).post(
        url,
        {"title": "Plan", "goal": "Mål", "target_places": "0", "target_year": "2030"},
    )
    assert response.status_code == 400


def test_the_owners_edit_a_plan_and_others_may_not(as_user, org_admin, resident, method):
    plan = make_plan(org_admin, method)
    url = reverse("spreading:plan-edit", args=[plan.pk])
    assert as_user(resident).get(url).status_code == 403
    data = {
        "title": plan.title,
        "goal": "Tolv nya orter.",
        "target_places": "12",
        "target_year": "2030",
        "counties": ["05"],
    }
    assert as_user(resident).post(url, data).status_code == 403
    assert as_user(org_admin).post(url, {**data, "target_places": "-1"}).status_code == 400
    assert as_user(org_admin).post(url, data).status_code == 302
    plan.refresh_from_db()
    assert (plan.target_places, plan.goal) == (12, "Tolv nya orter.")
    assert [c.code for c in plan.counties.all()] == ["05"]


def adaptations_of(method, actor, count: int) -> list:
    """``count`` initiatives that recorded adapting ``method``, one after the other."""
    from hjulet.knowledge import services as knowledge_services

    made = []
    for number in range(count):
        initiative = make_initiative(actor, title=f"Anpassning {number}")
        made.append(
            knowledge_services.adaptation_create(
                actor=actor,
                initiative=initiative,
                source_method=method,
                what_changed=f"Ändring nummer {number}.",
            )
        )
    return made


def test_the_panel_shows_the_latest_lessons_and_links_to_every_one(as_user, org_admin, method):
    shown = selectors.LESSONS_SHOWN
    adaptations_of(method, org_admin, shown + 2)
    page = as_user(None).get(reverse("knowledge:method-detail", args=[method.slug]))
    lessons = page.context["lessons"]
    assert lessons.counts["changed"] == shown + 2
    assert [lesson.title for lesson in lessons.changed] == [
        f"Anpassning {number}" for number in range(shown + 1, 1, -1)
    ]
    html = page.content.decode()
    start = html.index('id="adapt-heading"')
    panel = html[start : html.index("</section>", start)]
    assert "Ändring nummer 0." not in panel and f"Ändring nummer {shown + 1}." in panel
    assert f"De senaste {shown} av {shown + 2}." in panel
    assert reverse("spreading:lessons", args=[method.slug]) in panel


def test_a_panel_with_every_lesson_shown_has_no_link_to_more(as_user, org_admin, method):
    adaptations_of(method, org_admin, 2)
    html = as_user(None).get(reverse("knowledge:method-detail", args=[method.slug])).content
    assert "Ändring nummer 0." in html.decode()
    assert reverse("spreading:lessons", args=[method.slug]) not in html.decode()


def test_the_lessons_page_lists_every_lesson_a_page_at_a_time(as_user, org_admin, resident, method):
    services.draft_publish(actor=resident, draft=publishable_draft(resident, method))
    adaptations_of(method, org_admin, selectors.LESSONS_PER_PAGE)
    url = reverse("spreading:lessons", args=[method.slug])
    first = as_user(None).get(url)
    assert first.status_code == 200
    assert first.context["page"].paginator.count == selectors.LESSONS_PER_PAGE + 1
    assert "?page=2" in first.content.decode()
    # The oldest, the published draft, is on the second page.
    assert "Vi kör på lördagar" in as_user(None).get(url, {"page": 2}).content.decode()
    for odd in ("abc", "9999", "0"):
        assert as_user(None).get(url, {"page": odd}).status_code == 200
    missing = reverse("spreading:lessons", args=["finns-inte"])
    assert as_user(None).get(missing).status_code == 404


def test_the_lessons_page_of_a_method_nobody_adapted(as_user, method):
    response = as_user(None).get(reverse("spreading:lessons", args=[method.slug]))
    assert response.status_code == 200
    assert "Ingen anpassning av metoden" in response.content.decode()
