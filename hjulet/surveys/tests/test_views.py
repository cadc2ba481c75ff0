"""Pages: who may open what, the answering page with its Swedish refusals, the builder,
XLSForm import with preview and errors, results and the public report."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hjulet.surveys import services
from hjulet.surveys.demo import xlsform_bytes
from hjulet.surveys.models import BlockKind, Response, Survey

from .factories import invite, make_survey

DATA = Path(__file__).parent / "data"


@pytest.fixture
def survey(coordinator, organisation):
    return make_survey(coordinator, organisation)


@pytest.mark.parametrize(
    ("persona", "detail", "results", "build"),
    [
        ("coordinator", 200, 200, 200),
        ("org_admin", 200, 200, 200),
        ("member", 200, 200, 403),
        ("researcher", 200, 403, 403),
        ("outsider", 403, 403, 403),
        ("resident", 403, 403, 403),
    ],
)
def test_page_permissions(request, as_user, survey, persona, detail, results, build):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(f"/enkater/{survey.slug}/").status_code == detail
    assert client.get(f"/enkater/{survey.slug}/resultat/").status_code == results
    assert client.get(f"/enkater/{survey.slug}/utskick/").status_code == build
    assert client.get(f"/enkater/{survey.slug}/kodning/").status_code == build


def test_anonymous_visitors_are_sent_to_log_in(as_user, survey):
    client = as_user(None)
    assert client.get(f"/enkater/{survey.slug}/").status_code == 302
    assert client.get("/enkater/").status_code == 200


def test_answer_page_save_continue_and_submit(as_user, coordinator, survey):
    invitation = invite(coordinator, survey)
    client = as_user(None)
    url = f"/enkater/svar/{invitation.token}/"
    page = client.get(url)
    assert page.status_code == 200 and "Har ni utvecklat nya lösningar?" in page.text
    assert 'id="q-med_vem" hidden' in page.text.replace("\n", " ") or "hidden" in page.text
    response = client.post(url, {"nya": "ja", "save": "1"})
    assert response.status_code == 302
    assert "checked" in client.get(url).text
    response = client.post(url, {"nya": "ja", "submit": "1"})
    assert response.status_code == 400  # med_vem is now shown and required
    assert "This question must be answered." in response.text or "måste besvaras" in response.text
    response = client.post(url, {"nya": "ja", "med_vem": ["kommun"], "submit": "1"})
    assert response.status_code == 200 and Response.objects.get().submitted_at is not None
    refused = client.get(url)
    assert refused.status_code == 410
    assert "redan använts" in refused.text  # Swedish by default


def test_expired_link_page_says_so_in_swedish(as_user, coordinator, survey):
    invitation = invite(coordinator, survey)
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.now() - timedelta(hours=1))
    refused = as_user(None).get(f"/enkater/svar/{invitation.token}/")
    assert refused.status_code == 410 and "har stängt" in refused.text
    assert as_user(None).get("/enkater/svar/fel/").status_code == 410


def test_conditions_endpoint(as_user, coordinator, survey):
    invitation = invite(coordinator, survey)
    url = f"/enkater/svar/{invitation.token}/villkor/"
    data = as_user(None).post(url, {"nya": "ja"}).json()
    assert "med_vem" in data["shown"]
    data = as_user(None).post(url, {"nya": "nej"}).json()
    assert "med_vem" in data["hidden"]


def test_anonymous_link_page(as_user, coordinator, survey):
    survey = services.survey_set_anonymous_link(actor=coordinator, survey=survey, enabled=True)
    client = as_user(None)
    url = f"/enkater/{survey.slug}/oppen/{survey.anonymous_key}/"
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 302 and "/enkater/svar/" in response["Location"]
    assert client.post(f"/enkater/{survey.slug}/oppen/fel/").status_code == 410


def test_builder_pages(as_user, coordinator, organisation):
    client = as_user(coordinator)
    response = client.post(
        "/enkater/ny/",
        {"title": "Ny enkät", "languages": "sv,en", "organisation": organisation.pk},
    )
    survey = Survey.objects.get(title="Ny enkät")
    assert response.status_code == 302
    response = client.post(
        f"/enkater/{survey.slug}/fragor/ny/",
        {"type": "select_one", "name": "fraga", "label_sv": "Fråga?", "choices": "Ja\nNej"},
    )
    assert response.status_code == 302
    question = survey.questions.get()
    assert list(question.choices.values_list("name", flat=True)) == ["ja", "nej"]
    response = client.post(
        f"/enkater/{survey.slug}/fragor/ny/",
        {"type": "text", "name": "villkor", "label_sv": "X", "relevant": "${saknas} = 'x'"},
    )
    assert response.status_code == 400
    response = client.post(
        f"/enkater/{survey.slug}/fragor/{question.pk}/",
        {
            "type": "select_one",
            "name": "fraga",
            "label_sv": "Ändrad?",
            "choices": "ja | Ja\nnej | Nej",
        },
    )
    assert response.status_code == 302
    assert survey.questions.get().label_sv == "Ändrad?"
    assert client.post(f"/enkater/{survey.slug}/atgard/open/").status_code == 302
    assert Survey.objects.get(pk=survey.pk).status == "open"
    assert client.post(f"/enkater/{survey.slug}/atgard/nonsense/").status_code == 404


def test_distribution_page_sends(as_user, coordinator, survey, after_commit):
    client = as_user(coordinator)
    with after_commit():
        response = client.post(
            f"/enkater/{survey.slug}/utskick/", {"emails": "a@exempel.se, b@exempel.se"}
        )
    assert response.status_code == 302 and survey.invitations.count() == 2
    assert (
        client.post(f"/enkater/{survey.slug}/utskick/", {"emails": "inte-en-adress"}).status_code
        == 400
    )
    assert client.post(f"/enkater/{survey.slug}/utskick/", {"remind": "1"}).status_code == 302


def test_import_preview_then_import(as_user, coordinator, organisation):
    client = as_user(coordinator)
    upload = SimpleUploadedFile("norr.xlsx", xlsform_bytes())
    response = client.post(
        "/enkater/import/", {"organisation": organisation.pk, "file": upload, "title": ""}
    )
    assert response.status_code == 200 and "nya_losningar" in response.text
    assert not Survey.objects.exists()
    key = re.search(r'name="upload" value="([^"]+)"', response.text).group(1)
    response = client.post("/enkater/import/importera/", {"upload": key})
    assert response.status_code == 302
    assert Survey.objects.get().questions.count() == 12


def test_import_of_a_broken_form_shows_row_and_reason(as_user, coordinator, organisation):
    client = as_user(coordinator)
    upload = SimpleUploadedFile("bad.xlsx", (DATA / "bad-duplicate_columns.xlsx").read_bytes())
    response = client.post("/enkater/import/", {"organisation": organisation.pk, "file": upload})
    assert response.status_code == 400
    assert "survey" in response.text and "label" in response.text
    assert not Survey.objects.exists()
    assert client.post("/enkater/import/importera/").status_code == 302  # nothing to import
    assert not Survey.objects.exists()


def test_results_page_with_segment_and_crosstab(as_user, coordinator, survey):
    invitation = invite(coordinator, survey)
    services.response_save(token=invitation.token, raw={"nya": "nej"}, submit=True)
    page = as_user(coordinator).get(
        f"/enkater/{survey.slug}/resultat/", {"county": "24", "row": "nya", "col": "nya"}
    )
    assert page.status_code == 200
    assert "<svg" in page.text and "<desc" in page.text and "Wilson" in page.text
    assert 'id="crosstab"' not in page.text  # a question against itself is not tabulated


def test_report_is_public_only_when_published(as_user, coordinator, survey):
    report = services.report_create(actor=coordinator, survey=survey, title="Årsrapport")
    services.report_block_add(
        actor=coordinator, report=report, kind=BlockKind.CHART, heading="Nya lösningar",
        question=survey.questions.get(name="nya"),
    )  # fmt: skip
    url = f"/enkater/rapport/{report.slug}/"
    assert as_user(None).get(url).status_code == 403
    response = as_user(coordinator).post(
        f"/enkater/rapport/{report.slug}/redigera/", {"publish": "1"}
    )
    assert response.status_code == 302
    page = as_user(None).get(url)
    assert page.status_code == 200
    assert 'role="img"' in page.text and "<table" in page.text and "Wilson" in page.text


def test_malformed_posts_are_4xx_not_500(as_user, coordinator, survey):
    client = as_user(coordinator)
    response = client.post(f"/enkater/{survey.slug}/kodning/", {"response": "abc", "codes": "x"})
    assert response.status_code == 404
    report = services.report_create(actor=coordinator, survey=survey, title="R")
    response = client.post(f"/enkater/rapport/{report.slug}/redigera/", {"block": "x", "up": "1"})
    assert response.status_code == 404
    response = client.post(f"/enkater/rapport/{report.slug}/redigera/", {"add_block": "1"})
    assert response.status_code == 400
    assert client.get("/enkater/finns-inte/").status_code == 404
    assert client.post(f"/enkater/{survey.slug}/fragor/999999/up/").status_code == 404


def test_choice_filter_while_answering(as_user, coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator,
        organisation=organisation,
        data=(DATA / "choice_filter_test.xlsx").read_bytes(),
    )
    survey = services.survey_update(
        actor=coordinator, survey=survey, deadline=timezone.now() + timedelta(days=1)
    )
    survey = services.survey_open(actor=coordinator, survey=survey)
    invitation = invite(coordinator, survey)
    client = as_user(None)
    page = client.get(f"/enkater/svar/{invitation.token}/").text
    assert re.search(r'data-choice="pierce" data-choice-id="\d+" hidden', page)  # no state yet
    data = client.post(f"/enkater/svar/{invitation.token}/villkor/", {"state": "texas"}).json()
    assert data["choices"]["county"] == ["king", "cameron"]
    response = client.post(
        f"/enkater/svar/{invitation.token}/",
        {"state": "texas", "county": "pierce", "submit": "1"},
    )
    assert response.status_code == 400  # Pierce is in Washington
    response = client.post(
        f"/enkater/svar/{invitation.token}/",
        {"state": "texas", "county": "cameron", "city": "brownsville", "submit": "1"},
    )
    assert response.status_code == 200
    assert Response.objects.get().answers == {
        "state": "texas", "county": "cameron", "city": "brownsville",
    }  # fmt: skip
