import csv
import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from hjulet.accounts import services as account_services
from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.core import search
from hjulet.core.models import AuditEntry, Municipality, Vocabulary
from hjulet.core.tests.shared_data import shared_file
from hjulet.knowledge import importing, services
from hjulet.knowledge.models import ImportBatch, Initiative, PartnerRole, Partnership

from .factories import commit_import, make_initiative, make_method, prepare_import, term

pytestmark = pytest.mark.django_db

PARTICIPEDIA_SAMPLE_NAME = "participedia-cases-sample.csv"
SWEDISH_HEADER = [
    "Titel",
    "Sammanfattning",
    "Kommun",
    "Skede",
    "Startdatum",
    "Slutdatum",
    "Deltagare",
    "Utmaningar",
    "Globala mål",
]


def csv_file(rows: list[list], *, delimiter: str = ";", bom: bool = True) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def swedish_rows() -> list[list]:
    return [
        SWEDISH_HEADER,
        ["Språkcafé på biblioteket", "Samtal på svenska varje onsdag.", "Umeå", "Etablerad",
         "2021-09-01", "", "120", "integration", "4; 10"],
        ["Läxhjälp i Ersboda", "Frivilliga hjälper barn med läxorna.", "umea", "test",
         "2023-01-15", "", "", "", ""],
        ["Fritidsbanken Kalix", "Gratis lån av sport- och fritidsutrustning.", "Kalix",
         "spridd", "2019-03-01", "2024-12-31", "1 500", "ohalsa", "3"],
    ]  # fmt: skip


def file_error(actor, lead, content: bytes, name: str = "initiativ.csv") -> str:
    with pytest.raises(ValidationError) as error:
        prepare_import(actor, lead, content, name)
    assert not ImportBatch.objects.exists()
    return " ".join(error.value.message_dict["file"])


def english(client):
    client.cookies["hjulet_language"] = "en"
    return client


def bearer(user) -> dict[str, str]:
    _token, secret = account_services.api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "HTTP_ACCEPT_LANGUAGE": "en"}


def nothing_saved() -> bool:
    return (
        not Initiative.objects.exists()
        and not AuditEntry.objects.filter(action="initiative.create").exists()
        and search.search("språkcafé") == []
    )


# --- the whole flow ---------------------------------------------------------------------


def test_swedish_csv_with_semicolons_and_bom_imports_every_row(member, organisation):
    batch = prepare_import(member, organisation, csv_file(swedish_rows()))
    assert (batch.format, batch.file_type, batch.row_count, batch.error_count) == (
        "hjulet",
        "csv",
        3,
        0,
    )
    assert [row["municipality"] for row in batch.report] == ["Umeå", "Umeå", "Kalix"]
    assert nothing_saved()
    assert AuditEntry.objects.get(action="import.prepare").changes["rows"] == [None, 3]

    assert commit_import(member, batch) == 3

    cafe = Initiative.objects.get(title="Språkcafé på biblioteket")
    assert cafe.municipality_id == "2480"
    assert cafe.stage.code == "etablerad"
    assert cafe.start_date == datetime.date(2021, 9, 1)
    assert cafe.participants_reached == 120
    assert [t.code for t in cafe.challenges.all()] == ["integration"]
    assert sorted(t.code for t in cafe.sdgs.all()) == ["10", "4"]
    assert cafe.partnerships.get().organisation == organisation
    assert cafe.partnerships.get().role == PartnerRole.LEAD
    assert cafe.created_by == member
    kalix = Initiative.objects.get(title="Fritidsbanken Kalix")
    assert (kalix.participants_reached, kalix.end_date) == (1500, datetime.date(2024, 12, 31))
    assert AuditEntry.objects.filter(action="initiative.create", actor=member).count() == 3
    assert [hit.pk for hit in search.search("språkcafé", kinds=["initiative"])] == [cafe.pk]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert batch.imported_count == 3 and batch.imported_at is not None
    assert bytes(batch.content) == b""
    assert AuditEntry.objects.get(action="import.commit").changes == {"imported": [None, 3]}


def test_comma_delimited_utf8_without_bom_and_english_header(member, organisation):
    rows = [
        ["title", "summary", "municipality_code", "stage", "contact_email", "links"],
        ["Läxhjälp", "Hjälp med läxor.", "2480", "ide", "info@exempel.se",
         "https://a.example.se; https://b.example.se"],
    ]  # fmt: skip
    batch = prepare_import(member, organisation, csv_file(rows, delimiter=",", bom=False))
    assert batch.error_count == 0, batch.report
    commit_import(member, batch)
    initiative = Initiative.objects.get()
    assert initiative.link_list == ["https://a.example.se", "https://b.example.se"]
    assert initiative.contact_email == "info@exempel.se"


