"""A person in a new town finds a method, starts adapting it, writes to the original team,
publishes, and the method's dissemination plan moves: in a real browser, with axe-core on
the new pages."""

import pytest

from hjulet.accounts.tests.factories import UserFactory, organisation_admin
from hjulet.core.models import Notification
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    log_in,
)
from hjulet.knowledge.tests.factories import make_method

from ..models import AdaptationDraft, DraftStatus, Message
from .factories import make_plan

pytestmark = BROWSER_TESTS


@pytest.fixture
def spreading(reference_data):
    team, lab = organisation_admin(
        "labbet@exempel.se", "Bostadsbolagens innovationslabb", "0581", name="Lina Labb"
    )
    method = make_method(
        team,
        title="Sommarjobb i det egna bostadsområdet",
        summary="Bostadsbolaget anställer unga som bor i området.",
        organisations=[lab],
    )
    plan = make_plan(team, method, title="Sommarjobb i tio nya bostadsområden", target_places=4)
    newcomer = UserFactory(email="ny@exempel.se", name="Nora Ny")
    return {"team": team, "method": method, "plan": plan, "newcomer": newcomer}


def test_a_new_town_adapts_a_method_and_the_plan_moves(page, context, live_server, spreading):
    method, plan = spreading["method"], spreading["plan"]
    log_in(context, live_server, spreading["newcomer"])

    # Finds the method in the bank and sees the plan at 0 of 4.
    page.goto(live_server.url + "/metoder/")
    page.get_by_role("link", name=method.title).first.click()
    page.wait_for_url(f"**/metoder/{method.slug}/")
    assert page.locator(f"a[href='/spridning/{plan.pk}/'] + progress").get_attribute("value") == "0"

    # Starts adapting it to Göteborg, without an organisation.
    page.locator(f"a[href='/metoder/{method.slug}/anpassa/']").first.click()
    page.select_option("#id_municipality", "1480")
    page.locator("main form button[type=submit]").click()
    draft = AdaptationDraft.objects.get(owner=spreading["newcomer"])
    page.wait_for_url(f"**/anpassningar/{draft.pk}/andra/")
    assert_no_serious_axe_violations(page, "the draft's checklist and form")
    page.fill("#id_what_to_change", "Vi anställer via hyresgästföreningen i stället.")
    page.fill("#id_financing", "Bostadsbolagets skötselbudget.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/anpassningar/{draft.pk}/")

    # Writes to the original team through Hjulet; they are told.
    page.locator(f"a[href='/anpassningar/{draft.pk}/samtal/']").click()
    page.fill("#id_body", "Hej! Hur fick ni med bostadsbolaget första året?")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/anpassningar/{draft.pk}/samtal/")
    assert page.get_by_text("Hur fick ni med bostadsbolaget").is_visible()
    assert Message.objects.filter(draft=draft).count() == 1
    assert Notification.objects.filter(user=spreading["team"]).count() == 1
    assert_no_serious_axe_violations(page, "the conversation")

    # Publishes; the plan's bar and map move.
    page.goto(f"{live_server.url}/anpassningar/{draft.pk}/")
    page.locator(f"form[action='/anpassningar/{draft.pk}/publicera/'] button").click()
    page.wait_for_url(f"**/anpassningar/{draft.pk}/")
    assert AdaptationDraft.objects.get(pk=draft.pk).status == DraftStatus.PUBLISHED
    page.goto(f"{live_server.url}/spridning/{plan.pk}/")
    assert page.locator("#plan-progress").get_attribute("value") == "1"
    assert page.locator("table", has_text="Göteborg").is_visible()
    assert page.locator("svg.map path.shade-4").count() == 1
    assert_no_serious_axe_violations(page, "the plan")
