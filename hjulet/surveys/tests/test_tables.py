"""The answer columns as loaded for the results (streamed, stored, kept warm and brought up
to date) are exactly the columns built the old way, one dict per stored response: for every
question type, after new responses, after an erasure and after deletions the services did
not make."""

import datetime
import random

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hjulet.core.models import AuditEntry
from hjulet.surveys import analysis, selectors, services, tables
from hjulet.surveys.models import QuestionType, Response, SurveyTableSnapshot

from .factories import invite

pytestmark = pytest.mark.django_db

TEXTS = ["Korta projektpengar", 'Citat "så här" och \\ snedstreck', "Rad ett\nrad två", "Ålö ✓"]


def _question(actor, survey, name, kind, choices="", **extra):
    return services.question_create(
        actor=actor, survey=survey, name=name, type=kind, label_sv=name, choices=choices, **extra
    )


@pytest.fixture
def survey(coordinator, organisation):
    """Every question type, a group and a note; a follow-up shown only on one answer."""
    survey = services.survey_create(
        actor=coordinator,
        organisation=organisation,
        title="Alla frågetyper",
        deadline=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=14),
    )
    _question(coordinator, survey, "grupp", QuestionType.GROUP)
    _question(coordinator, survey, "info", QuestionType.NOTE)
    _question(coordinator, survey, "nya", QuestionType.SELECT_ONE, "ja | Ja\nnej | Nej")
    _question(
        coordinator,
        survey,
        "med_vem",
        QuestionType.SELECT_MULTIPLE,
        "kommun | Kommun\nregion | Region\nakademi | Akademi",
        relevant="${nya} = 'ja'",
    )
    _question(coordinator, survey, "nojd", QuestionType.LIKERT, "1 | 1\n2 | 2\n3 | 3\n4 | 4")
    _question(coordinator, survey, "anstallda", QuestionType.INTEGER)
    _question(coordinator, survey, "andel", QuestionType.DECIMAL)
    _question(coordinator, survey, "start", QuestionType.DATE)
    _question(coordinator, survey, "hinder", QuestionType.TEXT)
    return services.survey_open(actor=coordinator, survey=survey)


def _raw(rng: random.Random) -> dict:
    raw: dict = {}
    if rng.random() < 0.9:
        raw["nya"] = rng.choice(["ja", "nej"])
    if raw.get("nya") == "ja" and rng.random() < 0.8:
        raw["med_vem"] = rng.sample(["kommun", "region", "akademi"], rng.randint(1, 3))
    if rng.random() < 0.8:
        raw["nojd"] = rng.choice("1234")
    if rng.random() < 0.7:
        raw["anstallda"] = str(rng.randint(0, 40))
    if rng.random() < 0.7:
        raw["andel"] = f"{rng.uniform(0, 100):.2f}".replace(".", ",")
    if rng.random() < 0.5:
        raw["start"] = f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    if rng.random() < 0.6:
        raw["hinder"] = rng.choice(TEXTS)
    return raw


def answer(coordinator, survey, number: int, *, submit: bool = True) -> str:
    invitation = invite(coordinator, survey, email=f"svar{number}@exempel.se")
    _response, errors = services.response_save(
        token=invitation.token, raw=_raw(random.Random(number)), submit=submit
    )
    assert not errors
    return invitation.token


def old_table(survey) -> analysis.SurveyTable:
    """The columns built as before: every stored response as a dict, then ``build_table``."""
    specs = analysis.column_specs(selectors.questions_of(survey))
    rows = list(
        selectors.submitted(survey)
        .order_by("pk")
        .values_list("pk", "answers", "county_code", "sector_code", "not_asked")
    )
    return analysis.build_table(
        specs,
        [row[1] for row in rows],
        [row[2] for row in rows],
        [row[3] for row in rows],
        [row[0] for row in rows],
        not_asked=[row[4] for row in rows],
    )


def assert_same(table: analysis.SurveyTable, expected: analysis.SurveyTable) -> None:
    assert table.n == expected.n
    assert table.response_ids.tolist() == expected.response_ids.tolist()
    assert table.county.tolist() == expected.county.tolist()
    assert table.sector.tolist() == expected.sector.tolist()
    assert list(table.columns) == list(expected.columns)
    for name, column in table.columns.items():
        other = expected.columns[name]
        assert (column.type, column.options) == (other.type, other.options), name
        for field in ("codes", "matrix", "answered", "numbers", "asked"):
            mine, theirs = getattr(column, field), getattr(other, field)
            assert (mine is None) == (theirs is None), (name, field)
            if mine is not None:
                assert mine.shape == theirs.shape, (name, field)
                assert mine.dtype.kind == theirs.dtype.kind, (name, field)
                assert np.array_equal(mine, theirs, equal_nan=field == "numbers"), (name, field)
        assert column.texts == other.texts, name


def _full_scans(queries) -> list[str]:
    """Statements that read every submitted response's answers (a rebuild)."""
    return [
        q["sql"]
        for q in queries
        if "AS text" in q["sql"] and "answers" in q["sql"] and 'submitted_at" >=' not in q["sql"]
    ]