def test_cp1252_csv_from_old_excel(member, organisation):
    content = "Titel;Sammanfattning;Kommun;Skede\nÖppen förskola;För små barn;Malmö;ide\n"
    batch = prepare_import(member, organisation, content.encode("cp1252"))
    assert batch.error_count == 0, batch.report
    commit_import(member, batch)
    assert Initiative.objects.get().title == "Öppen förskola"


def test_exported_file_reimports(client, member, organisation):
    method = make_method(member, title="Språkcafé")
    make_initiative(
        member,
        title="Språkcafé i Gävle",
        summary="Samtal över fika.",
        municipality=Municipality.objects.get(code="2180"),
        methods=[method],
        challenges=[term(Vocabulary.CHALLENGE, "integration")],
        target_groups=[term(Vocabulary.TARGET_GROUP, "nyanlanda")],
        sdgs=[term(Vocabulary.SDG, "4"), term(Vocabulary.SDG, "10")],
        start_date=datetime.date(2020, 2, 1),
        end_date=datetime.date(2022, 6, 30),
        participants_reached=300,
        contact_name="Sara",
        contact_email="sara@exempel.se",
    )
    make_initiative(member, title='=HYPERLINK("http://evil.example")', summary="-5 grader ute")
    exports = {
        fmt: client.get(reverse("knowledge:initiative-export", args=[fmt])).getvalue()
        for fmt in ("csv", "xlsx")
    }
    for fmt, content in exports.items():
        batch = prepare_import(member, organisation, content, f"export.{fmt}")
        assert (batch.row_count, batch.error_count) == (2, 0), batch.report
        assert commit_import(member, batch) == 2
    copies = Initiative.objects.filter(title="Språkcafé i Gävle").order_by("pk")
    assert copies.count() == 3
    original, *reimported = copies
    for copy in reimported:
        assert copy.slug != original.slug
        assert copy.municipality_id == "2180"
        assert copy.stage == original.stage
        assert (copy.start_date, copy.end_date) == (original.start_date, original.end_date)
        assert copy.participants_reached == 300
        assert list(copy.methods.all()) == [method]
        assert [t.code for t in copy.target_groups.all()] == ["nyanlanda"]
        assert sorted(t.code for t in copy.sdgs.all()) == ["10", "4"]
        assert (copy.contact_name, copy.contact_email) == ("Sara", "sara@exempel.se")
    # The export's protective apostrophe does not end up in the title.
    assert Initiative.objects.filter(title='=HYPERLINK("http://evil.example")').count() == 3
    assert Initiative.objects.filter(summary="-5 grader ute").count() == 3


def test_xlsx_with_dates_numbers_and_a_code_without_its_leading_zero(member, organisation):
    content = xlsx_file(
        [
            ["Titel", "Sammanfattning", "Kommunkod", "Skede", "Startdatum", "Deltagare", "SDG"],
            ["Språkcafé", "Samtal på svenska.", 114, "Test", datetime.datetime(2024, 3, 1),
             42.0, 11],
            [None, None, None, None, None, None, None],
            ["Läxhjälp", "Läxor.", "2480", "Idé", "2024-01-01", 7, "4,10"],
        ]
    )  # fmt: skip
    batch = prepare_import(member, organisation, content, "bok.xlsx")
    assert batch.file_type == "xlsx"
    assert [(r["row"], r["errors"]) for r in batch.report] == [(2, []), (4, [])]
    assert commit_import(member, batch) == 2
    cafe = Initiative.objects.get(title="Språkcafé")
    assert cafe.municipality.name == "Upplands Väsby"
    assert (cafe.start_date, cafe.participants_reached) == (datetime.date(2024, 3, 1), 42)
    assert [t.code for t in cafe.sdgs.all()] == ["11"]
    assert Initiative.objects.get(title="Läxhjälp").stage.code == "ide"


