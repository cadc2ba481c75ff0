"""Imported forms answered end to end: calculated values (computed on the server, usable in
conditions, stored, analysed and exported), times of day, "or specify other", selected()
in relevant, constraint and choice_filter, digits-only phone numbers, and choice filters
over a list where two choices share a value."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hjulet.surveys import analysis, selectors, services
from hjulet.surveys.answers import clean_answers
from hjulet.surveys.models import Choice, QuestionType, Response

from .factories import invite
from .xlsforms import ALLOW_CHOICE_DUPLICATES, CASCADE, COUNTIES, form


def opened(coordinator, organisation, data: bytes):
    survey = services.survey_import_xlsform(actor=coordinator, organisation=organisation, data=data)
    survey = services.survey_update(
        actor=coordinator, survey=survey, deadline=timezone.now() + timedelta(days=1)
    )
    return services.survey_open(actor=coordinator, survey=survey)


def answer_url(coordinator, survey, email="svarare@exempel.se") -> str:
    return f"/enkater/svar/{invite(coordinator, survey, email).token}/"


HOURS = form(
    [
        ["type", "name", "label", "calculation", "relevant", "constraint", "constraint_message"],
        ["integer", "timmar", "Timmar i veckan", "", "", "", ""],
        ["integer", "veckor", "Veckor", "", "", "", ""],
        ["calculate", "totalt", "", "${timmar} * ${veckor}", "", "", ""],
        ["calculate", "niva", "", "if(${totalt} > 100, 'hog', 'lag')", "", "", ""],
        ["text", "varfor", "Varför så mycket?", "", "${niva} = 'hog'", "", ""],
        ["integer", "betalda", "Varav betalda", "", "", ". <= ${totalt}", "Högst totalen."],
    ]
)


@pytest.fixture
def hours(coordinator, organisation):
    return opened(coordinator, organisation, HOURS)


def test_calculated_values_are_stored_and_never_taken_from_the_respondent(
    as_user, coordinator, hours
):
    url = answer_url(coordinator, hours)
    client = as_user(None)
    posted = {"timmar": "12", "veckor": "10", "totalt": "5", "niva": "lag", "varfor": "Projekt"}
    response = client.post(url, {**posted, "betalda": "30", "submit": "1"})
    assert response.status_code == 200, response.text
    assert Response.objects.get().answers == {
        "timmar": 12,
        "veckor": 10,
        "totalt": 120,
        "niva": "hog",
        "varfor": "Projekt",
        "betalda": 30,
    }


def test_calculated_values_drive_conditions_and_constraints(as_user, coordinator, hours):
    url = answer_url(coordinator, hours)
    client = as_user(None)
    data = client.post(f"{url}villkor/", {"timmar": "2", "veckor": "10"}).json()
    assert "varfor" in data["hidden"]
    data = client.post(f"{url}villkor/", {"timmar": "20", "veckor": "10"}).json()
    assert "varfor" in data["shown"]
    response = client.post(url, {"timmar": "2", "veckor": "10", "betalda": "21", "submit": "1"})
    assert response.status_code == 400 and "Högst totalen." in response.text
    assert not Response.objects.filter(submitted_at__isnull=False).exists()
    # The page never shows a field for a calculation.
    assert 'name="totalt"' not in client.get(url).text


def test_a_hidden_calculation_and_missing_inputs_store_nothing(hours):
    questions = selectors.questions_of(hours)
    answers, errors = clean_answers(questions, {"timmar": "3", "varfor": "x"}, submit=True)
    assert errors == {} and answers == {"timmar": 3, "niva": "lag"}


def test_calculations_are_analysed_and_exported(as_user, coordinator, hours):
    for number, (weekly, weeks) in enumerate([("10", "4"), ("20", "6"), ("5", "")]):
        url = answer_url(coordinator, hours, f"svar{number}@exempel.se")
        assert (
            as_user(None).post(url, {"timmar": weekly, "veckor": weeks, "submit": "1"}).status_code
            == 200
        )
    questions = selectors.questions_of(hours)
    table = selectors.load_table(hours, questions)
    assert table.columns["totalt"].type == QuestionType.DECIMAL
    assert table.columns["niva"].texts == ["lag", "hog", "lag"]
    result = analysis.analyse(table)["totalt"]
    assert (result.n_answered, result.n_missing) == (2, 1)
    assert result.numbers.mean == pytest.approx((40 + 120) / 2)
    export = as_user(coordinator).get(f"/enkater/{hours.slug}/export.csv")
    text = b"".join(export.streaming_content if export.streaming else [export.content])
    rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    if "totalt" not in rows[0]:
        rows = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
    assert [row["totalt"] for row in rows] == ["40", "120", ""]
    assert [row["niva"] for row in rows] == ["lag", "hog", "lag"]
    page = as_user(coordinator).get(f"/enkater/{hours.slug}/resultat/")
    assert page.status_code == 200 and "totalt" in page.text
    api = as_user(coordinator).get(f"/api/v1/surveys/{hours.slug}/results").json()
    totals = next(item for item in api["questions"] if item["name"] == "totalt")
    assert totals["type"] == "decimal" and totals["numbers"]["mean"] == pytest.approx(80)


TIMES = form(
    [
        ["type", "name", "label", "constraint", "constraint_message", "relevant"],
        ["time", "borjar", "När börjar ni?", ". >= '08:00'", "Tidigast 08:00.", ""],
        ["text", "tidigt", "Varför så tidigt?", "", "", "${borjar} < '09:00'"],
    ]
)


@pytest.mark.parametrize(
    ("typed", "stored", "error"),
    [
        ("9:30", "09:30", None),
        ("08.15", "08:15", None),
        ("12:00:00", "12:00", None),
        ("25:00", None, "Skriv en tid som TT:MM, till exempel 09:30."),
        ("halv tio", None, "Skriv en tid som TT:MM, till exempel 09:30."),
        ("07:59", None, "Tidigast 08:00."),
    ],
)
def test_times_of_day(coordinator, organisation, typed, stored, error):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=TIMES
    )
    questions = selectors.questions_of(survey)
    answers, errors = clean_answers(questions, {"borjar": typed}, submit=True)
    assert answers.get("borjar") == (stored if not error or "Tidigast" not in error else "07:59")
    assert errors.get("borjar") == error


def test_time_conditions_compare_times(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=TIMES
    )
    questions = selectors.questions_of(survey)
    early, _errors = clean_answers(questions, {"borjar": "8:30", "tidigt": "Skift"}, submit=True)
    late, _errors = clean_answers(questions, {"borjar": "10:00", "tidigt": "Skift"}, submit=True)
    assert early == {"borjar": "08:30", "tidigt": "Skift"} and late == {"borjar": "10:00"}


def test_the_time_field_is_a_time_input(as_user, coordinator, organisation):
    survey = opened(coordinator, organisation, TIMES)
    page = as_user(None).get(answer_url(coordinator, survey)).text
    assert re.search(r'<input name="borjar" id="f-borjar" value="" type="time"', page)


OTHER = form(
    [
        ["type", "name", "label"],
        ["select_one kon or_other", "kon", "Kön"],
        ["select_multiple parter or specify other", "parter", "Med vilka?"],
    ],
    [
        ["list_name", "name", "label"],
        ["kon", "kvinna", "Kvinna"],
        ["kon", "man", "Man"],
        ["parter", "kommun", "Kommun"],
        ["parter", "other", "Någon annan"],  # the list's own "other" is kept, as in pyxform
    ],
)


def test_or_other_answers_store_the_choice_and_the_text(as_user, coordinator, organisation):
    survey = opened(coordinator, organisation, OTHER)
    assert [q.name for q in survey.questions.order_by("position")] == [
        "kon",
        "kon_other",
        "parter",
        "parter_other",
    ]
    assert [c.label_sv for c in survey.questions.get(name="parter").choices.all()] == [
        "Kommun",
        "Någon annan",
    ]
    url = answer_url(coordinator, survey)
    client = as_user(None)
    page = client.get(url).text
    assert re.search(r'id="q-kon_other" hidden', page)  # shown once Annat is chosen
    data = client.post(f"{url}villkor/", {"kon": "other"}).json()
    assert "kon_other" in data["shown"] and "parter_other" in data["hidden"]
    response = client.post(
        url,
        {
            "kon": "other",
            "kon_other": "Ickebinär",
            "parter": ["kommun", "other"],
            "parter_other": "Region",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    assert Response.objects.get().answers == {
        "kon": "other",
        "kon_other": "Ickebinär",
        "parter": ["kommun", "other"],
        "parter_other": "Region",
    }


def test_the_other_text_is_dropped_when_other_is_not_chosen(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=OTHER
    )
    answers, errors = clean_answers(
        selectors.questions_of(survey), {"kon": "man", "kon_other": "x"}, submit=True
    )
    assert errors == {} and answers == {"kon": "man"}


SELECTED = form(
    [
        ["type", "name", "label", "relevant", "constraint", "choice_filter", "constraint_message"],
        ["select_multiple parter", "parter", "Med vilka?", "", "", "", ""],
        ["text", "kommun", "Vilken kommun?", "selected(${parter}, 'kommun')", "", "", ""],
        [
            "select_multiple parter",
            "viktigast",
            "Vilka var viktigast?",
            "count-selected(${parter}) > 1",
            "not(selected(., 'kommun') and selected(., 'region'))",
            "selected(${parter}, name)",
            "Välj kommun eller region, inte båda.",
        ],
    ],
    [
        ["list_name", "name", "label"],
        ["parter", "kommun", "Kommun"],
        ["parter", "region", "Region"],
        ["parter", "akademi", "Akademi"],
    ],
)


def test_selected_in_relevant_constraint_and_choice_filter(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=SELECTED
    )
    questions = selectors.questions_of(survey)
    answers, errors = clean_answers(
        questions,
        {"parter": ["kommun", "region"], "kommun": "Umeå", "viktigast": ["kommun", "region"]},
        submit=True,
    )
    assert errors == {"viktigast": "Välj kommun eller region, inte båda."}
    answers, errors = clean_answers(
        questions,
        {"parter": ["region", "akademi"], "kommun": "Umeå", "viktigast": ["kommun"]},
        submit=True,
    )
    # kommun was not chosen: its follow-up is hidden and it is not offered as most important
    assert errors == {"viktigast": "Välj ett av de alternativ som visas."}
    assert "kommun" not in answers
    answers, errors = clean_answers(
        questions, {"parter": ["region", "akademi"], "viktigast": ["akademi"]}, submit=True
    )
    assert errors == {} and answers["viktigast"] == ["akademi"]


def test_phone_numbers_take_digits_only(coordinator, organisation):
    data = form([["type", "name", "label"], ["phone number", "telefon", "Telefon"]])
    survey = services.survey_import_xlsform(actor=coordinator, organisation=organisation, data=data)
    questions = selectors.questions_of(survey)
    assert clean_answers(questions, {"telefon": "070 123 45 67"}, submit=True) == (
        {"telefon": "0701234567"},
        {},
    )
    assert clean_answers(questions, {"telefon": "070-123"}, submit=True) == (
        {},
        {"telefon": "Skriv bara siffror."},
    )


CASCADING = form(CASCADE, COUNTIES, ALLOW_CHOICE_DUPLICATES)


def test_texas_offers_its_own_king_and_cameron_only(as_user, coordinator, organisation):
    survey = opened(coordinator, organisation, CASCADING)
    kings = list(Choice.objects.filter(name="king").order_by("position"))
    washington_king, texas_king = kings
    cameron = Choice.objects.get(name="cameron")
    url = answer_url(coordinator, survey)
    client = as_user(None)
    data = client.post(f"{url}villkor/", {"state": "texas"}).json()
    assert data["choice_ids"]["county"] == [texas_king.pk, cameron.pk]
    # Saved and shown again: only Texas' King is offered, and it is the one checked.
    client.post(url, {"state": "texas", "county": "king", "save": "1"})
    page = client.get(url).text
    shown = re.findall(r'<label data-choice="(\w+)" data-choice-id="(\d+)">', page)
    assert [name for name, _id in shown if name in ("king", "pierce", "cameron")] == [
        "king",
        "cameron",
    ]
    assert f'data-choice-id="{washington_king.pk}" hidden' in page
    checked = re.findall(
        r'data-choice-id="(\d+)"><input type="radio" name="county"[^>]*checked', page
    )
    assert checked == [str(texas_king.pk)]


def test_a_shared_value_is_one_option_in_the_results(as_user, coordinator, organisation):
    survey = opened(coordinator, organisation, CASCADING)
    for number, state in enumerate(["texas", "washington", "texas"]):
        url = answer_url(coordinator, survey, f"s{number}@exempel.se")
        as_user(None).post(url, {"state": state, "county": "king", "submit": "1"})
    table = selectors.load_table(survey)
    assert table.columns["county"].options == ["king", "pierce", "cameron"]
    shares = analysis.analyse(table)["county"].shares
    assert list(shares.counts) == [3, 0, 0]
