"""Hypothesis fuzzing of the initiative import (Hjulet's own columns and Participedia's): any
bytes, text or wrongly filled rows end in the import's own ValidationError (a Swedish message
on "file") or in a preview whose rows carry their problems; nothing is ever saved half-way."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hjulet.core.models import AuditEntry
from hjulet.knowledge import importing
from hjulet.knowledge.models import ImportBatch, Initiative
from hjulet.lib.tests.bombs import xlsx_zip_bomb

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SWEDISH = ("Filen", "filen", "Spara", "Excel", "kolumn", "Kolumn", "rad", "CSV", "arbetsbok")

HJULET_HEADER = [
    "titel", "sammanfattning", "kommunkod", "kommun", "skede", "startdatum", "slutdatum",
    "deltagare", "utmaningar", "målgrupper", "sdg", "metoder", "länkar",
]  # fmt: skip
PARTICIPEDIA_HEADER = [
    "type", "title", "description", "body", "country", "city", "start_date", "end_date",
    "number_of_participants_1", "url", "ongoing",
]  # fmt: skip
nasty = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "2480",
            "Umeå",
            "9999",
            "2025-02-30",
            "-3",
            "1e9",
            "ide",
            "x;y",
            "=1+1",
            "Sweden",
            "sverige",
            "https://",
            "javascript:alert(1)",
            "\x00",
            "a" * 2000,
            "99999999999999999999",
        ]
    ),
)


def prepare(actor, lead, content: bytes, name: str):
    return importing.import_prepare(
        actor=actor, upload=SimpleUploadedFile(name, content), lead=lead
    )


def assert_nothing_saved() -> None:
    assert not Initiative.objects.exists()
    assert not AuditEntry.objects.filter(action="initiative.create").exists()


def assert_own_error(error: ValidationError) -> None:
    messages = error.message_dict["file"]
    assert messages and all(any(word in m for word in SWEDISH) for m in messages), messages


def csv_bytes(rows: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=3000), st.text(max_size=800).map(str.encode)),
    name=st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.txt"]),
)
def test_any_bytes_are_refused_with_a_message_or_checked_row_by_row(
    member, organisation, data, name
):
    try:
        batch = prepare(member, organisation, data, name)
    except ValidationError as error:
        assert_own_error(error)
    else:
        assert batch.row_count == len(batch.report)
    assert_nothing_saved()


@FUZZ
@given(
    header=st.sampled_from([HJULET_HEADER, PARTICIPEDIA_HEADER]),
    rows=st.lists(st.lists(nasty, min_size=0, max_size=14), min_size=1, max_size=5),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_wrong_rows_are_reported_and_a_batch_with_errors_cannot_be_committed(
    member, organisation, header, rows, delimiter
):
    content = csv_bytes([header, *rows], delimiter)
    try:
        batch = prepare(member, organisation, content, "fel.csv")
    except ValidationError as error:
        assert_own_error(error)
        assert_nothing_saved()
        return
    assert_nothing_saved()
    if batch.error_count:
        with pytest.raises(ValidationError):
            importing.import_commit(actor=member, batch=batch)
        assert_nothing_saved()


def test_a_zip_bomb_is_refused_with_a_message(member, organisation, settings):
    # The bomb unpacks to 150 MB; the limit is set below that (the default, 200 MB, is for
    # files of 100,000 real rows).
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
    bomb = xlsx_zip_bomb()
    assert len(bomb) < importing.max_bytes() < importing.max_uncompressed_bytes()
    with pytest.raises(ValidationError) as error:
        prepare(member, organisation, bomb, "bomb.xlsx")
    assert "när den packas upp" in error.value.message_dict["file"][0]
    assert not ImportBatch.objects.exists()
