"""The surveys API: questionnaires, responses with the rights of the asking organisation,
results and cross-tabulation; errors as JSON."""

import pytest

from hjulet.accounts.models import MembershipRole
from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from hjulet.surveys import services

from .factories import make_survey


@pytest.fixture
def survey(coordinator, organisation):
    survey = make_survey(coordinator, organisation)
    for number, answer in enumerate(["ja", "nej", "nej"]):
        other = OrganisationFactory(name=f"Svarare {number}", email=f"s{number}@exempel.se")
        invitation = services.invitations_send(
            actor=coordinator, survey=survey, organisations=[other]
        )[0]
        raw = {"nya": answer, "med_vem": ["kommun"]} if answer == "ja" else {"nya": answer}
        services.response_save(token=invitation.token, raw=raw, submit=True)
    return survey


def test_questionnaire(as_user, coordinator, survey):
    data = as_user(coordinator).get(f"/api/v1/surveys/{survey.slug}").json()
    assert [q["name"] for q in data["questions"]] == ["nya", "med_vem", "anstallda", "hinder"]
    assert data["questions"][1]["relevant"] == "${nya} = 'ja'"
    assert [c["name"] for c in data["questions"][0]["choices"]] == ["ja", "nej"]


def test_results(as_user, member, survey):
    data = as_user(member).get(f"/api/v1/surveys/{survey.slug}/results").json()
    assert data["n"] == 3
    nya = data["questions"][0]
    assert nya["n_answered"] == 3 and nya["denominator"] == 3
    assert nya["options"][0]["count"] == 1
    assert nya["options"][0]["low"] == pytest.approx(0.0615, abs=1e-4)  # Wilson, 1 of 3
    assert data["questions"][1]["denominator"] == 1
    assert data["questions"][2]["numbers"]["mean"] is None
    segment = as_user(member).get(f"/api/v1/surveys/{survey.slug}/results?county=01").json()
    assert segment["n"] == 0


def test_crosstab(as_user, coordinator, survey):
    client = as_user(coordinator)
    data = client.get(f"/api/v1/surveys/{survey.slug}/crosstab?row=nya&col=nya").json()
    assert data["counts"] == [[1, 0], [0, 2]] and data["test"] == "fisher"
    response = client.get(f"/api/v1/surveys/{survey.slug}/crosstab?row=nya&col=hinder")
    assert response.status_code == 400 and "errors" in response.json()


def test_responses_with_the_rights_of_the_asking_organisation(as_user, coordinator, survey):
    assert (
        len(as_user(coordinator).get(f"/api/v1/surveys/{survey.slug}/responses").json()["items"])
        == 3
    )
    respondent = UserFactory(email="svarare0@exempel.se")
    org = survey.responses.get(answers__nya="ja").organisation
    MembershipFactory(user=respondent, organisation=org, role=MembershipRole.MEMBER)
    own = as_user(respondent).get(f"/api/v1/surveys/{survey.slug}/responses").json()["items"]
    assert len(own) == 1 and own[0]["answers"]["nya"] == "ja"


@pytest.mark.parametrize("persona", ["outsider", "resident"])
def test_outsiders_are_refused(as_user, request, survey, persona):
    client = as_user(request.getfixturevalue(persona))
    for path in ("", "/results", "/responses"):
        response = client.get(f"/api/v1/surveys/{survey.slug}{path}")
        assert response.status_code == 403 and response.json()["detail"]


def test_anonymous_gets_401(as_user, survey):
    assert as_user(None).get(f"/api/v1/surveys/{survey.slug}").status_code == 401
    assert as_user(None).get("/api/v1/surveys").status_code == 401


def test_create_survey_add_question_and_open(as_user, org_admin, organisation, member):
    client = as_user(org_admin)
    response = client.post(
        "/api/v1/surveys",
        {"organisation": organisation.pk, "title": "Via API"},
        content_type="application/json",
    )
    assert response.status_code == 201
    slug = response.json()["slug"]
    response = client.post(
        f"/api/v1/surveys/{slug}/questions",
        {
            "name": "q1", "type": "select_one", "label_sv": "Fråga",
            "choices": [{"name": "a", "label_sv": "A", "label_en": "A"},
                        {"name": "b", "label_sv": "B", "label_en": ""}],
        },
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201 and len(response.json()["questions"][0]["choices"]) == 2
    response = client.post(
        f"/api/v1/surveys/{slug}/questions",
        {"name": "q2", "type": "nonsense", "label_sv": "X"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "type" in response.json()["errors"]
    assert client.post(f"/api/v1/surveys/{slug}/open").json()["status"] == "open"
    assert client.post(f"/api/v1/surveys/{slug}/open").status_code == 400
    assert as_user(member).post(f"/api/v1/surveys/{slug}/close").status_code == 403
    response = client.post(
        "/api/v1/surveys", {"organisation": 999999, "title": "X"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert client.get("/api/v1/surveys/finns-inte").status_code == 404
