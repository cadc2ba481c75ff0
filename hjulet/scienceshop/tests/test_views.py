"""The pages: who may see and do what, bad input answered with the form again (400), and
the .ics file."""

import uuid

import pytest

from hjulet.accounts.tests.factories import MembershipFactory, UserFactory
from hjulet.core.models import Vocabulary

from .. import services
from ..models import Meeting, Question
from ..workflow import Status
from .factories import QUESTION, assign_directly, challenge, in_status, soon, submit

pytestmark = pytest.mark.django_db


def form_data(organisation, **overrides):
    return {
        **QUESTION,
        "organisation": organisation.pk,
        "non_commercial": "yes",
        "results_may_be_public": "yes",
        "lacks_means": "no",
        "challenges": [challenge("ensamhet").pk],
        "submission": str(uuid.uuid4()),
        **overrides,
    }


def test_ask_form_creates_a_question_and_a_double_submit_does_not(as_user, member, organisation):
    client = as_user(member)
    assert client.get("/forskarverkstad/fraga/").status_code == 200
    data = form_data(organisation)
    response = client.post("/forskarverkstad/fraga/", data)
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/forskarverkstad/fragor/{question.pk}/"
    assert question.lacks_means is False
    # The same form sent again (a double click, a reload) leads to the same question.
    again = client.post("/forskarverkstad/fraga/", data)
    assert again.status_code == 302
    assert again["Location"] == f"/forskarverkstad/fragor/{question.pk}/"
    assert Question.objects.count() == 1
    assert question.formulations.count() == 1
    # A new form (a new token) is a new question.
    client.post("/forskarverkstad/fraga/", form_data(organisation))
    assert Question.objects.count() == 2


def test_ask_form_the_form_carries_the_core_submission_token(as_user, member, organisation):
    page = as_user(member).get("/forskarverkstad/fraga/").content.decode()
    assert 'name="submission"' in page
    assert "submission_token" not in page


def test_ask_form_with_errors_can_be_corrected_and_sent_with_the_same_token(
    as_user, member, organisation
):
    client = as_user(member)
    data = form_data(organisation, non_commercial="")
    assert client.post("/forskarverkstad/fraga/", data).status_code == 400
    data["non_commercial"] = "yes"
    response = client.post("/forskarverkstad/fraga/", data)
    assert response.status_code == 302
    assert Question.objects.count() == 1


def test_someone_elses_token_does_not_show_their_question(as_user, member, organisation):
    data = form_data(organisation)
    as_user(member).post("/forskarverkstad/fraga/", data)
    other = UserFactory(email="annan.medlem@exempel.se")
    MembershipFactory(user=other, organisation=organisation)
    response = as_user(other).post("/forskarverkstad/fraga/", data)
    assert response.status_code == 400
    assert "Formuläret är redan skickat." in response.content.decode()
    assert Question.objects.count() == 1


def test_ask_form_needs_explicit_criteria_answers(as_user, member, organisation):
    response = as_user(member).post(
        "/forskarverkstad/fraga/", form_data(organisation, non_commercial="")
    )
    assert response.status_code == 400
    assert "Svara ja eller nej" in response.content.decode()
    assert not Question.objects.exists()


def test_ask_without_an_organisation_is_sent_to_register_one(as_user, outsider):
    response = as_user(outsider).get("/forskarverkstad/fraga/")
    assert response.status_code == 302
    assert response["Location"] == "/organisationer/ny/"


def test_anonymous_is_asked_to_log_in(client, member, organisation):
    question = submit(member, organisation)
    for url in ("/forskarverkstad/fraga/", f"/forskarverkstad/fragor/{question.pk}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")


@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("member", Status.SUBMITTED, 200),
        ("org_admin", Status.SUBMITTED, 200),
        ("coordinator", Status.SUBMITTED, 200),
        ("researcher", Status.SUBMITTED, 403),
        ("researcher", Status.ACCEPTED, 200),
        ("outsider", Status.ACCEPTED, 403),
        ("resident", Status.PUBLISHED, 403),
        ("moderator", Status.IN_DIALOGUE, 403),
    ],
)
def test_question_page_per_persona(
    persona, status, expected, request, as_user, member, organisation
):
    question = in_status(submit(member, organisation), status)
    response = as_user(request.getfixturevalue(persona)).get(
        f"/forskarverkstad/fragor/{question.pk}/"
    )
    assert response.status_code == expected
    if expected == 200:
        assert QUESTION["title"] in response.content.decode()


def test_unknown_question_is_404(as_user, coordinator):
    assert as_user(coordinator).get("/forskarverkstad/fragor/999999/").status_code == 404


