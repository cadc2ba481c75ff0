"""The respondent's and the coordinator's pages: the focused answer page with its progress, the
open link's welcome page, the coordinator's preview (nothing stored), the invitation mail and
its preview, the organisation picker, the report builder adding a block in place, and free-text
answers on the results page. Swedish by default."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from hjulet.accounts.models import MembershipRole
from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.arenas.tests.factories import make_arena, sector
from hjulet.surveys import services
from hjulet.surveys.forms import BlockForm
from hjulet.surveys.models import Invitation, Response, Survey, SurveyStatus

from .factories import invite, make_survey


@pytest.fixture
def survey(coordinator, organisation):
    return make_survey(coordinator, organisation)


@pytest.fixture
def open_link(coordinator, survey):
    survey = services.survey_set_anonymous_link(actor=coordinator, survey=survey, enabled=True)
    return f"/enkater/{survey.slug}/oppen/{survey.anonymous_key}/"


def _text(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


def _picker(page) -> str:
    """The organisation picker's part of the send page."""
    text = _text(page)
    return text[text.index('id="org-results"') : text.index('id="send-heading"')]


# --- the welcome page and the focused answer page ----------------------------------------


def test_the_open_link_starts_on_a_welcome_page(as_user, survey, open_link):
    page = as_user(None).get(open_link)
    text = _text(page)
    assert page.status_code == 200
    assert '<h1 lang="sv">Medlemsenkät 2026</h1>' in text
    assert "Sista svarsdag" in text and "ansökningsdag" not in text
    assert survey.deadline.astimezone(timezone.get_current_timezone()).strftime("%Y") in text
    assert "Fritidsbanken Umeå" in text  # who asks
    assert "Så används dina svar" in text and "kopplas inte till ditt namn" in text
    assert 'id="start-answering"' in text
    assert "<dt>Frågor</dt><dd>3–4</dd>" in text  # med_vem is asked only after "ja"
    assert 'class="site-nav"' not in text and "Logga in" not in text  # a focused page
    assert Response.objects.count() == 0  # looking is not starting


def test_the_start_button_starts_a_response(as_user, open_link):
    client = as_user(None)
    started = client.post(open_link)
    assert started.status_code == 302 and "/enkater/svar/" in started["Location"]
    assert Response.objects.filter(submitted_at__isnull=True).count() == 1
    assert client.get(started["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("closed", "stängt"),
        ("expired", "stängt"),
        ("withdrawn", "inte (längre) giltig"),
        ("wrong-key", "inte (längre) giltig"),
    ],
)
def test_the_welcome_page_refuses_a_closed_expired_or_withdrawn_link(
    as_user, coordinator, survey, open_link, change, message
):
    url = open_link
    if change == "closed":
        services.survey_close(actor=coordinator, survey=survey)
    elif change == "expired":
        Survey.objects.filter(pk=survey.pk).update(deadline=timezone.now() - timedelta(hours=1))
    elif change == "withdrawn":
        services.survey_set_anonymous_link(actor=coordinator, survey=survey, enabled=False)
    else:
        url = open_link.rstrip("/") + "x/"
    client = as_user(None)
    for page in (client.get(url), client.post(url)):
        assert page.status_code == 410
        assert message in _text(page)
        assert 'id="start-answering"' not in _text(page)
    assert Response.objects.count() == 0


def test_the_answer_page_is_focused_and_shows_progress(as_user, coordinator, survey):
    invitation = invite(coordinator, survey)
    client = as_user(None)
    url = f"/enkater/svar/{invitation.token}/"
    text = _text(client.get(url))
    assert 'class="site-nav"' not in text and "Logga in" not in text
    assert 'href="#main"' in text  # the skip link stays
    assert "language-switch" in text
    assert "Sista svarsdag" in text
    # nya, anstallda and hinder are asked; med_vem only after "ja"
    assert "0 av 3 frågor besvarade" in text
    assert 'max="3" value="0"' in text
    client.post(url, {"nya": "ja", "anstallda": "4", "save": "1"})
    assert "2 av 4 frågor besvarade" in _text(client.get(url))


