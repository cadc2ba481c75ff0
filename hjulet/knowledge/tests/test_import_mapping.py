"""Column mapping, long summaries, importing the correct rows and the error report."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.core.models import AuditEntry
from hjulet.knowledge import import_mapping, importing
from hjulet.knowledge.models import ColumnMapping, ImportBatch, Initiative

from .factories import commit_import, make_method, prepare_import
from .test_import import bearer, csv_file, english, nothing_saved, one_title_only, xlsx_file

pytestmark = pytest.mark.django_db
assert one_title_only  # a fixture, used below

#: Like Nesta's DSI4EU project list: other column names, in English, and no stage.
DSI_HEADER = ["Project name", "Description", "Start date", "City", "Country", "Website"]
LONG_DESCRIPTION = (
    "Ett språkcafé där nyanlända och boende i Umeå möts varje vecka, t.ex. på biblioteket. "
    + "Volontärer leder samtalen och ordnar utflykter i staden under hela året. " * 6
    + "Den sista meningen får inte plats."
)


def dsi_rows() -> list[list[str]]:
    return [
        DSI_HEADER,
        ["Språkcafé Umeå", LONG_DESCRIPTION, "2021-09-01", "Umeå", "Sweden", "https://exempel.se"],
        ["Läxhjälp Kalix", "Frivilliga hjälper barn med läxorna.", "", "Kalix", "Sweden", ""],
        ["Kulturhus", "Ett hus för alla.", "", "Atlantis", "Sweden", ""],
    ]


def prepare(actor, lead, content: bytes, name: str = "projekt.csv", saved=None) -> ImportBatch:
    return prepare_import(actor, lead, content, name, saved_mapping=saved)


def remap(actor, batch, fields, **defaults) -> ImportBatch:
    with translation.override("en"):
        mapping = import_mapping.Mapping(batch.mapping["header"], fields, defaults)
        return import_mapping.import_remap(actor=actor, batch=batch, mapping=mapping)


def fields_of(batch: ImportBatch) -> dict[str, str]:
    return dict(zip(batch.mapping["header"], batch.mapping["fields"], strict=True))


# --- the proposal -----------------------------------------------------------------------


def test_foreign_english_headers_are_proposed_a_field_each():
    mapping = import_mapping.propose(DSI_HEADER)
    assert dict(zip(DSI_HEADER, mapping.fields, strict=True)) == {
        "Project name": "title",
        "Description": "description",
        "Start date": "start_date",
        "City": "municipality",
        "Country": "country",
        "Website": "links",
    }
    with translation.override("en"):
        assert import_mapping.missing_required(mapping) == ["Stage (or a stage for every row)"]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Projekt namn", "title"),
        ("Startdate", "start_date"),
        ("Kommun namn", "municipality"),
        ("SAMMANFATTNING", "summary"),
        ("Skede ", "stage"),
        ("Contact e-mail", "contact_email"),
        ("Project website", "links"),
        ("Målgrupp", "target_groups"),
    ],
)
def test_near_misses_and_other_languages_are_matched(header, field):
    assert import_mapping.propose([header]).fields == [field]


@pytest.mark.parametrize("header", ["Budget", "Organisation", "Id", ""])
def test_unrelated_columns_are_ignored(header):
    assert import_mapping.propose([header]).fields == [""]


def test_each_field_is_proposed_for_one_column_only_the_best_match():
    mapping = import_mapping.propose(["Projekt namn", "Titel", "Summary", "Sammanfattning"])
    assert mapping.fields == ["", "title", "summary", ""]  # exact beats near
    mapping = import_mapping.propose(["Name", "Titel"])
    assert mapping.fields == ["title", ""]  # a tie: the column further left


def test_hjulets_own_swedish_header_needs_no_choice():
    header = ["Titel", "Sammanfattning", "Kommunkod", "Skede", "Globala mål", "E-post"]
    mapping = import_mapping.propose(header)
    assert mapping.fields == [
        "title",
        "summary",
        "municipality_code",
        "stage",
        "sdgs",
        "contact_email",
    ]
    assert import_mapping.missing_required(mapping) == []


# --- choosing the columns ---------------------------------------------------------------


def test_a_file_with_foreign_headers_is_kept_until_its_columns_are_chosen(member, organisation):
    batch = prepare(member, organisation, csv_file(dsi_rows(), delimiter=","))
    assert batch.format == ImportBatch.Format.HJULET
    assert fields_of(batch)["Project name"] == "title"
    assert (batch.row_count, batch.error_count) == (3, 0)
    with translation.override("en"):
        assert importing.mapping_missing(batch) == ["Stage (or a stage for every row)"]
    assert not importing.can_commit(batch)
    with pytest.raises(ValidationError) as refused:
        commit_import(member, batch)
    assert refused.value.code == "mapping_incomplete"
    assert nothing_saved()


def test_chosen_columns_check_the_rows_and_the_good_ones_import(member, organisation):
    batch = prepare(member, organisation, csv_file(dsi_rows(), delimiter=","))
    fields = ["title", "description", "start_date", "municipality", "", "links"]
    batch = remap(member, batch, fields, stage="test")
    assert (batch.row_count, batch.error_count, batch.warning_count) == (3, 1, 1)
    report = {row["row"]: row for row in batch.report}
    assert "Atlantis" in report[4]["errors"][0]["text"]
    assert report[2]["warnings"][0]["column"] == "Description"
    assert "cut after the last whole sentence" in report[2]["warnings"][0]["message"]
    assert AuditEntry.objects.filter(action="import.remap", target_id=str(batch.pk)).exists()
    assert not importing.can_commit(batch) and importing.can_commit_good_rows(batch)

    assert commit_import(member, batch, skip_bad_rows=True) == 2
    cafe = Initiative.objects.get(title="Språkcafé Umeå")
    assert cafe.summary.endswith("under hela året.")
    assert "t.ex. på biblioteket" in cafe.summary and len(cafe.summary) <= 400
    assert cafe.description == LONG_DESCRIPTION  # the whole text stays
    assert cafe.stage.code == "test" and cafe.link_list == ["https://exempel.se"]
    assert cafe.municipality.name == "Umeå"
    kalix = Initiative.objects.get(title="Läxhjälp Kalix")
    assert kalix.summary == "Frivilliga hjälper barn med läxorna."
    assert kalix.description == ""  # the short description became the summary, not both
    batch.refresh_from_db()
    assert (batch.imported_count, batch.skipped_count) == (2, 1)
    assert AuditEntry.objects.get(action="import.commit").changes == {
        "imported": [None, 2],
        "skipped": [None, 1],
    }


@pytest.mark.parametrize(
    ("fields", "defaults", "expected"),
    [
        (["title", "description", "", "municipality", "", ""], {},
         "Not chosen: Stage (or a stage for every row)."),
        (["", "", "", "", "", ""], {"stage": "ide"},
         "Not chosen: Title, Summary (or Description), Municipality, Municipality code or Place."),
        (["title", "description", "", "municipality", "municipality", ""], {"stage": "ide"},
         "The columns D (“City”) and E (“Country”) are both chosen for “Municipality”."),
        (["title", "budget", "", "municipality", "", ""], {"stage": "ide"},
         "Unknown fields: budget."),
        (["title", "description"], {"stage": "ide"}, "for each of the 6 columns"),
        (["title", "description", "", "municipality", "", ""], {"stage": "klar"},
         "Unknown stage “klar”."),
    ],
)  # fmt: skip
def test_a_wrong_choice_is_explained_and_changes_nothing(
    member, organisation, fields, defaults, expected
):
    batch = prepare(member, organisation, csv_file(dsi_rows(), delimiter=","))
    before = batch.mapping
    with pytest.raises(ValidationError) as refused:
        remap(member, batch, fields, **defaults)
    assert any(expected in message for message in refused.value.messages), refused.value
    batch.refresh_from_db()
    assert batch.mapping == before


def test_the_missing_fields_are_named_in_swedish(member, organisation):
    batch = prepare(member, organisation, csv_file(dsi_rows(), delimiter=","))
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        import_mapping.import_remap(
            actor=member,
            batch=batch,
            mapping=import_mapping.Mapping(DSI_HEADER, [""] * 6, {}),
        )
    assert "Välj en kolumn för varje obligatoriskt fält" in refused.value.messages[0]


def test_only_the_uploader_may_choose_the_columns(member, org_admin, organisation):
    batch = prepare(member, organisation, csv_file(dsi_rows(), delimiter=","))
    with pytest.raises(PermissionDenied):
        remap(org_admin, batch, ["title", "description", "", "municipality", "", ""], stage="ide")


def test_columns_of_an_imported_file_cannot_be_changed(member, organisation):
    batch = prepare(member, organisation, csv_file(dsi_rows()[:3], delimiter=","))
    batch = remap(member, batch, ["title", "description", "", "municipality", "", ""], stage="ide")
    commit_import(member, batch)
    with pytest.raises(ValidationError) as refused:
        remap(member, batch, ["title", "summary", "", "municipality", "", ""], stage="ide")
    assert "can no longer be changed" in refused.value.messages[0]


def test_an_xlsx_file_is_mapped_too(member, organisation):
    rows = [["Name", "Summary", "Town", "Phase"], ["Fritidsbank", "Lån av saker.", "Kalix", "ide"]]
    batch = prepare(member, organisation, xlsx_file(rows), "projekt.xlsx")
    assert batch.mapping["fields"] == ["title", "summary", "municipality", "stage"]
    assert importing.can_commit(batch)
    assert commit_import(member, batch) == 1


# --- saved mappings ---------------------------------------------------------------------


def test_a_saved_mapping_reads_the_next_file_alike(member, organisation):
    chosen = import_mapping.Mapping(
        DSI_HEADER, ["title", "summary", "", "municipality", "", ""], {"stage": "etablerad"}
    )
    saved = import_mapping.column_mapping_save(
        actor=member, organisation=organisation, name="  DSI4EU  ", mapping=chosen
    )
    assert saved.name == "DSI4EU"
    assert saved.mapping["fields"]["start_date"] == ""  # chosen to be ignored, remembered
    assert AuditEntry.objects.filter(action="import_mapping.create").count() == 1

    batch = prepare(member, organisation, csv_file(dsi_rows(), delimiter=","), saved=saved)
    assert batch.mapping["fields"] == ["title", "summary", "", "municipality", "", ""]
    assert batch.mapping["defaults"] == {"stage": "etablerad"}
    assert importing.mapping_missing(batch) == []
    assert batch.error_count == 1  # Atlantis
    assert AuditEntry.objects.get(action="import.prepare").changes["mapping"] == [None, "DSI4EU"]

    again = import_mapping.column_mapping_save(
        actor=member, organisation=organisation, name="DSI4EU", mapping=chosen
    )
    assert again.pk == saved.pk and ColumnMapping.objects.count() == 1
    assert AuditEntry.objects.filter(action="import_mapping.update").count() == 1


def test_saving_a_mapping_checks_who_and_what(member, outsider, organisation):
    complete = import_mapping.Mapping(["Name", "Summary", "City"], ["title", "summary", "city"])
    with pytest.raises(ValidationError):  # "city" is no field
        import_mapping.column_mapping_save(
            actor=member, organisation=organisation, name="x", mapping=complete
        )
    good = import_mapping.Mapping(
        ["Name", "Summary", "City"], ["title", "summary", "municipality"], {"stage": "ide"}
    )
    with pytest.raises(PermissionDenied):
        import_mapping.column_mapping_save(
            actor=outsider, organisation=organisation, name="x", mapping=good
        )
    with translation.override("en"), pytest.raises(ValidationError) as unnamed:
        import_mapping.column_mapping_save(
            actor=member, organisation=organisation, name=" ", mapping=good
        )
    assert unnamed.value.message_dict == {"name": ["Give the mapping a name."]}
    assert not ColumnMapping.objects.exists()


def test_another_organisations_mapping_cannot_be_used(member, coordinator, organisation):
    other = OrganisationFactory(name="Annan förening")
    good = import_mapping.Mapping(
        ["Name", "Summary", "City"], ["title", "summary", "municipality"], {"stage": "ide"}
    )
    saved = import_mapping.column_mapping_save(
        actor=coordinator, organisation=other, name="Deras", mapping=good
    )
    assert list(import_mapping.usable_mappings(member)) == []
    assert list(import_mapping.usable_mappings(coordinator)) == [saved]
    with pytest.raises(PermissionDenied):
        prepare(member, organisation, csv_file(dsi_rows()), saved=saved)
    with pytest.raises(ValidationError) as refused:
        prepare(coordinator, organisation, csv_file(dsi_rows()), saved=saved)
    assert "belongs to Annan förening" in refused.value.messages[0]
    assert not ImportBatch.objects.exists()


# --- long summaries, every path ---------------------------------------------------------


def test_a_long_summary_in_hjulets_columns_is_cut_with_a_warning_not_refused(member, organisation):
    summary = "Första meningen om projektet. " + "Fler ord om det. " * 30
    rows = [["title", "summary", "kommun", "stage"], ["Läxhjälp", summary, "Umeå", "ide"]]
    batch = prepare(member, organisation, csv_file(rows))
    assert (batch.error_count, batch.warning_count) == (0, 1)
    assert batch.report[0]["warnings"][0]["text"].startswith("Row 2, column “summary”: ")
    commit_import(member, batch)
    saved = Initiative.objects.get().summary
    assert saved.endswith("Fler ord om det.") and len(saved) <= 400


def test_a_long_participedia_description_is_cut_the_same_way(member, organisation):
    header = ["type", "title", "body", "country", "city", "description", "ongoing"]
    description = "Invånare i Umeå samtalade om staden. " * 20
    rows = [header, ["case", "Medborgardialog", "Lång text.", "Sweden", "Umeå", description, "1"]]
    batch = prepare(member, organisation, csv_file(rows, delimiter=","), "p.csv")
    assert batch.format == ImportBatch.Format.PARTICIPEDIA
    assert batch.error_count == 0 and batch.warning_count == 1
    assert batch.report[0]["warnings"][0]["column"] == "description"
    commit_import(member, batch)
    assert Initiative.objects.get().summary.endswith("samtalade om staden.")


# --- importing the correct rows ---------------------------------------------------------


def last_row_fails() -> bytes:
    rows = [["title", "summary", "kommun", "stage"]]
    rows += [[f"Språkcafé {n}", "Samtal.", "Umeå", "ide"] for n in range(4)]
    rows.append(["Kulturhus", "Ett hus.", "Atlantis", "ide"])
    return csv_file(rows)


def test_a_file_whose_last_row_fails_imports_the_others_only_when_asked(member, organisation):
    batch = prepare(member, organisation, last_row_fails())
    assert (batch.row_count, batch.error_count) == (5, 1)
    with pytest.raises(ValidationError) as refused:
        commit_import(member, batch)
    assert refused.value.code == "has_errors"
    assert nothing_saved()
    assert commit_import(member, batch, skip_bad_rows=True) == 4
    assert sorted(Initiative.objects.values_list("title", flat=True)) == [
        f"Språkcafé {n}" for n in range(4)
    ]
    batch.refresh_from_db()
    assert (batch.status, batch.skipped_count) == (ImportBatch.Status.IMPORTED, 1)
    with pytest.raises(ValidationError):
        commit_import(member, batch, skip_bad_rows=True)
    assert Initiative.objects.count() == 4


def test_the_correct_rows_are_saved_in_one_transaction(member, organisation, one_title_only):
    rows = [["title", "summary", "kommun", "stage"]]
    rows += [[f"Språkcafé {n}", "Samtal.", "Umeå", "ide"] for n in range(3)]
    rows += [["Fel", "Fel.", "Atlantis", "ide"], ["Språkcafé 0", "Samma titel.", "Umeå", "ide"]]
    batch = prepare(member, organisation, csv_file(rows))
    assert batch.error_count == 1
    with pytest.raises(ValidationError) as failed:
        commit_import(member, batch, skip_bad_rows=True)
    assert "the database refused" in failed.value.messages[0]
    assert nothing_saved()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED


def test_rows_that_fail_only_after_the_check_are_not_skipped_silently(member, organisation):
    method = make_method(member, title="Fritidsbank")
    rows = [
        ["title", "summary", "kommun", "stage", "methods"],
        ["A", "B", "Umeå", "ide", ""],
        ["C", "D", "Umeå", "ide", "Fritidsbank"],
        ["E", "F", "Atlantis", "ide", ""],
    ]
    batch = prepare(member, organisation, csv_file(rows))
    assert batch.error_count == 1
    method.delete()
    with pytest.raises(ValidationError) as failed:
        commit_import(member, batch, skip_bad_rows=True)
    assert "Row 3, column “methods”" in failed.value.messages[0]
    assert not Initiative.objects.exists()


def test_a_file_of_only_bad_rows_has_nothing_to_import(member, organisation):
    rows = [["title", "summary", "kommun", "stage"], ["A", "B", "Atlantis", "ide"]]
    batch = prepare(member, organisation, csv_file(rows))
    assert not importing.can_commit_good_rows(batch)
    with pytest.raises(ValidationError) as refused:
        commit_import(member, batch, skip_bad_rows=True)
    assert "nothing to import" in refused.value.messages[0]


# --- the error report -------------------------------------------------------------------


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_error_report_lists_row_column_and_message_safely(member, organisation):
    rows = [["title", "summary", "=Kommun", "stage"], ["A", "B", "Atlantis", "ide"]]
    rows.append(["C", "D", "Umeå", "-klar"])
    batch = prepare(member, organisation, csv_file(rows))
    with translation.override("en"):
        report = read_csv(import_mapping.error_report_csv(batch))
    assert report[0] == ["Row", "Column", "Message"]
    assert report[1][:2] == ["2", "'=Kommun"]  # a spreadsheet shows it, does not run it
    assert "Atlantis" in report[1][2]
    assert report[2][:2] == ["3", "stage"] and "Unknown stage “-klar”" in report[2][2]


def test_the_error_report_has_every_error_even_beyond_the_listed_ones(
    member, organisation, monkeypatch
):
    monkeypatch.setattr(importing.checks, "MAX_LISTED_ROWS_WITH_ERRORS", 2)
    rows = [["title", "summary", "kommun", "stage"]]
    rows += [[f"R{n}", "S", "Atlantis", "ide"] for n in range(5)]
    batch = prepare(member, organisation, csv_file(rows))
    assert batch.error_count == 5 and len(batch.report) == 2
    report = read_csv(import_mapping.error_report_csv(batch))
    assert [line[0] for line in report[1:]] == ["2", "3", "4", "5", "6"]


def test_rows_with_warnings_do_not_crowd_the_errors_out_of_the_report(
    member, organisation, monkeypatch
):
    """Up to the limit, every row with errors is listed however many rows before it have
    only warnings (a long summary cut): they are counted apart. The errors stay listed
    after the correct rows are imported, when the file to check again is gone."""
    monkeypatch.setattr(importing.checks, "MAX_LISTED_ROWS_WITH_ERRORS", 2)
    rows = [["title", "summary", "kommun", "stage"]]
    rows += [[f"Lång {n}", LONG_DESCRIPTION, "Umeå", "ide"] for n in range(3)]
    rows += [["Fel", "S", "Atlantis", "ide"], ["Rätt", "S", "Umeå", "ide"]]
    batch = prepare_import(member, organisation, csv_file(rows))
    assert (batch.error_count, batch.warning_count) == (1, 3)
    # Rows 2 and 3 (warnings), not 4 (a third), then row 5 (an error) and 6 (correct).
    assert [(r["row"], bool(r["errors"])) for r in batch.report] == [
        (2, False),
        (3, False),
        (5, True),
        (6, False),
    ]
    assert commit_import(member, batch, skip_bad_rows=True) == 4
    batch.refresh_from_db()
    assert not batch.content
    report = read_csv(import_mapping.error_report_csv(batch))
    assert [line[0] for line in report[1:]] == ["5"]


# --- pages ------------------------------------------------------------------------------


def test_map_save_and_import_through_the_pages(as_user, member, organisation):
    client = english(as_user(member))
    response = client.post(
        reverse("knowledge:import"),
        {"lead": organisation.pk, "file": SimpleUploadedFile("dsi.csv", csv_file(dsi_rows()))},
    )
    batch = ImportBatch.objects.get()
    assert response.url == reverse("knowledge:import-preview", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "No column was found for: Stage" in page
    assert '<option value="title" selected>' in page
    assert 'id="import-commit-form"' not in page

    url = reverse("knowledge:import-remap", args=[batch.pk])
    choices = {
        f"field-{i}": name for i, name in enumerate(["title", "description", "", "", "", ""])
    }
    refused = client.post(url, {**choices, "default-stage": "ide"})
    assert refused.status_code == 400
    assert "Not chosen: Municipality, Municipality code or Place." in refused.content.decode()

    choices["field-3"] = "municipality"
    done = client.post(url, {**choices, "default-stage": "ide", "save_as": "DSI4EU"})
    assert done.status_code == 302
    assert ColumnMapping.objects.get().name == "DSI4EU"
    page = client.get(done.url).content.decode()
    assert "1 of 3 rows has errors" in page
    assert "Skip the 1 row with errors" in page
    assert reverse("knowledge:import-errors", args=[batch.pk]) in page

    commit_url = reverse("knowledge:import-commit", args=[batch.pk])
    unconfirmed = client.post(commit_url, {"skip_bad_rows": "1"})
    assert unconfirmed.status_code == 302 and not Initiative.objects.exists()
    client.post(commit_url, {"skip_bad_rows": "1", "confirm_skip": "on"})
    assert Initiative.objects.count() == 2

    upload = client.get(reverse("knowledge:import")).content.decode()
    assert "Fritidsbanken Umeå: DSI4EU" in upload


def test_the_error_report_page_is_the_uploaders_only(as_user, member, org_admin, organisation):
    batch = prepare(member, organisation, last_row_fails())
    url = reverse("knowledge:import-errors", args=[batch.pk])
    response = as_user(member).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert "Atlantis" in response.content.decode("utf-8-sig")
    assert as_user(org_admin).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302


# --- API --------------------------------------------------------------------------------


def dsi_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("dsi.csv", csv_file(dsi_rows()))


def test_api_map_save_and_import_the_good_rows(client, member, org_admin, organisation):
    upload = client.post(
        "/api/v1/imports",
        {"file": dsi_upload(), "lead_organisation": organisation.pk},
        **bearer(member),
    )
    assert upload.status_code == 201, upload.content
    body = upload.json()
    assert body["mapping"]["missing"] == ["Stage (or a stage for every row)"]
    assert body["can_commit"] is False
    url = f"/api/v1/imports/{body['id']}"
    proposal = client.get(f"{url}/mapping", **bearer(member)).json()
    assert [c["field"] for c in proposal["columns"]][:2] == ["title", "description"]
    assert client.get(f"{url}/mapping", **bearer(org_admin)).status_code == 403

    fields = [c["field"] for c in proposal["columns"]]
    refused = client.post(
        f"{url}/mapping", {"fields": fields}, content_type="application/json", **bearer(member)
    )
    assert refused.status_code == 400
    assert "Stage" in refused.json()["detail"]

    chosen = client.post(
        f"{url}/mapping",
        {"fields": fields, "defaults": {"stage": "ide"}, "save_as": "DSI4EU"},
        content_type="application/json",
        **bearer(member),
    )
    assert chosen.status_code == 200, chosen.content
    assert (chosen.json()["error_count"], chosen.json()["warning_count"]) == (1, 1)
    assert chosen.json()["can_commit_good_rows"] is True
    assert chosen.json()["warnings"][0]["row"] == 2

    report = client.get(f"{url}/errors.csv", **bearer(member))
    assert report.status_code == 200 and "Atlantis" in report.content.decode("utf-8-sig")
    assert client.get(f"{url}/errors.csv", **bearer(org_admin)).status_code == 403

    assert client.post(f"{url}/commit", **bearer(member)).status_code == 400
    done = client.post(f"{url}/commit?skip_bad_rows=true", **bearer(member))
    assert done.json() == {"id": body["id"], "imported": 2, "skipped": 1}

    saved = client.get("/api/v1/imports/mappings", **bearer(member)).json()
    assert [m["name"] for m in saved] == ["DSI4EU"]
    again = client.post(
        "/api/v1/imports",
        {"file": dsi_upload(), "lead_organisation": organisation.pk, "mapping": saved[0]["id"]},
        **bearer(member),
    )
    assert again.json()["mapping"]["missing"] == [] and again.json()["error_count"] == 1


def test_api_saves_a_mapping_for_members_only(client, member, outsider, organisation):
    payload = {
        "organisation": organisation.pk,
        "name": "Nesta",
        "header": ["Project name", "Summary", "City"],
        "fields": ["title", "summary", "municipality"],
        "defaults": {"stage": "ide"},
    }
    refused = client.post(
        "/api/v1/imports/mappings", payload, content_type="application/json", **bearer(outsider)
    )
    assert refused.status_code == 403
    created = client.post(
        "/api/v1/imports/mappings", payload, content_type="application/json", **bearer(member)
    )
    assert created.status_code == 201
    assert created.json()["fields"] == {
        "project_name": "title",
        "summary": "summary",
        "city": "municipality",
    }
    incomplete = client.post(
        "/api/v1/imports/mappings",
        {**payload, "defaults": {}},
        content_type="application/json",
        **bearer(member),
    )
    assert incomplete.status_code == 400 and "Stage" in incomplete.json()["detail"]
    fields = client.get("/api/v1/imports/fields", **bearer(member)).json()
    assert {"name": "title", "label": "Title"} in fields