def test_bad_rows_are_named_and_nothing_is_saved(member, organisation):
    rows = swedish_rows()
    rows.insert(2, ["Kulturhus", "Ett hus för alla.", "Atlantis", "ide", "", "", "", "", ""])
    rows.insert(
        4, ["Sommarjobb", "Unga får jobb.", "Kalix", "test", "2024-05-01", "2023-01-01", "", "", ""]
    )
    batch = prepare_import(member, organisation, csv_file(rows))
    assert (batch.row_count, batch.error_count) == (5, 2)
    errors = {row["row"]: row["errors"] for row in batch.report if row["errors"]}
    assert set(errors) == {3, 5}
    assert errors[3][0]["column"] == "Kommun"
    assert errors[3][0]["text"].startswith("Row 3, column “Kommun”: ")
    assert "Atlantis" in errors[3][0]["text"]
    assert errors[5][0]["column"] == "Slutdatum"
    assert errors[5][0]["text"] == (
        "Row 5, column “Slutdatum”: The end date 2023-01-01 is before the start date 2024-05-01."
    )
    assert nothing_saved()
    assert not importing.can_commit(batch)
    with pytest.raises(ValidationError) as refused:
        commit_import(member, batch)
    assert refused.value.code == "has_errors"
    assert nothing_saved()


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("Startdatum", "1/3/2024", "“1/3/2024” is not a date. Write dates as YYYY-MM-DD"),
        ("Startdatum", "2024-02-30", "“2024-02-30” is not a date"),
        ("Skede", "klar", "Unknown stage “klar”. Use one of: ide, test, etablerad"),
        ("Skede", "", "Fill in the stage"),
        ("Deltagare", "-5", "cannot be negative"),
        ("Deltagare", "12,5", "“12,5” is not a whole number"),
        ("Globala mål", "4; 99", "Unknown codes: 99."),
        ("Utmaningar", "ingen-sadan", "Unknown codes: ingen-sadan."),
        ("Kommun", "", "Fill in the municipality"),
        ("Titel", "", "Fill in the title."),
    ],
)
def test_row_errors_name_the_row_and_the_column(member, organisation, column, value, expected):
    rows = swedish_rows()
    rows[2][SWEDISH_HEADER.index(column)] = value
    batch = prepare_import(member, organisation, csv_file(rows))
    assert batch.error_count == 1
    problem = next(row for row in batch.report if row["errors"])
    assert problem["row"] == 3
    texts = [error["text"] for error in problem["errors"]]
    assert any(text.startswith(f"Row 3, column “{column}”: ") for text in texts), texts
    assert any(expected in text for text in texts), texts
    assert nothing_saved()


def test_every_problem_of_a_row_is_shown_at_once(member, organisation):
    rows = swedish_rows()
    rows[1][:5] = ["x" * 201, "", "Atlantis", "klar", "igår"]
    batch = prepare_import(member, organisation, csv_file(rows))
    columns = {error["column"] for error in batch.report[0]["errors"]}
    assert columns == {"Titel", "Sammanfattning", "Kommun", "Skede", "Startdatum"}


def test_service_rules_apply_to_every_row(member, organisation):
    rows = [
        ["title", "summary", "kommunkod", "stage", "contact_email", "methods"],
        ["A", "B", "2480", "ide", "inte-en-adress", ""],
        ["C", "D", "2480", "ide", "", "Ingen sådan metod"],
        ["E", "F", "2480", "ide", "", ""],
    ]
    batch = prepare_import(member, organisation, csv_file(rows, delimiter=","))
    by_row = {row["row"]: [e["column"] for e in row["errors"]] for row in batch.report}
    assert by_row == {2: ["contact_email"], 3: ["methods"], 4: []}


def test_municipality_code_and_name_must_agree(member, organisation):
    rows = [
        ["title", "summary", "municipality_code", "municipality", "stage"],
        ["A", "B", "2480", "Kalix", "ide"],
        ["C", "D", "2480", "umeå kommun", "ide"],
        ["E", "F", "9999", "", "ide"],
        ["G", "H", "", "Håbo", "ide"],
        ["I", "J", "", "habo", "ide"],
    ]
    batch = prepare_import(member, organisation, csv_file(rows, delimiter=","))
    report = {row["row"]: row for row in batch.report}
    assert "The code 2480 is Umeå, not “Kalix”" in report[2]["errors"][0]["message"]
    assert report[3]["errors"] == [] and report[3]["municipality"] == "Umeå"
    assert "no municipality with the code “9999”" in report[4]["errors"][0]["message"]
    assert report[5]["municipality"] == "Håbo"
    assert report[6]["municipality"] == "Habo"  # Habo and Håbo are two municipalities


def test_hostile_cells_are_stored_as_text(member, organisation):
    formula = "=cmd|' /C calc'!A0"
    rows = [
        ["title", "summary", "municipality", "stage", "results"],
        [formula, "@SUM(1+1)*cmd|' /C calc'!A0", "Umeå", "ide", "+1+1"],
        ["<script>alert(1)</script>", "Text", "Umeå", "ide", ""],
    ]
    batch = prepare_import(member, organisation, csv_file(rows, delimiter=","))
    assert batch.error_count == 0, batch.report
    commit_import(member, batch)
    initiative = Initiative.objects.get(title=formula)
    assert initiative.summary == "@SUM(1+1)*cmd|' /C calc'!A0"
    assert initiative.results == "+1+1"
    assert Initiative.objects.filter(title="<script>alert(1)</script>").exists()


# --- commit: once, by the owner, all or nothing -----------------------------------------


def test_double_commit_imports_once(member, organisation):
    batch = prepare_import(member, organisation, csv_file(swedish_rows()))
    assert commit_import(member, batch) == 3
    with pytest.raises(ValidationError) as again:
        commit_import(member, ImportBatch.objects.get(pk=batch.pk))
    assert again.value.code == "imported"
    assert Initiative.objects.count() == 3
    assert AuditEntry.objects.filter(action="import.commit").count() == 1


