"""Participedia mapped, not dropped; international examples; the value-mapping table."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from hjulet.core.models import AuditEntry, Municipality, Vocabulary
from hjulet.core.tests.shared_data import shared_file
from hjulet.knowledge import import_mappings, importing, participedia, services
from hjulet.knowledge.models import ImportBatch, ImportValueMapping, Initiative, Method
from hjulet.lib import countries

from .factories import commit_import, make_initiative, make_method, prepare_import, term

pytestmark = pytest.mark.django_db

#: The columns of a Participedia case export this file's cases fill (the export has 111).
CASE_HEADER = [
    "id", "type", "title", "url", "description", "city", "province", "country",
    "specific_methods_tools_techniques_titles", "general_issues_1", "general_issues_2",
    "specific_topics_1", "targeted_participants_1", "start_date", "end_date", "ongoing",
    "number_of_participants_1", "body",
]  # fmt: skip


def case(**values: str) -> list[str]:
    defaults = {
        "id": "1",
        "type": "case",
        "title": "Budget Forum",
        "description": "Residents chose how to spend the budget.",
        "country": "United States",
        "city": "Oakland",
        "ongoing": "0",
        "body": "A longer text about the forum and what came of it.",
    }
    defaults.update(values)
    return [defaults.get(name, "") for name in CASE_HEADER]


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode("utf-8")


def prepare(actor, lead, content: bytes, name: str = "participedia.csv") -> ImportBatch:
    return prepare_import(actor, lead, content, name)


# --- cases ------------------------------------------------------------------------------


def test_methods_matched_by_title_or_proposed_and_accepted_by_a_coordinator(
    coordinator, organisation
):
    deliberation = make_method(coordinator, title="Deliberation")
    focus = make_method(coordinator, title="Focus groups")  # close to "Focus Group"
    make_method(coordinator, title="Survey research")  # not close enough to "Survey"
    methods = '(560,method,Deliberation), (4777,method,"Focus Group"), (565,method,Survey)'
    content = csv_bytes(
        CASE_HEADER,
        [
            case(specific_methods_tools_techniques_titles=methods),
            case(title="Second", specific_methods_tools_techniques_titles="(565,method,Survey)"),
        ],
    )
    batch = prepare(coordinator, organisation, content)
    assert batch.error_count == 0, batch.report
    mappings = participedia.batch_mappings(batch)
    assert {row.title: row.method for row in mappings.methods} == {
        "Deliberation": deliberation,
        "Focus Group": focus,
        "Survey": None,
    }
    assert [(row.title, row.rows, row.participedia_id) for row in mappings.proposed] == [
        ("Survey", 2, "565")
    ]
    created = participedia.method_proposals_accept(
        actor=coordinator, batch=batch, titles=["Survey", "Not proposed"]
    )
    assert [m.title for m in created] == ["Survey"]
    assert created[0].link_list == ["https://participedia.net/method/565"]
    assert AuditEntry.objects.filter(action="method.create", target_id=str(created[0].pk)).exists()
    assert AuditEntry.objects.filter(action="import.methods_accept").exists()
    assert participedia.batch_mappings(batch).proposed == []
    assert commit_import(coordinator, batch) == 2
    first = Initiative.objects.get(title="Budget Forum")
    assert set(first.methods.all()) == {deliberation, focus, created[0]}
    assert list(Initiative.objects.get(title="Second").methods.all()) == [created[0]]


def test_only_coordinators_accept_proposed_methods(member, organisation):
    content = csv_bytes(
        CASE_HEADER, [case(specific_methods_tools_techniques_titles="(1,method,X)")]
    )
    batch = prepare(member, organisation, content)
    with pytest.raises(PermissionDenied):
        participedia.method_proposals_accept(actor=member, batch=batch, titles=["X"])
    assert not Method.objects.exists()


def test_accepting_nothing_is_refused(coordinator, organisation):
    batch = prepare(coordinator, organisation, csv_bytes(CASE_HEADER, [case()]))
    with pytest.raises(ValidationError):
        participedia.method_proposals_accept(actor=coordinator, batch=batch, titles=["X"])


def test_issues_topics_and_target_groups_map_through_the_table(member, organisation):
    content = csv_bytes(
        CASE_HEADER,
        [
            case(
                general_issues_1="health",
                general_issues_2=" governance",  # seeded as skipped
                specific_topics_1="housing, unheard_of_topic",
                targeted_participants_1="immigrants",
            )
        ],
    )
    batch = prepare(member, organisation, content)
    rows = {(r.vocabulary.slug, r.value): r for r in participedia.batch_mappings(batch).values}
    assert rows[("challenge", "health")].term.code == "ohalsa"
    assert (
        rows[("challenge", "governance")].known and rows[("challenge", "governance")].term is None
    )
    assert not rows[("challenge", "unheard of topic")].known
    assert commit_import(member, batch) == 1
    initiative = Initiative.objects.get()
    assert {t.code for t in initiative.challenges.all()} == {"ohalsa", "boende"}
    assert [t.code for t in initiative.target_groups.all()] == ["nyanlanda"]


@pytest.mark.parametrize(
    ("ongoing", "end_date", "stage"),
    [
        ("0", "", "okant"),
        ("", "", "okant"),
        ("1", "", "etablerad"),
        ("0", "2009-03-31", "avslutad"),
    ],
)
def test_stage_is_unknown_when_the_case_says_nothing(
    member, organisation, ongoing, end_date, stage
):
    content = csv_bytes(CASE_HEADER, [case(ongoing=ongoing, end_date=end_date)])
    batch = prepare(member, organisation, content)
    assert commit_import(member, batch) == 1
    assert Initiative.objects.get().stage.code == stage


def test_the_summary_is_not_stored_twice(member, organisation):
    summary = "Residents chose how to spend the budget."
    content = csv_bytes(
        CASE_HEADER,
        [
            case(title="Same", description=summary, body=f"  {summary} "),
            case(title="Starts", description=summary, body=f"{summary} Then they voted."),
            case(title="Other", description=summary, body="Problems and Purpose. Text."),
        ],
    )
    assert commit_import(member, prepare(member, organisation, content)) == 3
    texts = dict(Initiative.objects.values_list("title", "description"))
    assert texts == {
        "Same": "",
        "Starts": "Then they voted.",
        "Other": "Problems and Purpose. Text.",
    }
    assert participedia.without_summary("Cut short…", "Cut short text") == "Cut short text"


def test_a_case_without_a_known_country_is_explained(member, organisation):
    content = csv_bytes(CASE_HEADER, [case(country=""), case(title="B", country="Atlantis")])
    batch = prepare(member, organisation, content)
    texts = [e["text"] for row in batch.report for e in row["errors"]]
    assert any("The case has no country" in text for text in texts)
    assert any("“Atlantis” is not a country we know" in text for text in texts)
    assert not importing.can_commit(batch)


def test_the_real_export_maps_its_values_and_proposes_its_methods(coordinator, organisation):
    content = shared_file("participedia-cases-sample.csv").read_bytes()
    batch = prepare(coordinator, organisation, content)
    mappings = participedia.batch_mappings(batch)
    proposed = {row.title for row in mappings.proposed}
    assert {"Deliberation", "Survey", "Online Deliberation"} <= proposed
    assert any(r.term and r.term.code == "ohalsa" for r in mappings.values)
    participedia.method_proposals_accept(actor=coordinator, batch=batch, titles=sorted(proposed))
    assert commit_import(coordinator, batch) == 10
    california = Initiative.objects.get(title="CaliforniaSpeaks")
    assert [m.title for m in california.methods.all()] == ["Survey"]
    assert [t.code for t in california.challenges.all()] == ["ohalsa"]


# --- the method export ------------------------------------------------------------------

#: A small file in the shape of Participedia's method export (its documented method fields:
#: no sample of it is in the shared data).
METHOD_HEADER = [
    "id", "type", "title", "url", "description", "body", "general_issues_1", "method_types_1",
    "purpose_method_1", "number_of_participants_1", "facetoface_online_or_both",
]  # fmt: skip


def test_the_method_export_imports_as_methods(coordinator, organisation):
    content = csv_bytes(
        METHOD_HEADER,
        [
            ["145", "method", "Citizens' Jury", "https://participedia.net/method/145",
             "A randomly selected group deliberates and makes recommendations.",
             "A randomly selected group deliberates and makes recommendations. It meets "
             "for several days.", "governance", "deliberative", "make", "12", "facetoface"],
            ["146", "method", "World Café", "https://participedia.net/method/146",
             "Small-table conversations in rounds.", "", "health", "deliberative", "", "", ""],
        ],
    )  # fmt: skip
    batch = prepare(coordinator, organisation, content, "methods.csv")
    assert batch.format == ImportBatch.Format.PARTICIPEDIA_METHODS
    assert batch.error_count == 0, batch.report
    assert commit_import(coordinator, batch) == 2
    jury = Method.objects.get(title="Citizens' Jury")
    assert jury.what == "It meets for several days."
    assert jury.link_list == ["https://participedia.net/method/145"]
    assert jury.language == "en"
    assert [t.code for t in Method.objects.get(title="World Café").challenges.all()] == ["ohalsa"]
    assert not Initiative.objects.exists()
    again = prepare(coordinator, organisation, content, "methods.csv")
    texts = [e["text"] for row in again.report for e in row["errors"]]
    assert any("already has a method called “Citizens' Jury”" in text for text in texts)


def test_a_case_in_a_method_export_is_refused(coordinator, organisation):
    content = csv_bytes(
        METHOD_HEADER, [["1", "case", "A case", "", "Text.", "", "", "", "", "", ""]]
    )
    batch = prepare(coordinator, organisation, content, "methods.csv")
    assert batch.error_count == 1
    assert "Only methods can be imported" in batch.report[0]["errors"][0]["text"]


# --- the value-mapping table ------------------------------------------------------------


def test_coordinators_keep_the_table_with_an_audit_entry(coordinator, member):
    challenge = Vocabulary.objects.get(slug=Vocabulary.CHALLENGE)
    mapping = import_mappings.value_mapping_set(
        actor=coordinator,
        source="participedia",
        vocabulary=challenge,
        value="Mental_Health ",
        term=term(Vocabulary.CHALLENGE, "ohalsa"),
    )
    assert mapping.key == "mental health"
    again = import_mappings.value_mapping_set(
        actor=coordinator, source="participedia", vocabulary=challenge, value="mental health",
        term=None,
    )  # fmt: skip
    assert again.pk == mapping.pk and again.term is None
    changes = AuditEntry.objects.filter(action="import.mapping_set", target_id=str(mapping.pk))
    assert changes.count() == 2
    with pytest.raises(PermissionDenied):
        import_mappings.value_mapping_set(
            actor=member, source="participedia", vocabulary=challenge, value="x", term=None
        )
    with pytest.raises(ValidationError) as error:
        import_mappings.value_mapping_set(
            actor=coordinator,
            source="participedia",
            vocabulary=challenge,
            value="x",
            term=term(Vocabulary.TARGET_GROUP, "barn"),
        )
    assert "term" in error.value.message_dict
    import_mappings.value_mapping_delete(actor=coordinator, mapping=again)
    assert not ImportValueMapping.objects.filter(pk=mapping.pk).exists()


def test_the_table_reads_unknown_values_of_hjulet_files(coordinator, member, organisation):
    challenge = Vocabulary.objects.get(slug=Vocabulary.CHALLENGE)
    import_mappings.value_mapping_set(
        actor=coordinator, source="hjulet", vocabulary=challenge, value="psykisk ohälsa",
        term=term(Vocabulary.CHALLENGE, "ohalsa"),
    )  # fmt: skip
    import_mappings.value_mapping_set(
        actor=coordinator, source="hjulet", vocabulary=challenge, value="övrigt", term=None
    )
    header = ["title", "summary", "municipality", "stage", "challenges"]
    good = ["A", "Text.", "Umeå", "test", "Psykisk ohälsa; övrigt; segregation"]
    bad = ["B", "Text.", "Umeå", "test", "okänd utmaning"]
    batch = prepare(member, organisation, csv_bytes(header, [good, bad]), "i.csv")
    assert batch.report[0]["errors"] == []
    assert "okänd utmaning" in batch.report[1]["errors"][0]["text"]
    batch = prepare(member, organisation, csv_bytes(header, [good]), "i.csv")
    assert commit_import(member, batch) == 1
    assert {t.code for t in Initiative.objects.get().challenges.all()} == {"ohalsa", "segregation"}


def test_seeding_keeps_what_coordinators_set(coordinator):
    challenge = Vocabulary.objects.get(slug=Vocabulary.CHALLENGE)
    health = ImportValueMapping.objects.get(
        source="participedia", vocabulary=challenge, key="health"
    )
    import_mappings.value_mapping_set(
        actor=coordinator, source="participedia", vocabulary=challenge, value="health", term=None
    )
    assert import_mappings.load_value_mappings() == 0
    health.refresh_from_db()
    assert health.term is None


# --- international examples -------------------------------------------------------------


def test_an_initiative_is_swedish_or_international(member, organisation):
    stage = term(Vocabulary.STAGE, "test")
    with pytest.raises(ValidationError) as error:
        make_initiative(member, country="US", place="")
    assert set(error.value.message_dict) == {"place", "municipality"}
    with pytest.raises(ValidationError) as error:
        make_initiative(member, municipality=None)
    assert "municipality" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        make_initiative(member, municipality=None, country="XX", place="Y")
    assert "country" in error.value.message_dict
    abroad = make_initiative(member, municipality=None, country="de", place="Berlin", stage=stage)
    assert abroad.country == "DE" and abroad.is_international
    with translation.override("sv"):
        assert abroad.place_name == "Berlin, Tyskland"
    with transaction.atomic(), pytest.raises(IntegrityError):
        Initiative.objects.filter(pk=abroad.pk).update(place="")


def test_moving_abroad_clears_the_municipality(member, organisation):
    initiative = make_initiative(member)
    moved = services.initiative_update(
        actor=member, initiative=initiative, country="NO", place="Tromsø"
    )
    assert moved.municipality is None and moved.place_name.startswith("Tromsø")


def test_the_list_filters_and_marks_international_examples(client, member, organisation):
    make_initiative(member, title="Hemma")
    make_initiative(member, title="Borta", municipality=None, country="DK", place="Aarhus")
    page = client.get(reverse("knowledge:initiative-list"), {"country": "international"})
    html = page.content.decode()
    assert "Borta" in html and "Hemma" not in html
    assert "Internationellt exempel" in html and "Aarhus, Danmark" in html
    everything = client.get(reverse("knowledge:initiative-list")).content.decode()
    assert 'value="international"' in everything and 'value="DK"' in everything
    only_sweden = client.get(reverse("knowledge:initiative-list"), {"country": "SE"})
    assert "Hemma" in only_sweden.content.decode() and "Borta" not in only_sweden.content.decode()
    found = client.get(reverse("knowledge:initiative-list"), {"q": "Aarhus"}).content.decode()
    assert "Borta" in found


def test_the_detail_page_shows_the_badge_and_country(client, member):
    borta = make_initiative(member, title="Borta", municipality=None, country="DK", place="Aarhus")
    html = client.get(reverse("knowledge:initiative-detail", args=[borta.slug])).content.decode()
    assert "Internationellt exempel" in html and "?country=DK" in html


def test_the_map_says_how_many_examples_it_cannot_show(client, member):
    make_initiative(member)
    assert "visas inte på kartan" not in client.get(reverse("knowledge:map")).content.decode()
    make_initiative(member, title="B", municipality=None, country="DK", place="Aarhus")
    make_initiative(member, title="C", municipality=None, country="US", place="Oakland")
    html = client.get(reverse("knowledge:map")).content.decode()
    assert "2 internationella exempel visas inte på kartan" in html
    assert "?country=international" in html


def test_the_api_lists_filters_and_writes_international_examples(as_user, member, organisation):
    make_initiative(member, title="Hemma")
    client = as_user(member)
    created = client.post(
        "/api/v1/initiatives",
        {
            "title": "Borta",
            "summary": "Ett exempel från Norge.",
            "lead_organisation": organisation.pk,
            "country": "NO",
            "place": "Bergen",
            "stage": "test",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["country"] == "NO" and body["municipality"] is None and body["is_international"]
    listed = client.get("/api/v1/initiatives", {"country": "international"}).json()
    assert [i["title"] for i in listed["items"]] == ["Borta"]
    refused = client.post(
        "/api/v1/initiatives",
        {"title": "X", "summary": "Y.", "lead_organisation": organisation.pk, "stage": "test"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "municipality" in refused.json()["errors"]


def test_the_form_takes_a_country_and_a_place(as_user, member, organisation):
    client = as_user(member)
    response = client.post(
        reverse("knowledge:initiative-create"),
        {
            "lead": organisation.pk,
            "title": "Borta",
            "summary": "Ett exempel från Finland.",
            "country": "FI",
            "municipality": Municipality.objects.get(code="2480").pk,
            "place": "Åbo",
            "stage": term(Vocabulary.STAGE, "test").pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Initiative.objects.get()
    assert (saved.country, saved.place, saved.municipality) == ("FI", "Åbo", None)


def test_exports_include_the_country(as_user, member):
    make_initiative(member, title="Borta", municipality=None, country="DK", place="Aarhus")
    response = as_user(member).get(reverse("knowledge:initiative-export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["country"], record["place"], record["municipality"]) == ("DK", "Aarhus", "")


def test_country_names_in_swedish_and_english():
    assert countries.country_code("Förenta staterna") in {"US", None}
    assert countries.country_code("Tyskland") == countries.country_code("germany") == "DE"
    assert countries.country_code("USA") == "US"
    assert countries.country_code("Atlantis") is None
    assert countries.country_name("DE", "sv") == "Tyskland"
    assert countries.country_name("DE", "en") == "Germany"


# --- pages and API for the mappings -----------------------------------------------------


def test_the_preview_lists_values_and_proposed_methods(as_user, coordinator, organisation):
    content = csv_bytes(
        CASE_HEADER,
        [case(specific_methods_tools_techniques_titles="(9,method,Survey)", general_issues_1="x")],
    )
    batch = prepare(coordinator, organisation, content)
    client = as_user(coordinator)
    html = client.get(reverse("knowledge:import-preview", args=[batch.pk])).content.decode()
    assert 'name="title" value="Survey"' in html
    assert reverse("knowledge:value-mappings") in html
    response = client.post(
        reverse("knowledge:import-accept-methods", args=[batch.pk]), {"title": ["Survey"]}
    )
    assert response.status_code == 302
    assert Method.objects.filter(title="Survey").exists()


def test_the_mapping_page_is_for_coordinators(as_user, coordinator, member):
    assert as_user(member).get(reverse("knowledge:value-mappings")).status_code == 403
    client = as_user(coordinator)
    assert "health" in client.get(reverse("knowledge:value-mappings")).content.decode()
    challenge = Vocabulary.objects.get(slug=Vocabulary.CHALLENGE)
    response = client.post(
        reverse("knowledge:value-mappings"),
        {"source": "participedia", "vocabulary": challenge.pk, "value": "loneliness",
         "term": term(Vocabulary.CHALLENGE, "ensamhet").pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert ImportValueMapping.objects.get(key="loneliness").term.code == "ensamhet"
    wrong = client.post(
        reverse("knowledge:value-mappings"),
        {"source": "participedia", "vocabulary": challenge.pk, "value": "kids",
         "term": term(Vocabulary.TARGET_GROUP, "barn").pk},
    )  # fmt: skip
    assert wrong.status_code == 400


def test_the_mapping_api(as_user, coordinator, member, organisation):
    client = as_user(coordinator)
    put = client.post(
        "/api/v1/import-mappings",
        {
            "source": "participedia",
            "vocabulary": "challenge",
            "value": "safety",
            "term": "trygghet",
        },
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    assert put.json()["term"] == "trygghet"
    unknown = client.post(
        "/api/v1/import-mappings",
        {"source": "participedia", "vocabulary": "challenge", "value": "x", "term": "nope"},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert as_user(member).get("/api/v1/import-mappings").status_code == 403
    listed = client.get("/api/v1/import-mappings", {"source": "participedia"}).json()
    assert any(m["value"] == "safety" for m in listed)
    assert client.delete(f"/api/v1/import-mappings/{put.json()['id']}").status_code == 204
    batch = prepare(
        coordinator,
        organisation,
        csv_bytes(CASE_HEADER, [case(specific_methods_tools_techniques_titles="(9,method,Poll)")]),
    )
    state = client.get(f"/api/v1/import-mappings/imports/{batch.pk}").json()
    assert state["methods"] == [
        {"title": "Poll", "participedia_id": "9", "rows": 1, "method": None}
    ]
    accepted = client.post(
        f"/api/v1/import-mappings/imports/{batch.pk}/accept-methods",
        {"titles": ["Poll"]},
        content_type="application/json",
    )
    assert accepted.status_code == 201 and accepted.json()["created"] == ["poll"]


def test_hjulet_files_take_a_country_and_a_place(member, organisation):
    header = ["title", "summary", "municipality", "country", "place", "stage"]
    rows = [
        ["Hemma", "Text.", "Umeå", "", "", "test"],
        ["Borta", "Text.", "", "Norge", "Bergen", "test"],
        ["Sverige", "Text.", "Malmö", "SE", "", "test"],
        ["Utan ort", "Text.", "", "NO", "", "test"],
        ["Okänt land", "Text.", "", "Atlantis", "X", "test"],
    ]
    batch = prepare(member, organisation, csv_bytes(header, rows), "i.csv")
    errors = {row["title"]: [e["text"] for e in row["errors"]] for row in batch.report}
    assert errors["Hemma"] == errors["Borta"] == errors["Sverige"] == []
    assert "Fill in the place" in errors["Utan ort"][0]
    assert "“Atlantis” is not a country we know" in errors["Okänt land"][0]
    good = prepare(member, organisation, csv_bytes(header, rows[:3]), "i.csv")
    assert commit_import(member, good) == 3
    borta = Initiative.objects.get(title="Borta")
    assert (borta.country, borta.place, borta.municipality) == ("NO", "Bergen", None)
    assert Initiative.objects.get(title="Sverige").municipality.name == "Malmö"


def test_a_file_of_international_examples_needs_no_municipality_column(member, organisation):
    header = ["title", "summary", "country", "place", "stage"]
    batch = prepare(
        member, organisation, csv_bytes(header, [["A", "B.", "DK", "Aarhus", "ide"]]), "i.csv"
    )
    assert batch.error_count == 0, batch.report


def test_the_method_export_imports_through_the_pages(as_user, coordinator, organisation):
    row = ["7", "method", "Open Space", "", "People set the agenda.", "", "", "", "", "", ""]
    batch = prepare(coordinator, organisation, csv_bytes(METHOD_HEADER, [row]), "methods.csv")
    client = as_user(coordinator)
    client.cookies["hjulet_language"] = "en"
    preview = client.get(reverse("knowledge:import-preview", args=[batch.pk])).content.decode()
    assert "Import 1 method" in preview
    response = client.post(reverse("knowledge:import-commit", args=[batch.pk]))
    assert response["Location"] == reverse("knowledge:method-list")
    assert Method.objects.filter(title="Open Space").exists()
