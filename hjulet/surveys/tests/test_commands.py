"""The reminder command, the English questionnaire and stale edits."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from hjulet.surveys import services

from .factories import invite, make_survey


def test_reminder_command_reminds_open_surveys_only(coordinator, organisation, after_commit):
    survey = make_survey(coordinator, organisation)
    closed = make_survey(coordinator, organisation, title="Stängd")
    invite(coordinator, survey)
    invite(coordinator, closed)
    services.survey_close(actor=coordinator, survey=closed)
    mail.outbox.clear()
    with after_commit():
        call_command("send_survey_reminders")
    assert len(mail.outbox) == 1
    assert survey.invitations.get().reminder_count == 1
    assert closed.invitations.get().reminder_count == 0


def test_answering_page_in_english(as_user, coordinator, organisation):
    survey = make_survey(coordinator, organisation)
    invitation = invite(coordinator, survey)
    client = as_user(None)
    client.post("/sprak/", {"language": "en", "next": "/"})
    page = client.get(f"/enkater/svar/{invitation.token}/")
    assert "Submit the answers" in page.text
    assert "Har ni utvecklat nya lösningar?" in page.text  # no English label: Swedish shown


def test_english_labels_are_used_when_given(as_user, coordinator, organisation):
    survey = make_survey(coordinator, organisation, open_=False)
    services.question_update(
        actor=coordinator,
        question=survey.questions.get(name="nya"),
        label_en="Have you developed new solutions?",
    )
    survey = services.survey_open(actor=coordinator, survey=survey)
    invitation = invite(coordinator, survey)
    client = as_user(None)
    client.post("/sprak/", {"language": "en", "next": "/"})
    assert (
        "Have you developed new solutions?" in client.get(f"/enkater/svar/{invitation.token}/").text
    )


def test_stale_survey_edit_is_refused(coordinator, org_admin, organisation):
    survey = make_survey(coordinator, organisation, open_=False)
    services.survey_update(actor=org_admin, survey=survey, expected_version=1, title="Ny titel")
    with pytest.raises(ValidationError):
        services.survey_update(actor=coordinator, survey=survey, expected_version=1, title="X")