def test_double_submit_of_the_page_imports_once(as_user, member, organisation):
    client = english(as_user(member))
    batch = prepare_import(member, organisation, csv_file(swedish_rows()))
    url = reverse("knowledge:import-commit", args=[batch.pk])
    first, second = client.post(url), client.post(url, follow=True)
    assert first.status_code == 302
    assert "This file has already been imported." in second.content.decode()
    assert Initiative.objects.count() == 3


def test_someone_else_cannot_commit_or_see_your_batch(as_user, member, coordinator, organisation):
    batch = prepare_import(member, organisation, csv_file(swedish_rows()))
    with pytest.raises(PermissionDenied):
        commit_import(coordinator, batch)
    assert (
        as_user(coordinator).get(reverse("knowledge:import-preview", args=[batch.pk])).status_code
        == 403
    )
    assert (
        as_user(coordinator).post(reverse("knowledge:import-commit", args=[batch.pk])).status_code
        == 403
    )
    assert not Initiative.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED


def test_outsider_cannot_prepare_for_an_organisation_they_are_not_in(outsider, organisation):
    with pytest.raises(PermissionDenied):
        prepare_import(outsider, organisation, csv_file(swedish_rows()))
    with pytest.raises(PermissionDenied):
        prepare_import(None, organisation, csv_file(swedish_rows()))
    assert not ImportBatch.objects.exists()


def test_coordinator_may_import_for_any_organisation(coordinator, organisation):
    batch = prepare_import(coordinator, organisation, csv_file(swedish_rows()))
    assert commit_import(coordinator, batch) == 3
    assert {p.organisation for i in Initiative.objects.all() for p in i.partnerships.all()} == {
        organisation
    }


def test_a_member_who_left_cannot_commit(member, organisation):
    batch = prepare_import(member, organisation, csv_file(swedish_rows()))
    member.memberships.all().delete()
    with pytest.raises(PermissionDenied):
        commit_import(member, batch)
    assert not Initiative.objects.exists()


