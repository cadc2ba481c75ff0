"""Services: permissions per persona, the life of a link (save, continue, submit, used,
expired, replaced by a reminder), conditions and constraints, builder and reports."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.core.models import AuditEntry
from hjulet.surveys import services
from hjulet.surveys.models import BlockKind, Invitation, QuestionType, Response, Survey

from .factories import invite, make_survey


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English source form here (Swedish in test_views)."""
    with translation.override("en"):
        yield


@pytest.fixture
def survey(coordinator, organisation):
    return make_survey(coordinator, organisation)


def token_from_mail(message) -> str:
    line = next(line for line in message.body.splitlines() if "/enkater/svar/" in line)
    return line.strip().rstrip("/").split("/")[-1]


# --- permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coordinator", "admin_user", "org_admin"])
def test_managers_create_surveys(request, organisation, persona):
    survey = services.survey_create(
        actor=request.getfixturevalue(persona), organisation=organisation, title="Enkät"
    )
    assert AuditEntry.objects.filter(action="survey.create", target_id=str(survey.pk)).exists()


@pytest.mark.parametrize("persona", ["member", "outsider", "resident", "moderator", "researcher"])
def test_others_cannot_create_surveys(request, organisation, persona):
    with pytest.raises(PermissionDenied):
        services.survey_create(
            actor=request.getfixturevalue(persona), organisation=organisation, title="Enkät"
        )
    assert not Survey.objects.exists()


def test_anonymous_cannot_create(organisation):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.survey_create(actor=AnonymousUser(), organisation=organisation, title="x")


def test_org_admin_cannot_manage_another_organisations_survey(org_admin, coordinator):
    other = OrganisationFactory(name="Annan förening")
    survey = make_survey(coordinator, other)
    with pytest.raises(PermissionDenied):
        services.survey_close(actor=org_admin, survey=survey)
    with pytest.raises(PermissionDenied):
        invite(org_admin, survey)


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("coordinator", True),
        ("org_admin", True),
        ("member", True),
        ("researcher", False),
        ("outsider", False),
        ("resident", False),
        ("moderator", False),
    ],
)
def test_who_reads_the_answers(request, survey, persona, sees):
    assert services.can_read_answers(request.getfixturevalue(persona), survey) is sees


# --- builder ----------------------------------------------------------------------------


def test_questions_are_added_edited_reordered_and_removed(coordinator, organisation):
    survey = make_survey(coordinator, organisation, open_=False)
    names = lambda: list(survey.questions.order_by("position").values_list("name", flat=True))  # noqa: E731
    assert names() == ["nya", "med_vem", "anstallda", "hinder"]
    question = survey.questions.get(name="anstallda")
    services.question_move(actor=coordinator, question=question, offset=-1)
    assert names() == ["nya", "anstallda", "med_vem", "hinder"]
    with pytest.raises(ValidationError):
        services.question_move(
            actor=coordinator, question=survey.questions.get(name="nya"), offset=-1
        )
    services.question_update(
        actor=coordinator,
        question=survey.questions.get(name="med_vem"),
        choices="region | Region\nkommun | Kommun (ändrad)\nnaringsliv | Näringsliv",
    )
    choices = survey.questions.get(name="med_vem").choices.order_by("position")
    assert [(c.name, c.label_sv) for c in choices] == [
        ("region", "Region"), ("kommun", "Kommun (ändrad)"), ("naringsliv", "Näringsliv"),
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="refer to this one"):
        services.question_delete(actor=coordinator, question=survey.questions.get(name="nya"))
    services.question_delete(actor=coordinator, question=survey.questions.get(name="hinder"))
    assert "hinder" not in names()


