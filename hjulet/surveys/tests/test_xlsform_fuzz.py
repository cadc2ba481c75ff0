"""Hypothesis fuzzing of the XLSForm import: arbitrary bytes, damaged workbooks and workbooks
with wrongly filled rows give a list of problems (Swedish reasons), never an exception, and
the import service then refuses the whole form with nothing saved. Plus a real zip bomb."""

import io

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hjulet.lib.tests.bombs import xlsx_zip_bomb
from hjulet.surveys import services
from hjulet.surveys.demo import xlsform_bytes
from hjulet.surveys.models import Question, Survey
from hjulet.surveys.xlsform import parse_xlsform

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
GOOD = xlsform_bytes()

cells = st.one_of(
    st.none(),
    st.integers(-5, 5),
    st.text(max_size=12).filter(lambda text: not any(ord(c) < 32 for c in text)),
    st.sampled_from(
        [
            "text",
            "integer",
            "select_one yn",
            "select_multiple yn",
            "begin group",
            "end group",
            "begin repeat",
            "note",
            "calculate",
            "geopoint",
            "${q1} > 3",
            "${nope} = 'x'",
            "selected(${q2}, 'y')",
            "((",
            "yn",
            "y",
            "label::English (en)",
            "list_name",
        ]
    ),
)
rows = st.lists(st.lists(cells, max_size=6), max_size=8)


def workbook(survey_rows, choice_rows) -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "relevant", "constraint", "required"])
    for row in survey_rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for row in choice_rows:
        choices.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _flip(data: bytes, flips) -> bytes:
    changed = bytearray(data)
    for position, value in flips:
        changed[position % len(changed)] = value
    return bytes(changed)


def assert_problems_in_swedish(form) -> None:
    assert not form.ok
    for problem in form.problems:
        assert problem.reason and problem.reason.strip()


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6).map(
            lambda flips: _flip(GOOD, flips)
        ),
    )
)
def test_any_bytes_give_problems_never_an_exception(data):
    form = parse_xlsform(data)
    if not form.ok:
        assert_problems_in_swedish(form)


@pytest.mark.django_db
@FUZZ
@given(survey_rows=rows, choice_rows=rows)
def test_wrong_rows_are_refused_whole_with_nothing_saved(
    coordinator, organisation, survey_rows, choice_rows
):
    data = workbook(survey_rows, choice_rows)
    form = parse_xlsform(data)
    if form.ok:
        return  # a form that happens to be fine is imported elsewhere
    with pytest.raises(ValidationError):
        services.survey_import_xlsform(actor=coordinator, organisation=organisation, data=data)
    assert not Survey.objects.exists() and not Question.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = xlsx_zip_bomb()
    form = parse_xlsform(bomb)
    assert not form.ok
    assert "packas upp" in form.problems[0].reason, form.problems
