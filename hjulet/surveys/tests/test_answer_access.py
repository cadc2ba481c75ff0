"""Raw answers (responses, results computed from them, exports, the coding page, unpublished
reports) are for the owning organisation's people, coordinators and the people it gives
access to; the researcher role alone gives none, and other organisations' drafts are not
found. The published report stays public."""

import pytest
from django.urls import reverse

from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.core.models import AuditEntry
from hjulet.surveys import services
from hjulet.surveys.models import BlockKind, SurveyAccess

from .factories import invite, make_survey

SECRET = "Vi har svårt att betala hyran för lokalen"


@pytest.fixture
def survey(org_admin, organisation):
    survey = make_survey(org_admin, organisation)
    for number, answer in enumerate(["ja", "nej"]):
        invitation = invite(org_admin, survey, email=f"svarare{number}@exempel.se")
        raw = {"nya": answer, "med_vem": ["kommun"], "hinder": SECRET}
        services.response_save(token=invitation.token, raw=raw, submit=True)
    return survey


@pytest.fixture
def report(org_admin, survey):
    report = services.report_create(actor=org_admin, survey=survey, title="Hyror 2026")
    services.report_block_add(
        actor=org_admin, report=report, kind=BlockKind.CHART, question=survey.questions.first()
    )
    return report


@pytest.fixture
def draft(coordinator):
    other = OrganisationFactory(name="Annan förening")
    return make_survey(coordinator, other, title="Hemligt utkast", open_=False)


def raw_answer_urls(survey, report) -> list[str]:
    slug = survey.slug
    return [
        reverse("surveys:results", args=[slug]),
        reverse("surveys:results", args=[slug]) + "?county=24&sector=ideburen",
        reverse("surveys:coding", args=[slug]),
        reverse("surveys:export", args=[slug, "csv"]),
        reverse("surveys:export", args=[slug, "xlsx"]),
        reverse("surveys:report", args=[report.slug]),  # not published yet
        f"/api/v1/surveys/{slug}/responses",
        f"/api/v1/surveys/{slug}/results",
        f"/api/v1/surveys/{slug}/results?county=24",
        f"/api/v1/surveys/{slug}/crosstab?row=nya&col=nya",
    ]


def exported(client, url) -> str:
    """The text of a streamed export."""
    return b"".join(client.get(url).streaming_content).decode()


def reads(client, url) -> bool:
    response = client.get(url)
    assert response.status_code in (200, 403, 404), (url, response.status_code)
    if response.status_code == 200:
        return True
    assert SECRET not in response.content.decode(errors="replace")
    return False


def test_a_researcher_without_access_reads_no_raw_answers(as_user, researcher, survey, report):
    client = as_user(researcher)
    assert [url for url in raw_answer_urls(survey, report) if reads(client, url)] == []
    # The questionnaire of a survey that is no longer a draft stays visible to researchers.
    page = client.get(reverse("surveys:detail", args=[survey.slug]))
    assert page.status_code == 200
    assert reverse("surveys:results", args=[survey.slug]) not in page.text
    assert "Hyror 2026" not in page.text  # the unpublished report


def test_the_owning_organisation_and_coordinators_read_them(
    as_user, member, org_admin, coordinator, survey, report
):
    for person in (member, org_admin, coordinator):
        client = as_user(person)
        urls = raw_answer_urls(survey, report)
        if person == member:  # coding is a managers' page
            urls.remove(reverse("surveys:coding", args=[survey.slug]))
        assert [url for url in urls if not reads(client, url)] == [], person
    assert SECRET in exported(as_user(member), reverse("surveys:export", args=[survey.slug, "csv"]))


def test_another_organisations_draft_is_not_found(as_user, researcher, member, draft):
    for person in (researcher, member):
        client = as_user(person)
        assert client.get(reverse("surveys:detail", args=[draft.slug])).status_code == 404
        assert client.get(reverse("surveys:update", args=[draft.slug])).status_code == 404
        assert client.get(f"/api/v1/surveys/{draft.slug}").status_code == 404
        assert client.get(f"/api/v1/surveys/{draft.slug}/responses").status_code == 404
        assert client.post(f"/api/v1/surveys/{draft.slug}/open").status_code == 404
        assert "Hemligt utkast" not in client.get(reverse("surveys:list")).text
        listed = {s["slug"] for s in client.get("/api/v1/surveys").json()["items"]}
        assert draft.slug not in listed