def test_conditions_are_checked_when_saving_a_question(coordinator, organisation):
    survey = make_survey(coordinator, organisation, open_=False)
    with pytest.raises(ValidationError) as error:
        services.question_create(
            actor=coordinator, survey=survey, name="x", type=QuestionType.TEXT, label_sv="X",
            relevant="${finns_inte} = 'ja'",
        )  # fmt: skip
    assert "relevant" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.question_create(
            actor=coordinator, survey=survey, name="y", type=QuestionType.TEXT, label_sv="Y",
            constraint="eval('1')",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.question_create(
            actor=coordinator, survey=survey, name="nya", type=QuestionType.TEXT, label_sv="Dubbel"
        )


def test_questions_are_frozen_once_open(coordinator, survey):
    with pytest.raises(ValidationError, match="draft"):
        services.question_create(
            actor=coordinator, survey=survey, name="sen", type=QuestionType.TEXT, label_sv="Sen"
        )


def test_status_transitions(coordinator, organisation):
    survey = services.survey_create(actor=coordinator, organisation=organisation, title="Tom")
    with pytest.raises(ValidationError, match="at least one question"):
        services.survey_open(actor=coordinator, survey=survey)
    survey = make_survey(coordinator, organisation)
    with pytest.raises(ValidationError):
        services.survey_open(actor=coordinator, survey=survey)
    survey = services.survey_close(actor=coordinator, survey=survey)
    with pytest.raises(ValidationError):
        services.survey_close(actor=coordinator, survey=survey)


# --- links ------------------------------------------------------------------------------


def test_invitation_mail_save_continue_and_submit(coordinator, survey, member, after_commit):
    with after_commit():
        invitation = invite(coordinator, survey, email=member.email)
    assert invitation.organisation.name == "Fritidsbanken Umeå"  # found from the membership
    assert len(mail.outbox) == 1
    token = token_from_mail(mail.outbox[0])
    assert Invitation.objects.get().token_hash != token  # only the hash is stored
    response, errors = services.response_save(token=token, raw={"nya": "nej"}, submit=False)
    assert not errors and response.submitted_at is None
    again = services.response_for_token(token)
    assert again.pk == response.pk and again.answers == {"nya": "nej"}
    response, errors = services.response_save(
        token=token, raw={"nya": "nej", "anstallda": "4"}, submit=True
    )
    assert not errors and response.submitted_at is not None
    assert response.county_code == "24" and response.sector_code == "ideburen"
    assert Invitation.objects.get().used_at is not None


def test_used_link_is_refused(coordinator, survey):
    invitation = invite(coordinator, survey)
    services.response_save(token=invitation.token, raw={"nya": "nej"}, submit=True)
    with pytest.raises(services.LinkRefused, match="already been used"):
        services.response_save(token=invitation.token, raw={"nya": "ja"}, submit=True)
    assert Response.objects.get().answers == {"nya": "nej"}


def test_expired_and_closed_links_are_refused(coordinator, survey):
    invitation = invite(coordinator, survey)
    Survey.objects.filter(pk=survey.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.LinkRefused, match="closed"):
        services.response_for_token(invitation.token)
    Survey.objects.filter(pk=survey.pk).update(deadline=None, status="closed")
    with pytest.raises(services.LinkRefused, match="closed"):
        services.response_save(token=invitation.token, raw={}, submit=False)


def test_unknown_link_is_refused(survey):
    with pytest.raises(services.LinkRefused, match="not valid"):
        services.response_for_token("nonsense")


def test_reminder_replaces_the_link_and_keeps_saved_answers(coordinator, survey, after_commit):
    invitation = invite(coordinator, survey)
    services.response_save(token=invitation.token, raw={"nya": "ja"}, submit=False)
    with after_commit():
        assert services.invitations_remind(actor=coordinator, survey=survey) == 1
    new_token = token_from_mail(mail.outbox[-1])
    assert "Reminder" in mail.outbox[-1].subject or "Påminnelse" in mail.outbox[-1].subject
    with pytest.raises(services.LinkRefused):
        services.response_for_token(invitation.token)
    assert services.response_for_token(new_token).answers == {"nya": "ja"}
    assert Invitation.objects.get().reminder_count == 1


def test_reminders_skip_those_who_answered(coordinator, survey):
    answered = invite(coordinator, survey, email="a@exempel.se")
    invite(coordinator, survey, email="b@exempel.se")
    services.response_save(token=answered.token, raw={"nya": "nej"}, submit=True)
    assert services.invitations_remind(actor=None, survey=survey) == 1


def test_sending_needs_an_open_survey_and_skips_duplicates(coordinator, organisation):
    draft = make_survey(coordinator, organisation, open_=False)
    with pytest.raises(ValidationError):
        invite(coordinator, draft)
    survey = make_survey(coordinator, organisation, title="Öppen")
    invite(coordinator, survey)
    assert (
        services.invitations_send(actor=coordinator, survey=survey, emails=["SVARARE@exempel.se"])
        == []
    )


def test_invite_member_organisations_by_contact_address(coordinator, survey):
    other = OrganisationFactory(
        name="Byaföreningen", email="info@by.exempel.se", municipality_id="2580"
    )
    invitation = services.invitations_send(actor=coordinator, survey=survey, organisations=[other])[
        0
    ]
    assert invitation.email == "info@by.exempel.se" and invitation.organisation == other
    response, _errors = services.response_save(
        token=invitation.token, raw={"nya": "nej"}, submit=True
    )
    assert response.county_code == "25"


def test_anonymous_link(coordinator, survey):
    with pytest.raises(services.LinkRefused):
        services.response_start_anonymous(survey=survey, key="")
    survey = services.survey_set_anonymous_link(actor=coordinator, survey=survey, enabled=True)
    token = services.response_start_anonymous(survey=survey, key=survey.anonymous_key)
    response, errors = services.response_save(token=token, raw={"nya": "nej"}, submit=True)
    assert not errors and response.organisation is None
    with pytest.raises(services.LinkRefused, match="already been used"):
        services.response_for_token(token)
    old_key = survey.anonymous_key
    services.survey_set_anonymous_link(actor=coordinator, survey=survey, enabled=False)
    with pytest.raises(services.LinkRefused):
        services.response_start_anonymous(survey=Survey.objects.get(pk=survey.pk), key=old_key)


# --- answers ----------------------------------------------------------------------------


def test_required_conditions_and_constraints(coordinator, survey):
    invitation = invite(coordinator, survey)
    _response, errors = services.response_save(token=invitation.token, raw={}, submit=True)
    assert set(errors) == {"nya"}  # med_vem is required but hidden while nya is empty
    _response, errors = services.response_save(
        token=invitation.token, raw={"nya": "ja", "anstallda": "-3"}, submit=True
    )
    assert errors == {
        "med_vem": "This question must be answered.",
        "anstallda": "Antalet kan inte vara negativt.",
    }
    assert Response.objects.filter(submitted_at__isnull=False).count() == 0
    response, errors = services.response_save(
        token=invitation.token,
        raw={"nya": "ja", "med_vem": ["kommun", "akademi"], "anstallda": "3"},
        submit=True,
    )
    assert not errors
    assert response.answers == {"nya": "ja", "med_vem": ["kommun", "akademi"], "anstallda": 3}


def test_answers_to_hidden_questions_are_dropped(coordinator, survey):
    invitation = invite(coordinator, survey)
    response, errors = services.response_save(
        token=invitation.token, raw={"nya": "nej", "med_vem": ["kommun"]}, submit=True
    )
    assert not errors and "med_vem" not in response.answers


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"nya": "kanske"}, "nya"),
        ({"nya": "ja", "med_vem": ["kommun", "hackad"]}, "med_vem"),
        ({"nya": "nej", "anstallda": "tolv"}, "anstallda"),
    ],
)
def test_malformed_answers(coordinator, survey, raw, field):
    invitation = invite(coordinator, survey)
    _response, errors = services.response_save(token=invitation.token, raw=raw, submit=True)
    assert field in errors