@pytest.fixture
def answered(coordinator, survey):
    for number in range(30):
        answer(coordinator, survey, number)
    answer(coordinator, survey, 99, submit=False)  # saved, not submitted: not counted
    return survey


def test_every_question_type_equals_the_old_way(answered):
    table = selectors.load_table(answered)
    assert table.n == 30
    assert_same(table, old_table(answered))
    kinds = {column.type for column in table.columns.values()}
    assert kinds == {
        "select_one",
        "select_multiple",
        "likert",
        "integer",
        "decimal",
        "date",
        "text",
    }
    assert "info" not in table.columns and "grupp" not in table.columns
    # med_vem is shown only on "ja": those who said "nej" were not asked
    asked = table.columns["med_vem"].asked
    assert asked is not None and 0 < asked.sum() < table.n
    assert table.columns["nya"].asked is None  # everyone was asked


def test_the_stored_table_serves_a_new_process(answered):
    selectors.load_table(answered)
    stored = SurveyTableSnapshot.objects.get(survey=answered)
    assert stored.n == 30
    tables._warm.clear()  # as a new worker process starts with nothing in memory
    with CaptureQueriesContext(connection) as queries:
        table = selectors.load_table(answered)
    assert not _full_scans(queries.captured_queries)
    assert_same(table, old_table(answered))


def test_a_new_response_shows_at_once_without_a_rebuild(coordinator, answered):
    before = selectors.load_table(answered)
    generation = SurveyTableSnapshot.objects.get(survey=answered).generation
    answer(coordinator, answered, 1000)
    with CaptureQueriesContext(connection) as queries:
        after = selectors.load_table(answered)
    assert after.n == before.n + 1
    assert not _full_scans(queries.captured_queries)
    assert SurveyTableSnapshot.objects.get(survey=answered).generation == generation
    assert_same(after, old_table(answered))
    # …and in another process, which reads the stored table and the new response
    tables._warm.clear()
    assert_same(selectors.load_table(answered), old_table(answered))


def test_a_response_started_early_and_submitted_late_takes_its_place(coordinator, survey):
    early = answer(coordinator, survey, 1, submit=False)
    for number in range(2, 6):
        answer(coordinator, survey, number)
    assert selectors.load_table(survey).n == 4
    services.response_save(token=early, raw=_raw(random.Random(1)), submit=True)
    table = selectors.load_table(survey)
    assert table.n == 5
    assert table.response_ids.tolist() == sorted(table.response_ids.tolist())
    assert_same(table, old_table(survey))


def test_erasing_a_response_removes_it_from_every_figure(coordinator, answered):
    selectors.load_table(answered)
    generation = SurveyTableSnapshot.objects.get(survey=answered).generation
    response = selectors.submitted(answered).order_by("pk")[3]
    pk = response.pk
    services.response_erase(actor=coordinator, response=response)
    assert not Response.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(action="response.erase", target_id=str(pk)).exists()
    stored = SurveyTableSnapshot.objects.get(survey=answered)
    assert stored.generation != generation  # other processes drop what they hold
    assert stored.n == 29
    assert pk not in tables.decode(bytes(stored.data)).response_ids  # no stored copy keeps it
    with CaptureQueriesContext(connection) as queries:
        table = selectors.load_table(answered)
    assert not _full_scans(queries.captured_queries)  # taken out, not rebuilt
    assert table.n == 29
    assert pk not in table.response_ids
    assert_same(table, old_table(answered))
    tables._warm.clear()
    assert_same(selectors.load_table(answered), old_table(answered))


def test_only_the_surveys_managers_may_erase(member, answered):
    response = selectors.submitted(answered).first()
    with pytest.raises(PermissionDenied):
        services.response_erase(actor=member, response=response)
    assert Response.objects.filter(pk=response.pk).exists()


def test_deletions_outside_the_services_are_noticed(coordinator, answered):
    """A response removed without ``forget`` (e.g. by hand in the database) and another
    submitted: the count no longer adds up, so the table is rebuilt."""
    selectors.load_table(answered)
    Response.objects.filter(pk=selectors.submitted(answered).order_by("pk")[0].pk).delete()
    answer(coordinator, answered, 2000)
    table = selectors.load_table(answered)
    assert table.n == 30
    assert_same(table, old_table(answered))
    # the same seen from a process that reads the stored table
    Response.objects.filter(pk=selectors.submitted(answered).order_by("pk")[5].pk).delete()
    tables._warm.clear()
    assert_same(selectors.load_table(answered), old_table(answered))


def test_other_questions_make_another_table(answered):
    specs = analysis.column_specs(selectors.questions_of(answered))
    tables.load(answered, specs)
    fewer = [spec for spec in specs if spec[0] != "nojd"]
    reordered = [
        (name, kind, list(reversed(options)) if name == "nya" else options)
        for name, kind, options in fewer
    ]
    table = tables.load(answered, reordered)
    assert "nojd" not in table.columns
    assert table.columns["nya"].options == ["nej", "ja"]
    expected = old_table(answered)
    nya = expected.columns["nya"].codes
    assert table.columns["nya"].codes.tolist() == np.where(nya >= 0, 1 - nya, -1).tolist()