def test_a_grant_opens_the_answers_and_revoking_it_closes_them(
    as_user, org_admin, researcher, survey, report
):
    owner = as_user(org_admin)
    response = owner.post(
        reverse("surveys:access-grant", args=[survey.slug]),
        {"email": "Forskare@Exempel.se", "note": "Forskningspartner, Umeå universitet"},
    )
    assert response.status_code == 302
    access = SurveyAccess.objects.get(survey=survey)
    assert access.email == "forskare@exempel.se" and access.granted_by == org_admin
    assert AuditEntry.objects.filter(action="survey.access_grant").exists()
    assert "forskare@exempel.se" in owner.get(reverse("surveys:detail", args=[survey.slug])).text

    client = as_user(researcher)
    urls = [u for u in raw_answer_urls(survey, report) if "/kodning/" not in u]
    assert [url for url in urls if not reads(client, url)] == []
    assert SECRET in exported(client, reverse("surveys:export", args=[survey.slug, "csv"]))
    answers = client.get(f"/api/v1/surveys/{survey.slug}/responses").json()["items"]
    assert {a["answers"]["hinder"] for a in answers} == {SECRET}
    assert survey.slug in {s["slug"] for s in client.get("/api/v1/surveys").json()["items"]}
    # A reader, not a manager: no coding, no granting.
    assert client.get(reverse("surveys:coding", args=[survey.slug])).status_code == 403
    refused = client.post(
        reverse("surveys:access-grant", args=[survey.slug]), {"email": "kompis@exempel.se"}
    )
    assert refused.status_code == 403

    response = owner.post(reverse("surveys:access-revoke", args=[survey.slug, access.pk]))
    assert response.status_code == 302
    assert not SurveyAccess.objects.exists()
    assert AuditEntry.objects.filter(action="survey.access_revoke").exists()
    assert [url for url in raw_answer_urls(survey, report) if reads(client, url)] == []


def test_a_grant_needs_the_address_verified(as_user, org_admin, researcher, survey, report):
    services.survey_access_grant(actor=org_admin, survey=survey, email=researcher.email)
    researcher.email_verified_at = None
    researcher.save(update_fields=["email_verified_at"])
    client = as_user(researcher)
    assert [url for url in raw_answer_urls(survey, report) if reads(client, url)] == []


def test_a_grant_is_for_that_survey_only(as_user, org_admin, organisation, researcher, survey):
    other = make_survey(org_admin, organisation, title="Annan enkät")
    services.survey_access_grant(actor=org_admin, survey=other, email=researcher.email)
    client = as_user(researcher)
    assert client.get(reverse("surveys:results", args=[survey.slug])).status_code == 403
    assert client.get(reverse("surveys:results", args=[other.slug])).status_code == 200


def test_grant_refusals_are_clear(org_admin, survey):
    from django.core.exceptions import ValidationError

    services.survey_access_grant(actor=org_admin, survey=survey, email="partner@exempel.se")
    with pytest.raises(ValidationError, match="redan åtkomst"):
        services.survey_access_grant(actor=org_admin, survey=survey, email="PARTNER@exempel.se")
    with pytest.raises(ValidationError):
        services.survey_access_grant(actor=org_admin, survey=survey, email="inte en adress")
    assert SurveyAccess.objects.count() == 1


def test_the_page_shows_a_bad_address_as_a_message(as_user, org_admin, survey):
    url = reverse("surveys:access-grant", args=[survey.slug])
    response = as_user(org_admin).post(url, {"email": "inte en adress"}, follow=True)
    assert response.status_code == 200
    assert not SurveyAccess.objects.exists()
    assert 'role="alert"' in response.text or "giltig" in response.text


def test_grants_through_the_api(as_user, org_admin, researcher, survey):
    owner, client = as_user(org_admin), as_user(researcher)
    url = f"/api/v1/surveys/{survey.slug}/access"
    refused = client.post(url, {"email": researcher.email}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"]
    assert client.get(url).status_code == 403
    created = owner.post(
        url, {"email": researcher.email, "note": "Partner"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert [a["email"] for a in owner.get(url).json()] == [researcher.email]
    bad = owner.post(url, {"email": "nej"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"]["email"]
    assert client.get(f"/api/v1/surveys/{survey.slug}/responses").status_code == 200
    deleted = owner.delete(f"{url}/{created.json()['id']}")
    assert deleted.status_code == 204
    assert client.get(f"/api/v1/surveys/{survey.slug}/responses").status_code == 403


def test_the_published_report_stays_public(as_user, org_admin, researcher, report):
    services.report_set_published(actor=org_admin, report=report, published=True)
    url = reverse("surveys:report", args=[report.slug])
    for person in (None, researcher):
        assert as_user(person).get(url).status_code == 200
    assert "Hyror 2026" in as_user(None).get(reverse("surveys:list")).text