@pytest.fixture
def one_title_only():
    """A real constraint the import does not check for: no two initiatives with one title."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE UNIQUE INDEX test_one_title ON knowledge_initiative (title)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX test_one_title")


def test_a_database_error_in_a_later_batch_leaves_nothing(
    member, organisation, one_title_only, monkeypatch
):
    monkeypatch.setattr(services.bulk, "BULK_BATCH_SIZE", 2)  # rows 2-3 are saved before it fails
    monkeypatch.setattr(search.writing, "INDEX_BATCH_SIZE", 2)
    rows = [["title", "summary", "kommun", "stage", "utmaningar"]]
    rows += [[f"Språkcafé {n}", "Samtal.", "Umeå", "ide", "integration"] for n in range(4)]
    rows.append(["Språkcafé 0", "Samma titel igen.", "Kalix", "test", ""])
    batch = prepare_import(member, organisation, csv_file(rows))
    assert batch.error_count == 0
    with pytest.raises(ValidationError) as failed:
        commit_import(member, batch)
    assert failed.value.messages == [
        "Nothing was imported: the database refused to save the rows. Correct the file and "
        "upload it again."
    ]
    assert nothing_saved()
    assert not Partnership.objects.exists()
    assert not Initiative.challenges.through.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert AuditEntry.objects.filter(action="import.fail").exists()
    assert not AuditEntry.objects.filter(action="import.commit").exists()
    with pytest.raises(ValidationError):
        commit_import(member, batch)


def test_a_change_in_the_bank_after_the_check_stops_the_whole_import(member, organisation):
    method = make_method(member, title="Fritidsbank")
    rows = [
        ["title", "summary", "kommun", "stage", "methods"],
        ["A", "B", "Umeå", "ide", ""],
        ["C", "D", "Umeå", "ide", "Fritidsbank"],
    ]
    batch = prepare_import(member, organisation, csv_file(rows))
    assert batch.error_count == 0
    method.delete()
    with pytest.raises(ValidationError) as failed:
        commit_import(member, batch)
    assert "Row 3, column “methods”" in failed.value.messages[0]
    assert not Initiative.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


# --- files that cannot be read ----------------------------------------------------------


def test_too_large_file(member, organisation, settings):
    settings.IMPORT_MAX_BYTES = 1000
    message = file_error(member, organisation, csv_file(swedish_rows() * 10))
    assert "the largest file that can be imported is" in message


def test_non_spreadsheet_renamed_xlsx(member, organisation):
    message = file_error(member, organisation, b"%PDF-1.7\n\x00\x01binary", "rapport.xlsx")
    assert "is named .xlsx but is not an Excel workbook" in message
    message = file_error(member, organisation, csv_file(swedish_rows()), "text.xlsx")
    assert "not an Excel workbook" in message


def zip_bomb(unpacked_bytes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as entry:
            for _ in range(unpacked_bytes // (1024 * 1024)):
                entry.write(b"\x00" * 1024 * 1024)
    return buffer.getvalue()


def test_zip_bomb(member, organisation, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024
    bomb = zip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 200 * 1024
    message = file_error(member, organisation, bomb, "bomb.xlsx")
    assert "unpacks to more than 8 MB" in message


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"", "tom.csv", "The file is empty."),
        (b"\xef\xbb\xbf\r\n", "tom.csv", "The file is empty."),
        (b"Titel;Sammanfattning;Kommun;Skede\n", "rubrik.csv", "no initiatives under it"),
        (b"title,summary\nA,\"B\nC,D\n", "x.csv", "cannot be read from row 2"),
        (b"title\nx\n", "x.pdf", "Only .csv and .xlsx files can be imported."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "gammal.xlsx",
         "old Excel file (.xls)"),
    ],
)  # fmt: skip
def test_unreadable_files_are_explained(member, organisation, content, name, expected):
    assert expected in file_error(member, organisation, content, name)


def test_row_limit(member, organisation, settings):
    settings.IMPORT_MAX_ROWS = 2
    assert "more than 2 rows" in file_error(member, organisation, csv_file(swedish_rows()))


# --- Participedia -----------------------------------------------------------------------


@pytest.fixture
def participedia_sample() -> Path:
    return shared_file(PARTICIPEDIA_SAMPLE_NAME)


@pytest.fixture
def participedia(participedia_sample) -> tuple[list[str], list[list[str]]]:
    with participedia_sample.open(encoding="utf-8", newline="") as sample:
        header, *rows = list(csv.reader(sample))
    return header, rows


def test_participedia_world_cases_import_with_their_country_and_city(
    member, organisation, participedia, participedia_sample
):
    """The real export's ten cases (Canada, the United States, China, Germany): none is
    refused; each is an international example with its country and its city (else its
    province, else the country's name)."""
    header, rows = participedia
    batch = prepare_import(
        member, organisation, participedia_sample.read_bytes(), "participedia.csv"
    )
    assert batch.format == ImportBatch.Format.PARTICIPEDIA
    assert (batch.row_count, batch.error_count) == (len(rows), 0), batch.report
    assert batch.report[1]["municipality"] == "Minneapolis, United States"
    assert commit_import(member, batch) == len(rows)
    found = {i.title: i for i in Initiative.objects.all()}
    column = {name: header.index(name) for name in ("title", "country", "city", "province")}
    expected_codes = {"Canada": "CA", "United States": "US", "China": "CN", "Germany": "DE"}
    for row in rows:
        initiative = found[row[column["title"]]]
        assert initiative.is_international and initiative.municipality_id is None
        assert initiative.country == expected_codes[row[column["country"]]]
        place = row[column["city"]] or row[column["province"]] or row[column["country"]]
        assert initiative.place == place[:200].rstrip(" ,")
    assert found["Wenling City Deliberative Poll"].place == "Taizhou"
    assert found["Citizens' Forum Europe"].place == "Germany"


def test_a_swedish_participedia_case_imports(member, organisation, participedia):
    header, rows = participedia
    case = dict(zip(header, rows[0], strict=True))
    case.update(country="Sweden", city="Umeå")
    content = csv_file([header, [case[name] for name in header]], delimiter=",")
    batch = prepare_import(member, organisation, content, "participedia.csv")
    assert batch.error_count == 0, batch.report
    assert batch.report[0]["municipality"] == "Umeå"
    assert commit_import(member, batch) == 1
    initiative = Initiative.objects.get()
    assert initiative.title == case["title"]
    assert initiative.start_date == datetime.date.fromisoformat(case["start_date"])
    assert initiative.end_date == datetime.date.fromisoformat(case["end_date"])
    assert initiative.participants_reached == int(float(case["number_of_participants_1"]))
    assert initiative.municipality_id == "2480"
    assert initiative.stage.code == "avslutad"
    assert initiative.description == case["body"].strip()
    assert initiative.summary == " ".join(case["description"].split())[:400]
    assert initiative.link_list == [case["url"]]


def test_participedia_city_must_be_a_swedish_municipality(member, organisation, participedia):
    header, rows = participedia
    lines = [header]
    for index, (city, country, ongoing) in enumerate(
        [("Atlantis", "Sweden", "0"), ("", "Sverige", "0"), ("MALMO", "sweden", "1")]
    ):
        case = dict(zip(header, rows[index], strict=True))
        case.update(city=city, country=country, ongoing=ongoing)
        if ongoing == "1":
            case.update(end_date="", description="")
        lines.append([case[name] for name in header])
    batch = prepare_import(member, organisation, csv_file(lines, delimiter=","), "p.csv")
    report = batch.report
    assert "No Swedish municipality is called “Atlantis”" in report[0]["errors"][0]["text"]
    assert "is in Sweden but has no city" in report[1]["errors"][0]["text"]
    assert report[2]["errors"] == [] and report[2]["municipality"] == "Malmö"
    importable = ImportBatch.objects.get(pk=batch.pk)
    assert not importing.can_commit(importable)


def test_summary_is_shortened_at_a_word_boundary():
    text = "ord " * 200
    short = importing.shorten(text, 400)
    assert len(short) <= 400 and short.endswith("ord…")
    assert importing.shorten("  kort   text ", 400) == "kort text"


# --- pages ------------------------------------------------------------------------------


def test_upload_preview_and_import_through_the_pages(as_user, member, organisation):
    client = english(as_user(member))
    listing = client.get(reverse("knowledge:initiative-list")).content.decode()
    assert reverse("knowledge:import") in listing
    page = client.get(reverse("knowledge:import"))
    assert page.status_code == 200
    assert "municipality_code" in page.content.decode()
    response = client.post(
        reverse("knowledge:import"),
        {
            "lead": organisation.pk,
            "file": SimpleUploadedFile("initiativ.csv", csv_file(swedish_rows())),
        },
    )
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("knowledge:import-preview", args=[batch.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "Import 3 initiatives" in preview
    assert "Språkcafé på biblioteket" in preview
    assert not Initiative.objects.exists()
    done = client.post(reverse("knowledge:import-commit", args=[batch.pk]), follow=True)
    assert "3 initiatives were imported." in done.content.decode()
    assert Initiative.objects.count() == 3


def test_preview_of_a_file_with_errors_cannot_be_confirmed(as_user, member, organisation):
    client = english(as_user(member))
    rows = swedish_rows()
    rows[2][2] = "Atlantis"
    client.post(
        reverse("knowledge:import"),
        {"lead": organisation.pk, "file": SimpleUploadedFile("fel.csv", csv_file(rows))},
    )
    batch = ImportBatch.objects.get()
    page = client.get(reverse("knowledge:import-preview", args=[batch.pk])).content.decode()
    assert "1 of 3 rows has errors" in page
    assert "Nothing has been saved" in page
    assert "Row 3, column “Kommun”" in page
    assert 'id="import-commit-form"' not in page  # only the explicit choice to skip the row
    assert "Skip the 1 row with errors" in page


def test_unreadable_upload_is_a_form_error_not_a_500(as_user, member, organisation):
    client = english(as_user(member))
    response = client.post(
        reverse("knowledge:import"),
        {"lead": organisation.pk, "file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
    )
    assert response.status_code == 400
    assert "is not an Excel workbook" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_upload_form_offers_only_own_organisations(as_user, member, organisation, outsider):
    other = OrganisationFactory(name="Någon annans förening")
    response = english(as_user(member)).post(
        reverse("knowledge:import"),
        {"lead": other.pk, "file": SimpleUploadedFile("x.csv", csv_file(swedish_rows()))},
    )
    assert response.status_code == 400
    assert not ImportBatch.objects.exists()
    assert as_user(outsider).get(reverse("knowledge:import"))["Location"] == reverse(
        "accounts:organisation-create"
    )
    assert as_user(None).get(reverse("knowledge:import")).status_code == 302


def test_template_has_the_columns(client):
    response = client.get(reverse("knowledge:import-template"))
    header = response.content.decode("utf-8-sig").strip().split(",")
    assert header[:4] == ["title", "summary", "municipality_code", "municipality"]


# --- API --------------------------------------------------------------------------------


def api_upload(client, user, organisation, content: bytes, name: str = "initiativ.csv"):
    return client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile(name, content), "lead_organisation": organisation.pk},
        **(bearer(user) if user else {}),
    )


def test_api_prepare_and_commit(client, member, organisation, coordinator):
    created = api_upload(client, member, organisation, csv_file(swedish_rows()))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["row_count"], body["error_count"], body["errors"]) == (3, 0, [])
    assert body["can_commit"] is True
    url = f"/api/v1/imports/{body['id']}/commit"
    assert client.post(url, **bearer(coordinator)).status_code == 403
    done = client.post(url, **bearer(member))
    assert done.status_code == 200
    assert done.json() == {"id": body["id"], "imported": 3, "skipped": 0}
    again = client.post(url, **bearer(member))
    assert again.status_code == 400
    assert again.json()["detail"] == "This file has already been imported."
    assert Initiative.objects.count() == 3
    assert client.post("/api/v1/imports/999999/commit", **bearer(member)).status_code == 404


def test_api_reports_row_errors_and_refuses_to_commit(client, member, organisation):
    rows = swedish_rows()
    rows[2][2] = "Atlantis"
    body = api_upload(client, member, organisation, csv_file(rows)).json()
    assert body["error_count"] == 1 and body["can_commit"] is False
    assert body["errors"][0]["row"] == 3 and body["errors"][0]["column"] == "Kommun"
    response = client.post(f"/api/v1/imports/{body['id']}/commit", **bearer(member))
    assert response.status_code == 400
    assert not Initiative.objects.exists()


def test_api_unreadable_file_and_permissions(client, member, outsider, organisation):
    unreadable = api_upload(client, member, organisation, b"\x00\x01", "x.xlsx")
    assert unreadable.status_code == 400
    assert "file" in unreadable.json()["errors"]
    assert api_upload(client, None, organisation, csv_file(swedish_rows())).status_code == 401
    assert api_upload(client, outsider, organisation, csv_file(swedish_rows())).status_code == 403
    unknown = client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("x.csv", b"x"), "lead_organisation": 999999},
        **bearer(member),
    )
    assert unknown.status_code == 400
    assert not ImportBatch.objects.exists()


