"""Arenas and challenges in a real browser: a resident posts and supports an idea, reports an
abusive comment that is then hidden, and the arena takes the idea into the knowledge bank;
axe-core on the arena and challenge pages."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from hjulet.accounts.models import User
from hjulet.accounts.tests.factories import UserFactory
from hjulet.arenas import services
from hjulet.arenas.models import Idea, Support
from hjulet.core.tests.browser_fixtures import (
    CHROMIUM,
    assert_no_serious_axe_violations,
    log_in,
)

from .factories import make_arena, make_challenge

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not __import__("pathlib").Path(CHROMIUM).exists(), reason="needs Debian's chromium"
    ),
]


@pytest.fixture
def place(reference_data):
    arena = make_arena(name="Umeåarenan")
    challenge = make_challenge(arena.lead_admin, arena=arena)
    services.event_create(
        actor=arena.lead_admin,
        challenge=challenge,
        kind="hackathon",
        title="Sammanhack Umeå",
        starts_at=timezone.now() + datetime.timedelta(days=14),
        place="Ersboda folkets hus",
        capacity=1,
    )
    moderator = UserFactory(email="moderator@exempel.se", name="Mo Moderator")
    from hjulet.accounts.models import Role
    from hjulet.accounts.tests.factories import grant

    grant(moderator, Role.MODERATOR)
    return {"arena": arena, "challenge": challenge, "moderator": moderator}


def test_from_idea_to_initiative_with_a_hidden_comment(browser, live_server, place):
    # a resident joins with just an e-mail address
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    page.goto(live_server.url + "/konto/e-postlank/")
    page.fill("#id_email", "ny.invanare@exempel.se")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    link = re.search(r"http://\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    resident = User.objects.get(email="ny.invanare@exempel.se")
    page.goto(live_server.url + "/utmaningar/")
    assert_no_serious_axe_violations(page, "challenge list")
    page.click("#challenges a:has-text('Nyanlända unga och fritiden')")
    assert_no_serious_axe_violations(page, "challenge page")
    page.fill("#id_title", "Läxhjälp och fotboll")
    page.fill("#id_body", "Första timmen läxor, sedan fotboll i hallen.")
    page.click("#idea-form button[type=submit]")
    page.wait_for_url("**/utmaningar/ide/*/")
    assert "Din idé är publicerad" in page.locator(".messages").inner_text()
    idea = Idea.objects.get(title="Läxhjälp och fotboll")
    assert idea.author == resident

    # someone else supports it, in the browser too
    supporter = UserFactory(email="granne@exempel.se")
    other_context = browser.new_context(locale="sv-SE")
    other = other_context.new_page()
    log_in(other_context, live_server, supporter)
    other.goto(f"{live_server.url}/utmaningar/ide/{idea.pk}/")
    other.click("button:has-text('Stöd idén')")
    assert "Tack för att du stöder idén" in other.locator(".messages").inner_text()
    assert "1 person stöder" in other.locator("#support-count").inner_text()
    assert Support.objects.filter(idea=idea, user=supporter).exists()

    # an abusive comment: two people report it, the resident is the third and it is hidden
    troll = UserFactory(email="troll@exempel.se", name="Troll")
    comment = services.comment_create(actor=troll, idea=idea, body="Dumma idé, ni är idioter")
    for reporter in (supporter, UserFactory()):
        services.content_report(actor=reporter, comment=comment, reason="offensive")
    page.reload()
    page.click(f"#comment-{comment.pk} summary")
    page.select_option(f"#reason-c{comment.pk}", "offensive")
    page.click(f"#comment-{comment.pk} button:has-text('Anmäl')")
    assert "En moderator kommer att titta" in page.locator(".messages").inner_text()
    assert "dold medan en moderator" in page.locator(f"#comment-{comment.pk}").inner_text()
    assert "idioter" not in page.inner_text("main")
    page.reload()
    assert_no_serious_axe_violations(page, "idea page")

    # the moderator sees it in the queue
    mod_context = browser.new_context(locale="sv-SE")
    mod = mod_context.new_page()
    log_in(mod_context, live_server, place["moderator"])
    mod.goto(live_server.url + "/utmaningar/moderering/")
    assert "idioter" in mod.inner_text("main")
    assert_no_serious_axe_violations(mod, "moderation queue")

    # the arena takes the idea into the knowledge bank
    owner_context = browser.new_context(locale="sv-SE")
    owner = owner_context.new_page()
    log_in(owner_context, live_server, place["arena"].lead_admin)
    owner.goto(f"{live_server.url}/utmaningar/ide/{idea.pk}/")
    owner.click("button:has-text('Testa den')")
    owner.wait_for_url("**/initiativ/*/")
    idea.refresh_from_db()
    assert idea.initiative is not None
    assert "Läxhjälp och fotboll" in owner.locator("#from-idea").inner_text()
    owner.goto(live_server.url + "/utmaningar/aviseringar/")
    assert "Ny idé till Nyanlända unga och fritiden" in owner.inner_text("main")
    assert_no_serious_axe_violations(owner, "notifications")
    for ctx in (context, other_context, mod_context, owner_context):
        ctx.close()


@pytest.mark.parametrize(
    "path",
    [
        "/arenor/",
        "/arenor/umeaarenan/",
        "/arenor/umeaarenan/overenskommelse/",
        "/utmaningar/ny/",
        "/utmaningar/?oppna=1",
        "/utmaningar/nyanlanda-unga-och-fritiden/evenemang/",
    ],
)
def test_arena_pages_pass_axe(page, live_server, place, path):
    log_in(page.context, live_server, place["arena"].lead_admin)
    page.goto(live_server.url + path)
    assert page.get_attribute("html", "lang") == "sv"
    assert_no_serious_axe_violations(page, path)