# --- the coordinator's preview ------------------------------------------------------------


def test_the_preview_shows_the_form_and_stores_nothing(as_user, coordinator, organisation):
    draft = make_survey(coordinator, organisation, title="Utkast", open_=False)
    client = as_user(coordinator)
    url = f"/enkater/{draft.slug}/forhandsvisning/"
    text = _text(client.get(url))
    assert "Förhandsvisning" in text and "Inget du fyller i här sparas" in text
    assert "Har ni utvecklat nya lösningar?" in text
    assert 'class="site-nav"' not in text
    assert f'data-conditions-url="/enkater/{draft.slug}/forhandsvisning/villkor/"' in text
    refused = client.post(url, {"submit": "1"})
    assert refused.status_code == 400 and "Har ni utvecklat nya lösningar?" in _text(refused)
    passed = client.post(url, {"nya": "ja", "med_vem": ["kommun"], "submit": "1"})
    assert passed.status_code == 200 and "Svaren klarar alla kontroller" in _text(passed)
    assert 'value="ja" checked' in _text(passed)
    conditions = client.post(f"/enkater/{draft.slug}/forhandsvisning/villkor/", {"nya": "ja"})
    assert "med_vem" in conditions.json()["shown"]
    assert Response.objects.count() == 0 and Invitation.objects.count() == 0
    draft.refresh_from_db()
    assert draft.status == SurveyStatus.DRAFT


@pytest.mark.parametrize("persona", ["member", "researcher", "outsider"])
def test_only_managers_preview(request, as_user, survey, persona):
    client = as_user(request.getfixturevalue(persona))
    for page in (
        client.get(f"/enkater/{survey.slug}/forhandsvisning/"),
        client.post(f"/enkater/{survey.slug}/forhandsvisning/villkor/", {"nya": "ja"}),
    ):
        assert page.status_code in (403, 404)
        if page.status_code == 403:
            assert re.search("Bara (samordnare|organisationen bakom enkäten)", _text(page))
    assert as_user(None).get(f"/enkater/{survey.slug}/forhandsvisning/").status_code == 302


def test_the_survey_page_labels_the_deadline_for_answers(as_user, coordinator, survey):
    text = _text(as_user(coordinator).get(f"/enkater/{survey.slug}/"))
    assert "sista svarsdag" in text.lower() and "ansökningsdag" not in text
    assert f'href="/enkater/{survey.slug}/forhandsvisning/"' in text


# --- the invitation, its preview and the organisation picker --------------------------------


def test_the_invitation_mail_greets_names_the_sender_and_uses_the_genitive(
    coordinator, organisation, org_admin, after_commit
):
    owner = OrganisationFactory(name="Samforma")
    survey = make_survey(coordinator, owner)
    with after_commit():
        services.invitations_send(actor=coordinator, survey=survey, organisations=[organisation])
    body = mail.outbox[-1].body
    assert body.startswith("Hej!")
    assert (
        "Kim Koordinator skickar enkäten ”Medlemsenkät 2026” till dig för Samformas räkning."
        in (body)
    )
    assert "Svara gärna för Fritidsbanken Umeås räkning." in body
    assert "Sista svarsdag:" in body and "Svara senast" not in body
    assert re.search(r"/enkater/svar/[\w-]{20,}/", body)
    assert "koordinator@exempel.se" in body and "Vänliga hälsningar" in body


def test_a_name_ending_in_s_takes_no_extra_s(coordinator, after_commit):
    owner = OrganisationFactory(name="Hela Sveriges Ideella Kraftens Hus")
    survey = make_survey(coordinator, owner)
    with after_commit():
        invite(coordinator, survey)
    assert "för Hela Sveriges Ideella Kraftens Hus räkning" in mail.outbox[-1].body