def test_stale_uploads_are_pruned_and_imported_ones_kept(member, organisation):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from hjulet.core.models import AuditEntry
    from hjulet.knowledge.models import ImportBatch

    def batch(status, days_old):
        made = ImportBatch.objects.create(
            user=member,
            lead=organisation,
            filename="x.csv",
            file_type="csv",
            format="hjulet",
            content=b"x",
            status=status,
        )
        ImportBatch.objects.filter(pk=made.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_old)
        )
        return made.pk

    old_preview = batch(ImportBatch.Status.PREVIEWED, 10)
    recent_preview = batch(ImportBatch.Status.PREVIEWED, 1)
    old_imported = batch(ImportBatch.Status.IMPORTED, 30)
    call_command("prune_imports", "--days", "7")
    remaining = set(ImportBatch.objects.values_list("pk", flat=True))
    assert remaining == {recent_preview, old_imported}
    assert old_preview not in remaining
    assert AuditEntry.objects.filter(action="import.prune").count() == 1


# --- bulk: many rows, few queries ------------------------------------------------------


def bulk_rows(count: int, *, method_title: str = "") -> list[list]:
    rows = [["title", "summary", "kommunkod", "stage", "utmaningar", "målgrupper", "sdg",
             "metoder", "startdatum", "deltagare", "beskrivning"]]  # fmt: skip
    codes = ["2480", "2514", "0180", "1480"]
    for n in range(count):
        rows.append(
            [
                f"Mötesplats nummer{n}",
                f"Grannar träffas, omgång {n}.",
                codes[n % len(codes)],
                ["ide", "test", "etablerad"][n % 3],
                "integration; ensamhet" if n % 2 else "integration",
                "unga",
                "4, 10" if n % 2 else "3",
                method_title if n % 5 == 0 else "",
                f"2024-01-{n % 28 + 1:02d}",
                str(n),
                f"Ordet kodnamn{n} finns bara i den här raden.",
            ]
        )
    return rows