def test_intake_formulation_and_decision_on_the_page(as_user, member, organisation, coordinator):
    question = submit(member, organisation)
    client = as_user(coordinator)
    page = client.get(f"/forskarverkstad/fragor/{question.pk}/").content.decode()
    assert 'id="decision-form"' in page and 'id="formulation-form"' in page
    response = client.post(
        f"/forskarverkstad/fragor/{question.pk}/formulering/",
        {"text": "Hur bjuder vi in ensamma äldre?", "comment": "Tydligare"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/forskarverkstad/fragor/{question.pk}/beslut/", {"decision": "accepted", "reason": ""}
    )
    assert response.status_code == 400  # a reason is required
    question.refresh_from_db()
    assert question.status == Status.IN_DIALOGUE
    client.post(
        f"/forskarverkstad/fragor/{question.pk}/beslut/",
        {"decision": "accepted", "reason": "Frågan passar forskarverkstaden."},
    )
    question.refresh_from_db()
    assert question.status == Status.ACCEPTED
    # the organisation sees the reason and the timeline
    page = as_user(member).get(f"/forskarverkstad/fragor/{question.pk}/").content.decode()
    assert "Frågan passar forskarverkstaden." in page
    assert 'id="decision-form"' not in page
    assert page.count("<li><time") == 4  # submitted, formulation, in dialogue, accepted


def test_a_member_cannot_post_a_decision(as_user, member, organisation):
    question = submit(member, organisation)
    response = as_user(member).post(
        f"/forskarverkstad/fragor/{question.pk}/beslut/",
        {"decision": "accepted", "reason": "Vi tycker själva att den är bra"},
    )
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.status == Status.SUBMITTED


def test_forbidden_transition_on_the_page_is_a_clear_400(
    as_user, member, organisation, coordinator
):
    question = in_status(submit(member, organisation), Status.DECLINED)
    response = as_user(coordinator).post(
        f"/forskarverkstad/fragor/{question.pk}/resultat/",
        {"kind": "summary", "title": "T", "summary": "S"},
    )
    assert response.status_code == 400
    assert "Avböjd" in response.content.decode()
    assert not hasattr(Question.objects.get(pk=question.pk), "outcome")


def test_researcher_browses_and_shows_interest(as_user, member, organisation, researcher):
    hidden = submit(member, organisation, title="Ännu inte accepterad")
    question = in_status(submit(member, organisation), Status.ACCEPTED)
    client = as_user(researcher)
    page = client.get("/forskarverkstad/oppna-fragor/").content.decode()
    assert QUESTION["title"] in page and hidden.title not in page
    response = client.post(f"/forskarverkstad/fragor/{question.pk}/intresse/", {"message": "Ja"})
    assert response.status_code == 302
    assert question.interests.get().researcher == researcher
    twice = client.post(f"/forskarverkstad/fragor/{question.pk}/intresse/", {"message": "Ja"})
    assert twice.status_code == 400


def test_open_questions_refused_to_non_researchers(as_user, outsider, member):
    assert as_user(outsider).get("/forskarverkstad/oppna-fragor/").status_code == 403
    assert as_user(member).get("/forskarverkstad/fragor/").status_code == 403


def test_assign_page_with_suggestions(as_user, member, organisation, coordinator, researcher):
    services.researcher_profile_save(
        actor=researcher, university="Umeå universitet", expertise="Äldre i glesbygden"
    )
    question = in_status(submit(member, organisation), Status.ACCEPTED)
    client = as_user(coordinator)
    page = client.get(f"/forskarverkstad/fragor/{question.pk}/tilldela/").content.decode()
    assert 'id="suggestions"' in page and "glesbygd" in page
    response = client.post(
        f"/forskarverkstad/fragor/{question.pk}/tilldela/",
        {"kind": "researcher", "researcher": researcher.pk},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.MATCHED
    assert (
        as_user(researcher).get(f"/forskarverkstad/fragor/{question.pk}/tilldela/").status_code
        == 403
    )


def test_meeting_and_ics(as_user, member, organisation, researcher, outsider):
    question = in_status(submit(member, organisation), Status.MATCHED)
    assign_directly(question, researcher)
    client = as_user(researcher)
    response = client.post(
        f"/forskarverkstad/fragor/{question.pk}/moten/",
        {
            "starts_at": soon().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 90,
            "place": "Föreningslokalen, Storgatan 1",
            "participants": "Maja; forskaren",
            "next_steps": "Läsa in",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    ics = client.get(f"/forskarverkstad/fragor/{question.pk}/moten/{meeting.pk}.ics")
    assert ics.status_code == 200
    assert ics["Content-Type"].startswith("text/calendar")
    text = ics.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and f"UID:{meeting.uid}@hjulet" in text
    assert "LOCATION:Föreningslokalen\\, Storgatan 1" in text
    assert (
        as_user(member)
        .get(f"/forskarverkstad/fragor/{question.pk}/moten/{meeting.pk}.ics")
        .status_code
        == 200
    )
    assert (
        as_user(outsider)
        .get(f"/forskarverkstad/fragor/{question.pk}/moten/{meeting.pk}.ics")
        .status_code
        == 403
    )
    bad = client.post(f"/forskarverkstad/fragor/{question.pk}/moten/", {"starts_at": "igår"})
    assert bad.status_code == 400
    edit = f"/forskarverkstad/fragor/{question.pk}/moten/{meeting.pk}/"
    assert client.get(edit).status_code == 200
    data = {
        "starts_at": meeting.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 90,
        "participants": "Maja; forskaren",
        "notes": "Vi enades om tre intervjuer.",
        "next_steps": "Boka intervjuerna",
    }
    assert client.post(edit, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.notes == "Vi enades om tre intervjuer."
    assert as_user(member).get(edit).status_code == 403


def test_public_sees_published_summaries_only(client, member, organisation, coordinator):
    question = in_status(submit(member, organisation), Status.IN_PROGRESS)
    outcome = services.outcome_record(
        actor=coordinator,
        question=question,
        kind="summary",
        title="Personlig inbjudan når ensamma äldre",
        summary="Ett samtal eller ett besök fungerar bättre än affischer.",
        challenges=[challenge("ensamhet")],
    )
    listing = client.get("/forskarverkstad/kunskap/").content.decode()
    assert "Personlig inbjudan når ensamma äldre" in listing
    detail = client.get(f"/forskarverkstad/kunskap/{outcome.pk}/")
    assert detail.status_code == 200
    assert "/initiativ/?challenge=ensamhet" in detail.content.decode()
    assert client.get(f"/forskarverkstad/fragor/{question.pk}/").status_code == 302
    closed = in_status(submit(member, organisation, title="Stängd"), Status.IN_PROGRESS)
    other = services.outcome_record(
        actor=coordinator, question=closed, kind="closed", reason="Ingen forskare hittades."
    )
    assert client.get(f"/forskarverkstad/kunskap/{other.pk}/").status_code == 404


def test_follow_up_on_the_page(as_user, member, organisation):
    question = in_status(submit(member, organisation), Status.PUBLISHED)
    client = as_user(member)
    assert (
        'id="follow-up-form"'
        in client.get(f"/forskarverkstad/fragor/{question.pk}/").content.decode()
    )
    response = client.post(
        f"/forskarverkstad/fragor/{question.pk}/uppfoljning/",
        {"was_used": "yes", "how": "Vi ringer nu alla nya medlemmar."},
    )
    assert response.status_code == 302
    assert (
        client.post(
            f"/forskarverkstad/fragor/{question.pk}/uppfoljning/", {"was_used": "yes", "how": "x"}
        ).status_code
        == 400
    )


def test_overview_for_coordinators_only(as_user, coordinator, researcher, member, organisation):
    submit(member, organisation)
    page = as_user(coordinator).get("/forskarverkstad/oversikt/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="status-table"' in html and "<svg" in html and 'id="stage-table"' in html
    assert as_user(researcher).get("/forskarverkstad/oversikt/").status_code == 403


def test_my_questions_lists_only_my_organisations(as_user, member, organisation, outsider):
    submit(member, organisation)
    assert (
        QUESTION["title"] in as_user(member).get("/forskarverkstad/mina-fragor/").content.decode()
    )
    assert (
        QUESTION["title"]
        not in as_user(outsider).get("/forskarverkstad/mina-fragor/").content.decode()
    )


def test_researcher_profile_page(as_user, researcher, outsider):
    client = as_user(researcher)
    assert client.get("/forskarverkstad/forskarprofil/").status_code == 200
    response = client.post(
        "/forskarverkstad/forskarprofil/",
        {"university": "Malmö universitet", "expertise": "Idéburen sektor", "is_available": "on"},
    )
    assert response.status_code == 302
    assert as_user(outsider).get("/forskarverkstad/forskarprofil/").status_code == 403


def test_index_and_nav(client):
    page = client.get("/forskarverkstad/").content.decode()
    assert 'href="/forskarverkstad/" aria-current="page"' in page
    assert Vocabulary  # the vocabularies are loaded for every test


def test_related_summaries_tag_for_the_knowledge_bank(member, organisation, coordinator):
    from django.template import Context, Template

    question = in_status(submit(member, organisation), Status.IN_PROGRESS)
    services.outcome_record(
        actor=coordinator,
        question=question,
        kind="summary",
        title="Personlig inbjudan når ensamma äldre",
        summary="Ring och bjud in.",
        challenges=[challenge("ensamhet")],
    )
    page = Template("{% load scienceshop %}{% related_summaries terms %}")
    shown = page.render(Context({"terms": [challenge("ensamhet"), challenge("boende")]}))
    assert "Personlig inbjudan når ensamma äldre" in shown
    assert page.render(Context({"terms": [challenge("boende")]})).strip() == ""
    assert page.render(Context({"terms": []})).strip() == ""
