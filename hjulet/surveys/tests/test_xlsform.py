"""XLSForm import with the real forms from pyxform's test suite (tests/data) and the demo
form: good forms are imported whole, broken ones refused by sheet, row and reason, with
nothing saved."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hjulet.surveys import services
from hjulet.surveys.demo import xlsform_bytes
from hjulet.surveys.models import Question, QuestionType, Survey
from hjulet.surveys.xlsform import parse_xlsform

DATA = Path(__file__).parent / "data"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_choice_filter_form_is_imported_with_filter_columns(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=read("choice_filter_test.xlsx")
    )
    questions = list(survey.questions.order_by("position"))
    assert [q.name for q in questions] == ["state", "county", "city"]
    county = questions[1]
    assert county.type == QuestionType.SELECT_ONE and county.choice_filter == "${state}=cf"
    assert county.choices.count() == 4
    assert county.choices.filter(name="pierce").get().columns == {"cf": "washington"}
    assert survey.status == "draft"


def test_labels_per_language_and_settings(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=xlsform_bytes()
    )
    assert survey.title == "Social innovation i norr"
    assert survey.form_id == "social_innovation_norr" and survey.form_version == "2026-1"
    assert survey.language_list == ["sv", "en"]
    together = survey.questions.get(name="tillsammans")
    assert together.label_sv.startswith("Har ni utvecklat")
    assert together.label_en.startswith("Did you develop")
    assert together.relevant == "${nya_losningar} = 'ja'" and together.required
    assert together.group.name == "innovation"
    assert survey.questions.get(name="forutsattningar").type == QuestionType.LIKERT
    staff = survey.questions.get(name="anstallda")
    assert staff.constraint == ". >= 0 and . < 10000"
    assert staff.constraint_message_sv == "Skriv ett antal mellan 0 och 9999."
    assert staff.hint_sv.startswith("Skriv 0")
    assert survey.questions.get(name="beskrivning").appearance == "multiline"
    assert survey.questions.get(name="intro").type == QuestionType.NOTE


@pytest.mark.parametrize(
    ("name", "count"), [("yes_or_no_question.xlsx", 1), ("text_and_integer.xlsx", 2)]
)
def test_other_good_forms(coordinator, organisation, name, count):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=read(name)
    )
    assert survey.questions.count() == count


def test_phone_number_is_text_with_digits_only_as_in_pyxform(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=read("group.xlsx")
    )
    questions = {q.name: q for q in survey.questions.all()}
    assert list(questions) == ["family_name", "father", "phone_number", "age"]
    phone = questions["phone_number"]
    assert phone.type == QuestionType.TEXT and phone.appearance == "numbers"
    assert phone.hint_sv == "Skriv bara siffror." and phone.hint_en == "Enter numbers only."
    assert phone.group == questions["father"] and questions["age"].group == questions["father"]
    assert phone.label_en == "What's your father's phone number?"


def test_or_specify_other_adds_the_choice_and_a_text_question(coordinator, organisation):
    survey = services.survey_import_xlsform(
        actor=coordinator, organisation=organisation, data=read("specify_other.xlsx")
    )
    sex, other = survey.questions.order_by("position")
    assert [c.name for c in sex.choices.all()] == ["male", "female", "other"]
    assert sex.choices.get(name="other").label_sv == "Annat"
    assert other.name == "sex_other" and other.type == QuestionType.TEXT
    assert other.relevant == "selected(${sex}, 'other')" and other.label_sv == "Ange annat"


def test_duplicate_columns_are_refused_with_sheet_row_and_reason(coordinator, organisation):
    with pytest.raises(ValidationError) as error:
        services.survey_import_xlsform(
            actor=coordinator, organisation=organisation, data=read("bad-duplicate_columns.xlsx")
        )
    assert error.value.messages == ["survey, rad 1 (label): Kolumnen ”label” finns två gånger."]
    assert not Survey.objects.exists() and not Question.objects.exists()


def test_bad_expressions_and_unknown_references_are_reported_by_row():
    from io import BytesIO

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "relevant", "constraint", "calculation"])
    sheet.append(["integer", "a", "A", "", "__import__('os')", ""])
    sheet.append(["text", "b", "B", "${missing} = 'x'", "", ""])
    sheet.append(["calculate", "c", "", "", "", "${a} ** 2"])
    sheet.append(["calculate", "d", "", "", "", "${nope} * 2"])
    sheet.append(["calculate", "e", "", "", "", ""])
    sheet.append(["text", "f", "F", "", "", "1 + 1"])
    buffer = BytesIO()
    workbook.save(buffer)
    form = parse_xlsform(buffer.getvalue())
    found = {(p.row, p.feature) for p in form.problems}
    assert found == {
        (2, "constraint"),
        (3, "relevant"),
        (4, "calculation"),
        (5, "calculation"),
        (6, "calculation"),
        (7, "calculation"),
    }


def test_not_a_workbook():
    form = parse_xlsform(b"type,name,label\ntext,a,A\n")
    assert not form.ok and "inte en Excel-arbetsbok" in form.problems[0].reason


@pytest.mark.parametrize("persona", ["member", "outsider", "resident", "researcher"])
def test_only_managers_import(request, organisation, persona):
    with pytest.raises(PermissionDenied):
        services.survey_import_xlsform(
            actor=request.getfixturevalue(persona), organisation=organisation, data=xlsform_bytes()
        )


def test_organisation_admin_imports_for_own_organisation(org_admin, organisation):
    survey = services.survey_import_xlsform(
        actor=org_admin, organisation=organisation, data=xlsform_bytes()
    )
    assert survey.organisation == organisation