def test_a_bulk_import_saves_every_row_with_its_relations_history_and_index(member, organisation):
    method = make_method(member, title="Språkcafé")
    count = 40
    batch = prepare_import(
        member, organisation, csv_file(bulk_rows(count, method_title="Språkcafé"))
    )
    assert (batch.row_count, batch.error_count) == (count, 0), batch.report
    assert commit_import(member, batch) == count

    initiatives = list(Initiative.objects.order_by("pk"))
    assert len(initiatives) == count
    assert Partnership.objects.filter(organisation=organisation, role=PartnerRole.LEAD).count() == (
        count
    )
    assert Initiative.challenges.through.objects.count() == count + count // 2
    assert Initiative.target_groups.through.objects.count() == count
    assert Initiative.sdgs.through.objects.count() == count // 2 * 2 + count // 2
    assert list(method.initiatives.order_by("pk")) == initiatives[::5]
    assert len({i.slug for i in initiatives}) == count
    seventh = Initiative.objects.get(title="Mötesplats nummer7")
    assert seventh.municipality_id == "1480" and seventh.stage.code == "test"
    assert seventh.participants_reached == 7 and seventh.start_date == datetime.date(2024, 1, 8)
    assert sorted(t.code for t in seventh.challenges.all()) == ["ensamhet", "integration"]
    assert sorted(t.code for t in seventh.sdgs.all()) == ["10", "4"]
    for n in (0, 7, count - 1):
        # The row's own word first (near spellings such as kodnamn1 → kodnamn2 follow).
        found = search.search(f"kodnamn{n}", kinds=["initiative"])
        assert found[0].pk == Initiative.objects.get(title=f"Mötesplats nummer{n}").pk
        assert found[0].score > max((hit.score for hit in found[1:]), default=0)
    assert {hit.pk for hit in search.search("mötesplats", kinds=["initiative"])} == {
        i.pk for i in initiatives
    }
    history = AuditEntry.objects.filter(
        action="initiative.create", target_id=str(seventh.pk), actor=member
    ).get()
    assert history.changes["title"] == [None, "Mötesplats nummer7"]
    assert history.changes["partners"] == [None, [organisation.name]]
    assert history.changes["challenges"] == [None, ["ensamhet", "integration"]]
    assert AuditEntry.objects.filter(action="initiative.create").count() == count
    assert AuditEntry.objects.get(action="import.commit").changes == {"imported": [None, count]}


