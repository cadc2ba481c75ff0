"""Helpers that build surveys through the services, as real use does."""

from datetime import timedelta

from django.utils import timezone

from hjulet.surveys import services
from hjulet.surveys.demo import xlsform_bytes
from hjulet.surveys.models import QuestionType, Survey


def make_survey(actor, organisation, *, title="Medlemsenkät 2026", open_=True) -> Survey:
    """Three questions: a required yes/no, a follow-up shown only on yes, and a number."""
    survey = services.survey_create(
        actor=actor,
        organisation=organisation,
        title=title,
        deadline=timezone.now() + timedelta(days=14),
    )
    add_question(
        actor,
        survey,
        "nya",
        QuestionType.SELECT_ONE,
        "Har ni utvecklat nya lösningar?",
        required=True,
        choices="ja | Ja | Yes\nnej | Nej | No",
    )
    add_question(
        actor,
        survey,
        "med_vem",
        QuestionType.SELECT_MULTIPLE,
        "Med vilka?",
        relevant="${nya} = 'ja'",
        required=True,
        choices="kommun | Kommun\nregion | Region\nakademi | Akademi",
    )
    add_question(
        actor,
        survey,
        "anstallda",
        QuestionType.INTEGER,
        "Antal anställda",
        constraint=". >= 0",
        constraint_message_sv="Antalet kan inte vara negativt.",
    )
    add_question(actor, survey, "hinder", QuestionType.TEXT, "Hinder?")
    if open_:
        survey = services.survey_open(actor=actor, survey=survey)
    return survey


def add_question(actor, survey, name, type, label_sv, **options):
    """A question added to the draft ``survey`` through the service; ``options`` are its
    other fields (``choices``, ``relevant``, ``required``, ``constraint`` …)."""
    return services.question_create(
        actor=actor, survey=survey, name=name, type=type, label_sv=label_sv, **options
    )


def invite(actor, survey, email="svarare@exempel.se", **kwargs):
    return services.invitations_send(actor=actor, survey=survey, emails=[email], **kwargs)[0]


def import_demo_form(actor, organisation) -> Survey:
    return services.survey_import_xlsform(
        actor=actor, organisation=organisation, data=xlsform_bytes()
    )