def test_the_mail_preview_sends_nothing(as_user, coordinator, survey, organisation):
    client = as_user(coordinator)
    url = f"/enkater/{survey.slug}/utskick/"
    page = client.post(
        url,
        {
            "emails": "a@exempel.se\nb@exempel.se",
            "organisations": [organisation.pk],
            "preview": "1",
        },
    )
    text = _text(page)
    assert page.status_code == 200
    assert "Brevet som mottagarna får det" in text
    assert "Till 2 adresser och 1 organisationer" in text
    assert "Svara gärna för Fritidsbanken Umeås räkning." in text
    assert "Enkät: Medlemsenkät 2026" in text
    assert Invitation.objects.count() == 0 and len(mail.outbox) == 0
    # the same data, sent
    sent = client.post(url, {"emails": "a@exempel.se\nb@exempel.se"})
    assert sent.status_code == 302 and Invitation.objects.count() == 2


def test_the_picker_filters_by_name_county_sector_and_arena(as_user, coordinator, survey):
    arena = make_arena()
    OrganisationFactory(name="Luleå Hembygdsförening", municipality_id="2580")
    client = as_user(coordinator)
    url = f"/enkater/{survey.slug}/utskick/"

    by_name = _picker(client.get(url, {"q": "hembygd"}))
    assert "Luleå Hembygdsförening" in by_name and "Umeåarenan förening" not in by_name
    by_municipality = _picker(client.get(url, {"q": "Luleå"}))
    assert "Luleå Hembygdsförening" in by_municipality
    by_county = _picker(client.get(url, {"county": "25"}))
    assert "Luleå Hembygdsförening" in by_county and "Fritidsbanken Umeå" not in by_county
    by_sector = _picker(client.get(url, {"sector": "privat"}))
    assert "Umeåarenan bostäder" in by_sector and "Fritidsbanken Umeå" not in by_sector
    members = _picker(client.get(url, {"arena": arena.pk}))
    for name in ("Umeåarenan kommun", "Umeåarenan förening", "Umeåarenan bostäder"):
        assert name in members
    assert "Luleå Hembygdsförening" not in members and "Fritidsbanken Umeå<" not in members
    assert "3 organisationer till matchar" in members
    # sector and county together
    both = _picker(client.get(url, {"sector": "privat", "county": "25"}))
    assert "Umeåarenan bostäder" not in both


def test_the_picker_keeps_and_counts_the_chosen(as_user, coordinator, survey, organisation):
    arena = make_arena()
    client = as_user(coordinator)
    url = f"/enkater/{survey.slug}/utskick/"
    page = _text(client.get(url, {"q": "Luleå", "org": [organisation.pk]}))
    assert "1 organisation vald" in page
    assert f'name="org" value="{organisation.pk}" checked' in page  # still shown, to untick
    assert f'type="hidden" name="organisations" value="{organisation.pk}"' in page
    everyone = _text(client.get(url, {"arena": arena.pk, "add_all": "1", "org": [organisation.pk]}))
    assert "4 organisationer valda" in everyone
    assert everyone.count('type="hidden" name="organisations"') == 4


def test_a_forged_organisation_id_is_dropped_or_refused(as_user, coordinator, survey):
    client = as_user(coordinator)
    url = f"/enkater/{survey.slug}/utskick/"
    page = client.get(url, {"org": ["999999", "abc", "-1", "9" * 40], "arena": "nope"})
    assert page.status_code == 200 and "0 organisationer valda" in _text(page)
    forged = client.post(url, {"emails": "", "organisations": ["999999"]})
    assert forged.status_code == 400
    assert "Välj ett giltigt alternativ" in _text(forged)
    not_a_number = client.post(url, {"emails": "", "organisations": ["abc"], "preview": "1"})
    assert not_a_number.status_code == 400
    assert Invitation.objects.count() == 0


def test_only_managers_send(as_user, member, survey):
    page = as_user(member).get(f"/enkater/{survey.slug}/utskick/", {"q": "a"})
    assert page.status_code == 403 and "Bara samordnare" in _text(page)


def test_a_large_selection_shows_the_first_matches(as_user, coordinator, survey):
    for n in range(55):
        OrganisationFactory(name=f"Bygdeförening {n:02d}")
    page = _text(as_user(coordinator).get(f"/enkater/{survey.slug}/utskick/", {"q": "Bygde"}))
    assert "55 organisationer till matchar" in page and "De första 50 visas" in page
    assert page.count('name="org" value=') == 50