def test_same_titles_get_their_own_addresses(member, organisation):
    make_initiative(member, title="Läxhjälp")
    rows = [["title", "summary", "kommun", "stage"]] + [["Läxhjälp", "Hjälp.", "Umeå", "ide"]] * 3
    commit_import(member, prepare_import(member, organisation, csv_file(rows)))
    assert sorted(Initiative.objects.values_list("slug", flat=True)) == [
        "laxhjalp",
        "laxhjalp-2",
        "laxhjalp-3",
        "laxhjalp-4",
    ]


def test_an_error_in_the_last_of_many_rows_rejects_the_whole_file(member, organisation):
    rows = bulk_rows(150)
    rows[-1][2] = "9999"
    batch = prepare_import(member, organisation, csv_file(rows))
    assert (batch.row_count, batch.error_count) == (150, 1)
    listed = [row["row"] for row in batch.report]
    assert listed == [*range(2, 2 + importing.PREVIEW_ROWS), 151]  # first rows and the wrong one
    assert "Row 151, column “kommunkod”" in batch.report[-1]["errors"][0]["text"]
    with pytest.raises(ValidationError):
        commit_import(member, batch)
    assert nothing_saved() and not Initiative.objects.exists()


def import_queries(member, organisation, count: int) -> int:
    content = csv_file(bulk_rows(count))
    with CaptureQueriesContext(connection) as context:
        commit_import(member, prepare_import(member, organisation, content))
    assert Initiative.objects.count() == count
    Initiative.objects.all().delete()
    return len(context.captured_queries)


def test_the_queries_of_an_import_grow_with_its_batches_not_its_rows(
    member, organisation, monkeypatch
):
    monkeypatch.setattr(services.bulk, "BULK_BATCH_SIZE", 50)
    monkeypatch.setattr(search.writing, "INDEX_BATCH_SIZE", 50)
    few = import_queries(member, organisation, 10)  # one batch
    # Each further batch writes initiatives (in two INSERTs on SQLite, whose statements take
    # at most 999 parameters), partnerships, named editors (the importer), three kinds of
    # tags (up to 100 links each here, so two INSERTs), audit entries and search documents
    # (six statements): at most 21 statements. Saving row by row would take more than 10 a row.
    per_batch = 21
    many = import_queries(member, organisation, 200)  # four batches
    assert many <= few + per_batch * (200 // 50 - 1), (few, many)


def test_the_bulk_service_checks_permission_and_every_entry(member, outsider, organisation):
    entry = {
        "title": "Språkcafé",
        "summary": "Samtal.",
        "municipality": Municipality.objects.get(code="2480"),
        "stage": term(Vocabulary.STAGE, "ide"),
    }
    with pytest.raises(PermissionDenied):
        services.initiative_create_many(actor=outsider, lead=organisation, entries=[entry])
    with pytest.raises(services.InvalidEntry) as refused:
        services.initiative_create_many(
            actor=member,
            lead=organisation,
            entries=[entry, {**entry, "contact_email": "inte-en-adress"}],
        )
    assert refused.value.index == 1 and "contact_email" in refused.value.message_dict
    with pytest.raises(services.InvalidEntry) as wrong_term:
        services.initiative_create_many(
            actor=member,
            lead=organisation,
            entries=[{**entry, "challenges": [term(Vocabulary.SDG, "4")]}],
        )
    assert "challenges" in wrong_term.value.message_dict
    assert not Initiative.objects.exists()


def test_limits_and_refusals_are_explained_in_swedish(member, outsider, organisation, settings):
    assert importing.max_rows() == 100_000
    settings.IMPORT_MAX_ROWS = 2
    with translation.override("sv"), pytest.raises(ValidationError) as too_many:
        importing.import_prepare(
            actor=member,
            upload=SimpleUploadedFile("x.csv", csv_file(swedish_rows())),
            lead=organisation,
        )
    assert too_many.value.message_dict["file"] == [
        "Filen har fler än 2 rader med initiativ. Dela upp den i mindre filer."
    ]
    with translation.override("sv"), pytest.raises(PermissionDenied) as refused:
        importing.import_prepare(
            actor=outsider,
            upload=SimpleUploadedFile("x.csv", csv_file(swedish_rows())),
            lead=organisation,
        )
    assert str(refused.value).startswith("Du kan bara importera initiativ")


def test_the_preview_of_a_long_file_lists_its_first_rows_and_its_errors(
    as_user, member, organisation
):
    rows = bulk_rows(130)
    rows[120][3] = "klar"
    batch = prepare_import(member, organisation, csv_file(rows))
    page = english(as_user(member)).get(reverse("knowledge:import-preview", args=[batch.pk]))
    text = page.content.decode()
    assert "1 of 130 rows has errors" in text
    assert "The table lists 101 of the 130 rows" in text
    assert "Row 121, column “stage”" in text
    assert 'id="row-101"' in text and 'id="row-102"' not in text