# --- coding and reports -----------------------------------------------------------------


def test_coding_free_text(coordinator, survey, member):
    invitation = invite(coordinator, survey)
    response, _ = services.response_save(
        token=invitation.token, raw={"nya": "nej", "hinder": "Korta projektpengar"}, submit=True
    )
    code = services.code_create(actor=coordinator, survey=survey, label="ekonomi")
    question = survey.questions.get(name="hinder")
    services.coding_set(
        actor=coordinator, response=response, question=question, codes=[code], factor="hindering"
    )
    from hjulet.surveys.selectors import code_frequencies

    assert code_frequencies(survey) == [
        {"label": "ekonomi", "count": 1, "facilitating": 0, "hindering": 1}
    ]
    with pytest.raises(PermissionDenied):
        services.coding_set(actor=member, response=response, question=question, codes=[code])
    with pytest.raises(ValidationError):
        services.coding_set(
            actor=coordinator, response=response, question=survey.questions.get(name="nya"),
            codes=[code],
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.code_create(actor=coordinator, survey=survey, label="ekonomi")


def test_report_blocks_and_publishing(coordinator, survey, member):
    report = services.report_create(actor=coordinator, survey=survey, title="Rapport")
    with pytest.raises(ValidationError, match="at least one block"):
        services.report_set_published(actor=coordinator, report=report, published=True)
    with pytest.raises(ValidationError):
        services.report_block_add(actor=coordinator, report=report, kind=BlockKind.CHART)
    with pytest.raises(ValidationError):
        services.report_block_add(
            actor=coordinator, report=report, kind=BlockKind.CHART,
            question=survey.questions.get(name="hinder"),
        )  # fmt: skip
    services.report_block_add(
        actor=coordinator, report=report, kind=BlockKind.CHART,
        question=survey.questions.get(name="nya"), heading="Nya lösningar",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.report_set_published(actor=member, report=report, published=True)
    report = services.report_set_published(actor=coordinator, report=report, published=True)
    assert report.is_published and report.published_at is not None