# --- the report builder and the results page -----------------------------------------------


def test_the_report_builder_lists_questions_by_label(coordinator, survey):
    form = BlockForm(survey=survey)
    labels = [label for _value, label in form.fields["question"].choices]
    assert "Har ni utvecklat nya lösningar?" in labels and "Hinder?" in labels
    assert "nya" not in labels and not any(label.startswith("nya:") for label in labels)


def test_htmx_adds_a_block_in_place(as_user, coordinator, survey):
    report = services.report_create(actor=coordinator, survey=survey, title="Rapport 2026")
    client = as_user(coordinator)
    url = f"/enkater/rapport/{report.slug}/redigera/"
    question = survey.questions.get(name="nya")
    added = client.post(
        url,
        {"add_block": "1", "kind": "chart", "heading": "Nya lösningar", "question": question.pk},
        HTTP_HX_REQUEST="true",
    )
    text = _text(added)
    assert added.status_code == 200
    assert 'id="report-builder"' in text and "Blocket är tillagt som nummer 1." in text
    assert "Nya lösningar" in text and report.blocks.count() == 1
    refused = client.post(url, {"add_block": "1", "kind": "chart"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and "error-summary" in _text(refused)
    assert report.blocks.count() == 1
    # without JavaScript: the same form, a redirect and a fresh page
    plain = client.post(url, {"add_block": "1", "kind": "text", "text": "Inledning"})
    assert plain.status_code == 302 and report.blocks.count() == 2
    assert 'hx-post="' in _text(client.get(url))


def test_a_member_cannot_edit_a_report(as_user, coordinator, member, survey):
    report = services.report_create(actor=coordinator, survey=survey, title="Rapport 2026")
    page = as_user(member).post(
        f"/enkater/rapport/{report.slug}/redigera/",
        {"add_block": "1", "kind": "text", "text": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 403 and report.blocks.count() == 0


def test_free_text_answers_show_next_to_their_codes(as_user, coordinator, survey):
    for n, text in enumerate(("Brist på tid", "Svårt att få pengar", "")):
        invitation = invite(coordinator, survey, email=f"s{n}@exempel.se")
        raw = {"nya": "nej", "hinder": text}
        services.response_save(token=invitation.token, raw=raw, submit=True)
    code = services.code_create(actor=coordinator, survey=survey, label="Ekonomi")
    response = Response.objects.get(answers__hinder="Svårt att få pengar")
    question = survey.questions.get(name="hinder")
    services.coding_set(
        actor=coordinator, response=response, question=question, codes=[code], factor="hindering"
    )
    text = _text(as_user(coordinator).get(f"/enkater/{survey.slug}/resultat/"))
    assert "2 fritextsvar, med koderna de har fått." in text
    answer = re.search(r"Svårt att få pengar</p>(.*?)</li>", text).group(1)
    assert "Ekonomi" in answer
    assert "Inte kodat ännu." in re.search(r"Brist på tid</p>(.*?)</li>", text).group(1)
    assert 'class="table-scroll" role="region" tabindex="0"' in text


def test_organisations_of_another_sector_can_still_be_sent(as_user, coordinator, survey):
    """The picker filters only what is shown: a chosen organisation outside the filter is kept."""
    company = OrganisationFactory(name="Västerbo Fastigheter AB", sector=sector("privat"))
    admin = UserFactory(email="vd@vasterbo.se")
    MembershipFactory(user=admin, organisation=company, role=MembershipRole.ADMIN)
    client = as_user(coordinator)
    url = f"/enkater/{survey.slug}/utskick/?sector=ideburen"
    page = _text(client.get(url + f"&org={company.pk}"))
    assert "Västerbo Fastigheter AB" in page and "1 organisation vald" in page
    sent = client.post(url, {"emails": "", "organisations": [company.pk]})
    assert sent.status_code == 302
    assert Invitation.objects.get().email == "vd@vasterbo.se"
