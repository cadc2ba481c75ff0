"""A resident's story in a real browser: told on the initiative's page, read and published
by a moderator from the review queue, then shown on the initiative's page and found by the
site search; axe-core on the story pages."""

import pytest

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    grant,
)
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    new_page,
)
from hjulet.stories.models import ReviewStatus, Story

from .factories import make_initiative

pytestmark = BROWSER_TESTS


@pytest.fixture
def initiative(reference_data):
    lead = UserFactory(email="ledare@exempel.se", name="Lea Ledare")
    MembershipFactory(user=lead, organisation=OrganisationFactory(name="Grannkraft"))
    return make_initiative(lead, title="Grannträffar i Ersboda")


def test_reviewed_story_on_its_initiative_and_in_search(browser, live_server, initiative):
    resident = UserFactory(email="boende@exempel.se", name="Bo Boende")
    moderator = grant(UserFactory(email="mod@exempel.se", name="Mo Moderator"), Role.MODERATOR)
    initiative_url = f"{live_server.url}/initiativ/{initiative.slug}/"

    page = new_page(browser, live_server, resident)
    page.goto(initiative_url)
    page.click("#stories a:has-text('Berätta')")
    page.fill("#id_title", "Cykelverkstaden på gården")
    page.fill("#id_text", "Varje lördag lagar vi cyklar ihop med barnen i kvarteret.")
    page.click("#story-form button[type=submit]")
    page.wait_for_url("**/berattelser/*/")
    assert "En samordnare läser din berättelse" in page.locator(".messages").inner_text()
    story = Story.objects.get()
    assert story.status == ReviewStatus.PENDING and list(story.initiatives.all()) == [initiative]
    assert_no_serious_axe_violations(page, "story page")

    visitor = new_page(browser)
    visitor.goto(initiative_url)
    assert "Cykelverkstaden" not in visitor.inner_text("main")

    mod = new_page(browser, live_server, moderator)
    mod.goto(live_server.url + "/berattelser/granska/")
    assert_no_serious_axe_violations(mod, "story review queue")
    mod.check(f"#story-{story.pk}-heading ~ form input[value=publish]")
    mod.click(f"#story-{story.pk}-heading ~ form button[type=submit]")
    mod.wait_for_url("**/berattelser/granska/")
    assert "Inget att granska" in mod.inner_text("main")

    visitor.goto(initiative_url)
    assert "Cykelverkstaden på gården" in visitor.inner_text("#stories")
    visitor.goto(live_server.url + "/sok/?q=cykelverkstaden")
    visitor.click("main a:has-text('Cykelverkstaden på gården')")
    visitor.wait_for_url(f"**/berattelser/{story.pk}/")
    assert "Bo Boende" in visitor.inner_text("main")
    assert "boende@exempel.se" not in visitor.content()
    visitor.goto(live_server.url + "/berattelser/")
    assert_no_serious_axe_violations(visitor, "story list")
