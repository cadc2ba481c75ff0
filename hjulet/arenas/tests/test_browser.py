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
from hjulet.arenas.models import Comment, Idea, Support
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    assert_swedish_page_passes_axe,
    choose_radio_with_arrow_keys,
    choose_with_arrow_keys,
    new_page,
    press_enter_and_wait,
    skip_to_content,
    tab_to,
    tab_to_name,
)

from .factories import make_arena, make_challenge

pytestmark = BROWSER_TESTS


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
    page = new_page(browser)
    page.goto(live_server.url + "/konto/e-postlank/")
    page.fill("#id_email", "ny.invanare@exempel.se")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    link = re.search(r"http://\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    # a new account chooses the name others see first
    page.fill("#id_name", "Nora Nyinflyttad")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    resident = User.objects.get(email="ny.invanare@exempel.se")
    assert resident.name == "Nora Nyinflyttad"
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
    other = new_page(browser, live_server, supporter)
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
    mod = new_page(browser, live_server, place["moderator"])
    mod.goto(live_server.url + "/utmaningar/moderering/")
    assert "idioter" in mod.inner_text("main")
    assert_no_serious_axe_violations(mod, "moderation queue")

    # the arena takes the idea into the knowledge bank
    owner = new_page(browser, live_server, place["arena"].lead_admin)
    owner.goto(f"{live_server.url}/utmaningar/ide/{idea.pk}/")
    owner.click("button:has-text('Testa den')")
    owner.wait_for_url("**/initiativ/*/")
    idea.refresh_from_db()
    assert idea.initiative is not None
    assert "Läxhjälp och fotboll" in owner.locator("#from-idea").inner_text()
    owner.goto(live_server.url + "/aviseringar/")
    assert "Ny idé till Nyanlända unga och fritiden" in owner.inner_text("main")
    assert_no_serious_axe_violations(owner, "notifications")
    for each in (page, other, mod, owner):
        each.context.close()


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
    assert_swedish_page_passes_axe(page, live_server, place["arena"].lead_admin, path)


def keyboard_page(browser, live_server, user):
    page = new_page(browser, live_server, user)
    page.context.set_default_timeout(30_000)
    return page.context, page


def test_idea_support_report_and_moderation_with_the_keyboard_alone(browser, live_server, place):
    """Post an idea, support it, report a comment and decide on it as the moderator, each
    with Tab, Shift+Tab, Enter, Space, the arrow keys and typing only."""
    url = live_server.url
    resident = UserFactory(email="tangent@exempel.se", name="Tove Tangent")
    contexts = []

    # The resident posts an idea from the challenge list.
    context, page = keyboard_page(browser, live_server, resident)
    contexts.append(context)
    page.goto(url + "/utmaningar/")
    skip_to_content(page)
    tab_to_name(page, "Nyanlända unga och fritiden")
    press_enter_and_wait(page)
    skip_to_content(page)
    tab_to(page, "#idea-form #id_title")
    page.keyboard.type("Läxhjälp och fotboll")
    tab_to(page, "#idea-form #id_body", limit=3)
    page.keyboard.type("Första timmen läxor, sedan fotboll i hallen.")
    tab_to_name(page, "Publicera idén")
    press_enter_and_wait(page)
    idea = Idea.objects.get(title="Läxhjälp och fotboll")
    assert idea.author == resident
    assert urlsplit(page.url).path == f"/utmaningar/ide/{idea.pk}/"

    # A neighbour supports it.
    supporter = UserFactory(email="granne@exempel.se")
    context, other = keyboard_page(browser, live_server, supporter)
    contexts.append(context)
    other.goto(f"{url}/utmaningar/ide/{idea.pk}/")
    skip_to_content(other)
    tab_to_name(other, "Stöd idén")
    press_enter_and_wait(other)
    assert Support.objects.filter(idea=idea, user=supporter).exists()
    assert "1 person stöder" in other.locator("#support-count").inner_text()

    # A comment two people have reported; the neighbour is the third, so it is hidden.
    troll = UserFactory(email="troll@exempel.se", name="Troll")
    comment = services.comment_create(actor=troll, idea=idea, body="Dumma idé, ni är idioter")
    for reporter in (resident, UserFactory()):
        services.content_report(actor=reporter, comment=comment, reason="offensive")
    other.goto(f"{url}/utmaningar/ide/{idea.pk}/")
    skip_to_content(other)
    tab_to_name(other, "Anmäl kommentaren")
    other.keyboard.press("Enter")  # opens the <details>
    tab_to(other, f"#reason-c{comment.pk}", limit=3)
    choose_with_arrow_keys(other, "offensive")
    tab_to_name(other, "Anmäl", limit=3)
    press_enter_and_wait(other)
    comment.refresh_from_db()
    assert comment.is_hidden and not comment.is_removed

    # The moderator finds it through the challenge list and removes it.
    context, mod = keyboard_page(browser, live_server, place["moderator"])
    contexts.append(context)
    mod.goto(url + "/utmaningar/")
    skip_to_content(mod)
    tab_to_name(mod, "Modereringskö")
    press_enter_and_wait(mod)
    skip_to_content(mod)
    section = f"section[aria-labelledby='comment-{comment.pk}-heading']"
    tab_to(mod, f"{section} input[name=decision]")
    choose_radio_with_arrow_keys(mod, "remove")
    tab_to(mod, f"{section} textarea[name=explanation]", limit=3)
    mod.keyboard.type("Personangrepp är inte tillåtna.")
    tab_to(mod, f"{section} button[type=submit]", limit=3)
    press_enter_and_wait(mod)
    comment = Comment.objects.get(pk=comment.pk)
    assert comment.is_removed
    for context in contexts:
        context.close()
