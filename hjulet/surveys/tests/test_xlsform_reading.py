"""Reading an XLSForm as pyxform reads it: headers and sheet names in any case, a workbook's
only sheet as the survey, blank rows that do not count towards the limit, missing columns
and duplicate choices named by sheet and row, and the preview's counts. Every workbook is
built in code; every refusal is a Swedish message with nothing saved."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.styles import Font

from hjulet.surveys import services
from hjulet.surveys.models import Choice, Question, QuestionType, Survey
from hjulet.surveys.xlsform import MAX_ROWS, parse_xlsform

from .xlsforms import CASCADE, COUNTIES, form, workbook

UPPER = workbook(
    (
        "Survey",
        [
            ["TYPE", "NAME", "Label::Svenska (sv)", "LABEL::English (en)", "Relevant", "REQUIRED"],
            ["select_one yn", "nya", "Nya lösningar?", "New solutions?", "", "yes"],
            ["text", "vilka", "Vilka?", "Which?", "${nya} = 'ja'", ""],
            ["select_one orter", "ort", "Ort", "Place", "", ""],
        ],
    ),
    (
        "CHOICES",
        [
            ["LIST_NAME", "NAME", "Label::Svenska (sv)", "CF"],
            ["yn", "ja", "Ja", ""],
            ["yn", "nej", "Nej", ""],
            ["orter", "umea", "Umeå", "x"],
            ["orter", "lulea", "Luleå", "y"],
        ],
    ),
    ("SETTINGS", [["FORM_TITLE", "Default_Language"], ["Versaler", "Svenska (sv)"]]),
)


def refused(coordinator, organisation, data: bytes) -> list[str]:
    """The import's messages; asserts that nothing was saved."""
    with pytest.raises(ValidationError) as error:
        services.survey_import_xlsform(actor=coordinator, organisation=organisation, data=data)
    assert not Survey.objects.exists() and not Question.objects.exists()
    assert not Choice.objects.exists()
    return error.value.messages


def test_upper_case_headers_and_sheet_names_import(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=UPPER
    )
    assert survey.title == "Versaler" and survey.language_list == ["sv", "en"]
    nya, vilka, ort = survey.questions.order_by("position")
    assert (nya.label_sv, nya.label_en, nya.required) == ("Nya lösningar?", "New solutions?", True)
    assert [c.label_sv for c in nya.choices.all()] == ["Ja", "Nej"]
    assert vilka.relevant == "${nya} = 'ja'"
    # A choice filter's own columns keep their case, as in pyxform.
    assert ort.choices.get(name="umea").columns == {"CF": "x"}


def test_question_types_in_upper_case_are_refused_as_odk_does(coordinator, organisation):
    data = form(
        [["type", "name", "label"], ["TEXT", "a", "A"], ["SELECT_ONE Orter or_other", "b", "B"]],
        [["list_name", "name", "label"], ["Orter", "umea", "Umeå"]],
    )
    assert refused(coordinator, organisation, data) == [
        "survey, rad 2 (type): ODK läser frågetyper bara med små bokstäver: skriv ”text”.",
        "survey, rad 3 (type): ODK läser frågetyper bara med små bokstäver: skriv "
        "”select_one Orter or_other”.",
    ]


def test_an_unknown_column_is_still_refused_by_its_own_name(coordinator, organisation):
    data = form([["Type", "Name", "Label", "Colour"], ["text", "a", "A", "röd"]])
    assert refused(coordinator, organisation, data) == [
        "survey, rad 2 (Colour): Kolumnen ”Colour” stöds inte."
    ]


def test_duplicate_headers_differing_only_in_case(coordinator, organisation):
    data = form([["type", "name", "label", "LABEL"], ["text", "a", "A", "B"]])
    assert refused(coordinator, organisation, data) == [
        "survey, rad 1 (LABEL): Kolumnen ”LABEL” finns två gånger."
    ]


def test_the_only_sheet_is_the_survey_whatever_its_name(coordinator, organisation):
    data = workbook(("Blad1", [["type", "name", "label"], ["integer", "antal", "Hur många?"]]))
    survey = services.survey_import_xlsform(actor=coordinator, organisation=organisation, data=data)
    assert [q.name for q in survey.questions.all()] == ["antal"]