def test_results_page_and_api_follow_new_responses(as_user, coordinator, answered):
    client = as_user(coordinator)
    first = client.get(f"/api/v1/surveys/{answered.slug}/results").json()
    answer(coordinator, answered, 3000)
    second = client.get(f"/api/v1/surveys/{answered.slug}/results").json()
    assert (first["n"], second["n"]) == (30, 31)
    assert client.get(f"/enkater/{answered.slug}/resultat/").status_code == 200


# --- without the database -------------------------------------------------------------------

SPECS = [
    ("one", "select_one", ["a", "b", "c"]),
    ("many", "select_multiple", ["x", "y"]),
    ("scale", "likert", ["1", "2", "3"]),
    ("count", "integer", []),
    ("share", "decimal", []),
    ("when", "date", []),
    ("free", "text", []),
]


def _answers(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        row: dict = {}
        if rng.random() < 0.8:
            row["one"] = rng.choice(["a", "b", "c", "okänd"])  # an option removed since
        if rng.random() < 0.8:
            row["many"] = rng.sample(["x", "y", "z"], rng.randint(0, 3))
        if rng.random() < 0.8:
            row["scale"] = rng.choice("123")
        if rng.random() < 0.8:
            row["count"] = rng.randint(-5, 500)
        if rng.random() < 0.8:
            row["share"] = rng.uniform(0, 1)
        if rng.random() < 0.5:
            row["when"] = "2026-11-23"
        if rng.random() < 0.5:
            row["free"] = rng.choice(["", *TEXTS])
        if rng.random() < 0.1:
            row["unknown_question"] = "kept out"
        out.append(row)
    return out


@pytest.mark.parametrize("n", [0, 1, 7, 5000])
def test_the_builder_equals_build_table_over_chunks_and_growth(n):
    answers = _answers(n, seed=n)
    county = [random.Random(i).choice(["24", "25", ""]) for i in range(n)]
    sector = ["ideburen" if i % 3 else "offentlig" for i in range(n)]
    ids = list(range(10, 10 + n))
    # "many" not asked of some respondents, late in the table only when n is large
    not_asked = [["many"] if i % 7 == 6 or i > 4000 else [] for i in range(n)]
    expected = analysis.build_table(SPECS, answers, county, sector, ids, not_asked=not_asked)
    builder = tables.TableBuilder(SPECS, expected=max(1, n // 4))  # it must grow
    for start in range(0, n, 333):
        end = start + 333
        builder.add(
            answers[start:end],
            county[start:end],
            sector[start:end],
            ids[start:end],
            not_asked=not_asked[start:end],
        )
    assert_same(builder.table(), expected)


def test_stored_bytes_give_the_same_table_and_joining_keeps_id_order():
    answers = _answers(400, seed=1)
    county = ["25" if i % 2 else "01" for i in range(400)]
    sector = ["privat"] * 400
    ids = random.Random(3).sample(range(1, 10_000), 400)
    not_asked = [["free"] if i % 5 == 0 else None for i in range(400)]
    whole = analysis.build_table(SPECS, answers, county, sector, sorted(ids), not_asked=not_asked)
    assert_same(tables.decode(tables.encode(whole)), whole)
    empty = analysis.build_table(SPECS, [], [], [], [])
    assert_same(tables.decode(tables.encode(empty)), empty)
    # the first 300 by id and then the other 100, which interleave with them
    first_ids = sorted(ids[:300])
    second_ids = sorted(ids[300:])
    by_id = dict(zip(ids, answers, strict=True))
    region = dict(zip(ids, county, strict=True))
    # "free" not asked of the first part only: the second has no mask for it
    hidden = dict(zip(ids, [["free"] if i % 5 == 0 and i < 300 else [] for i in range(400)],
                      strict=True))  # fmt: skip

    def part(part_ids):
        return analysis.build_table(
            SPECS,
            [by_id[i] for i in part_ids],
            [region[i] for i in part_ids],
            ["privat"] * len(part_ids),
            part_ids,
            not_asked=[hidden[i] for i in part_ids],
        )

    joined = tables.concatenate(part(first_ids), part(second_ids))
    assert_same(joined, part(sorted(ids)))


def test_erasing_a_response_the_stored_table_does_not_hold_yet(coordinator, answered):
    selectors.load_table(answered)
    answer(coordinator, answered, 4000)
    assert selectors.load_table(answered).n == 31  # warm: in memory, not yet stored
    newest = selectors.submitted(answered).order_by("-pk").first()
    services.response_erase(actor=coordinator, response=newest)
    assert_same(selectors.load_table(answered), old_table(answered))
    tables._warm.clear()
    assert_same(selectors.load_table(answered), old_table(answered))