def test_problems_on_the_only_sheet_name_it_as_the_workbook_does(coordinator, organisation):
    data = workbook(("Blad1", [["type", "name", "label"], ["geopoint", "plats", "Var?"]]))
    assert refused(coordinator, organisation, data) == [
        "Blad1, rad 2 (type): Frågetypen ”geopoint” stöds inte."
    ]


@pytest.mark.parametrize(
    ("sheets", "names"),
    [
        ((("Frågor", [["type"]]), ("choices", [["list_name"]])), "Frågor, choices"),
        # pyxform never takes a sheet with one of its own names as the survey
        ((("choices", [["list_name", "name", "label"], ["yn", "ja", "Ja"]]),), "choices"),
    ],
)
def test_no_survey_sheet_among_several(coordinator, organisation, sheets, names):
    assert refused(coordinator, organisation, workbook(*sheets)) == [
        f"survey: Arbetsboken har inget blad som heter ”survey” (bladen heter: {names})."
    ]


def huge_sheet(filled: int, *, bad_row: int | None = None) -> bytes:
    """``filled`` questions, then a formatted cell in the sheet's last row (1,048,576) and
    last column, so the sheet declares its largest size."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    for index in range(filled):
        sheet.append(["integer", f"q{index}", f"Fråga {index}"])
    if bad_row:
        sheet.cell(row=bad_row, column=1).value = "geopoint"
    sheet.cell(row=1_048_576, column=1).font = Font(bold=True)
    sheet.cell(row=1, column=16_384).font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_blank_rows_do_not_count_and_the_real_problem_shows():
    parsed = parse_xlsform(huge_sheet(90, bad_row=50))
    assert [(p.row, p.feature, p.reason) for p in parsed.problems] == [
        (50, "type", "Frågetypen ”geopoint” stöds inte.")
    ]


def test_a_sheet_declared_at_full_size_imports(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=huge_sheet(90)
    )
    assert survey.questions.count() == 90


def test_more_filled_rows_than_the_limit():
    rows = [["type", "name", "label"]]
    rows += [["text", f"q{i}", "F"] if i % 2 else [None] for i in range(2 * MAX_ROWS + 4)]
    parsed = parse_xlsform(form(rows))
    assert [p.reason for p in parsed.problems] == [f"Bladet har fler än {MAX_ROWS} ifyllda rader."]
    # The limit counts filled rows: the row named is the first one over it.
    assert parsed.problems[0].row == 2 * (MAX_ROWS + 1) + 1


def test_rows_after_a_long_gap_are_named_not_lost():
    rows = [["type", "name", "label"], ["text", "a", "A"]] + [[None]] * 70 + [["text", "b", "B"]]
    parsed = parse_xlsform(form(rows))
    assert [(p.row, p.reason.split(",")[0]) for p in parsed.problems] == [
        (73, "Fler än 60 tomma rader står före den här raden")
    ]


@pytest.mark.parametrize(
    ("survey", "choices", "expected"),
    [
        ([["name", "label"], ["a", "A"]], None, "survey, rad 1 (type): Kolumnen ”type” saknas"),
        ([["type", "label"], ["text", "A"]], None, "survey, rad 1 (name): Kolumnen ”name” saknas"),
        (
            [["type", "name", "label"], ["select_one yn", "a", "A"]],
            [["name", "label"], ["ja", "Ja"]],
            "choices, rad 1 (list_name): Kolumnen ”list_name” saknas",
        ),
    ],
)
def test_a_missing_column_is_named_once(coordinator, organisation, survey, choices, expected):
    messages = refused(coordinator, organisation, form(survey, choices))
    assert len(messages) == 1 and messages[0].startswith(expected)


@pytest.mark.parametrize(
    "rows", [[], [["type", "name", "label"]], [[None], ["type", "name", "label"], ["text", "a"]]]
)
def test_a_survey_sheet_without_questions(coordinator, organisation, rows):
    assert refused(coordinator, organisation, form(rows)) == [
        "survey, rad 1: Bladet har inga frågor: första raden har kolumnnamnen (type, name, "
        "label), frågorna följer på raderna under."
    ]


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.8])
def test_a_damaged_file_is_refused_in_swedish(coordinator, organisation, cut):
    data = bytearray(UPPER)
    middle = int(len(data) * cut)
    data[middle : middle + 400] = b"\x00" * 400
    (message,) = refused(coordinator, organisation, bytes(data))
    assert message.startswith("filen: ")
    assert "Excel-filen är skadad" in message or "inte en Excel-arbetsbok" in message


def test_a_value_twice_in_a_list_needs_the_setting(coordinator, organisation):
    assert refused(coordinator, organisation, form(CASCADE, COUNTIES)) == [
        "choices, rad 6 (name): Värdet ”king” finns redan i listan ”counties” (rad 4). Ge "
        "varje val ett eget värde, eller sätt allow_choice_duplicates till yes på bladet "
        "settings."
    ]
    settings = [["form_title", "allow_choice_duplicates"], ["Kaskad", "yes"]]
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=form(CASCADE, COUNTIES, settings)
    )
    county = survey.questions.get(name="county")
    assert [(c.name, c.columns["cf"]) for c in county.choices.all()] == [
        ("king", "washington"),
        ("pierce", "washington"),
        ("king", "texas"),
        ("cameron", "texas"),
    ]


def test_or_other_with_a_choice_filter_is_refused_as_in_pyxform(coordinator, organisation):
    survey = [CASCADE[0], CASCADE[1], ["select_one counties or_other", "county", "C", "cf=1"]]
    assert refused(coordinator, organisation, form(survey, COUNTIES[:5])) == [
        "survey, rad 3 (or_other): ”Or specify other” kan inte kombineras med ett valfilter "
        "(det kan det inte i ODK heller)."
    ]


def test_the_preview_counts_questions_and_groups_apart(as_user, coordinator, organisation):
    data = form(
        [
            ["type", "name", "label", "calculation"],
            ["note", "intro", "Välkommen", ""],
            ["begin group", "om", "Om er", ""],
            ["integer", "anstallda", "Anställda", ""],
            ["integer", "volontarer", "Volontärer", ""],
            ["calculate", "alla", "", "${anstallda} + ${volontarer}"],
            ["end group", "", "", ""],
            ["begin group", "mer", "Mer", ""],
            ["time", "tid", "Vilken tid?", ""],
            ["end group", "", "", ""],
        ]
    )
    upload = SimpleUploadedFile("form.xlsx", data)
    response = as_user(coordinator).post(
        "/enkater/import/", {"organisation": organisation.pk, "file": upload, "title": ""}
    )
    assert response.status_code == 200
    counts = response.text.split('id="import-counts">')[1].split("</p>")[0]
    assert counts.startswith("3 frågor, 2 grupper, 1 notering, 1 beräknat värde")
    assert "Beräknas som <code>${anstallda} + ${volontarer}</code>" in response.text


def test_the_import_page_shows_problems_never_a_500(as_user, coordinator, organisation):
    data = form([["type", "name", "label", "calculation"], ["calculate", "c", "", "${a} **"]])
    upload = SimpleUploadedFile("form.xlsx", data)
    response = as_user(coordinator).post(
        "/enkater/import/", {"organisation": organisation.pk, "file": upload, "title": ""}
    )
    assert response.status_code == 400
    assert "survey, rad 2 (calculation): Uttrycket kan inte användas" in response.text
    assert not Survey.objects.exists()


def test_time_and_calculate_are_imported(coordinator, organisation):
    data = form(
        [
            ["type", "name", "label", "calculation", "constraint"],
            ["time", "start", "Starttid", "", ". >= '08:00'"],
            ["integer", "timmar", "Timmar", "", ""],
            ["calculate", "minuter", "", "${timmar} * 60", ""],
        ]
    )
    survey = services.survey_import_xlsform(actor=coordinator, organisation=organisation, data=data)
    start, _hours, minutes = survey.questions.order_by("position")
    assert start.type == QuestionType.TIME and start.constraint == ". >= '08:00'"
    assert minutes.type == QuestionType.CALCULATE and minutes.calculation == "${timmar} * 60"
    assert minutes.column_type == QuestionType.DECIMAL
