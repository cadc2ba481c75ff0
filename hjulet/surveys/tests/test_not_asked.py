""" "Was not asked" (a condition hid the question) apart from "did not answer": stored with the
response when it is saved, counted apart in the analysis, and shown apart on the results page,
in report blocks, in the API and in the CSV/XLSX exports; plus the figures of issue #18 that
show on those pages (whole numbers without decimals, Wilson bounds exactly 0 and 1, Fisher's
test exact and said to be)."""

import csv
import importlib
import io

import pytest
from django.apps import apps
from openpyxl import load_workbook

from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.lib import survey_stats
from hjulet.surveys import analysis, selectors, services
from hjulet.surveys.exports import NOT_ASKED
from hjulet.surveys.models import BlockKind, QuestionType, Response

from .factories import add_question, make_survey

# nya (required) → med_vem only on ja (required), varfor only on nej (not required)
ANSWERS = [
    {"nya": "ja", "med_vem": ["kommun"], "anstallda": "14", "storlek": "liten"},
    {"nya": "ja", "med_vem": ["kommun", "region"], "anstallda": "14", "storlek": "liten"},
    {"nya": "nej", "varfor": "Ingen tid", "anstallda": "14", "storlek": "mellan"},
    {"nya": "nej", "anstallda": "14", "storlek": "stor"},
    {"nya": "nej", "storlek": "stor"},
]


@pytest.fixture
def survey(coordinator, organisation):
    survey = make_survey(coordinator, organisation, open_=False)
    add_question(
        coordinator, survey, "varfor", QuestionType.TEXT, "Varför inte?", relevant="${nya} = 'nej'"
    )
    add_question(
        coordinator,
        survey,
        "storlek",
        QuestionType.SELECT_ONE,
        "Storlek",
        choices="liten | Liten\nmellan | Mellan\nstor | Stor",
    )
    survey = services.survey_open(actor=coordinator, survey=survey)
    for number, raw in enumerate(ANSWERS):
        member = OrganisationFactory(name=f"Svarare {number}", email=f"s{number}@exempel.se")
        invitation = services.invitations_send(
            actor=coordinator, survey=survey, organisations=[member]
        )[0]
        _response, errors = services.response_save(token=invitation.token, raw=raw, submit=True)
        assert not errors
    return survey


def test_submit_stores_the_questions_not_asked(survey):
    stored = list(Response.objects.filter(survey=survey).order_by("pk").values_list("not_asked"))
    assert [row[0] for row in stored] == [
        ["varfor"],
        ["varfor"],
        ["med_vem"],
        ["med_vem"],
        ["med_vem"],
    ]


def test_analysis_counts_not_asked_apart(survey):
    results = analysis.analyse(selectors.load_table(survey))
    varfor, med_vem = results["varfor"], results["med_vem"]
    assert (varfor.n_answered, varfor.n_missing, varfor.n_not_asked) == (1, 2, 2)
    assert (med_vem.n_answered, med_vem.n_missing, med_vem.n_not_asked) == (2, 0, 3)
    assert med_vem.shares.denominator == 2
    nya = results["nya"]
    assert (nya.n_answered, nya.n_missing, nya.n_not_asked) == (5, 0, 0)
    staff = results["anstallda"]
    assert (staff.n_answered, staff.n_missing, staff.n_not_asked) == (4, 1, 0)


def test_segments_keep_the_asked_mask(survey):
    table = selectors.load_table(survey)
    assert table.columns["varfor"].asked.tolist() == [False, False, True, True, True]
    part = table.segment(counties=["24"])  # every organisation of the factory is in 24 or not
    assert len(part.columns["varfor"].asked) == part.n


def test_asked_masks_only_for_questions_someone_was_not_asked():
    masks = analysis.asked_masks(["a", "b", "c"], [["a"], [], None, ["a", "x"]], 4)
    assert set(masks) == {"a"}  # "x" is no question of the table; b and c asked by all
    assert masks["a"].tolist() == [False, True, True, False]
    assert analysis.asked_masks(["a"], [], 0) == {}


def test_results_page_shows_not_asked_apart_and_whole_numbers(as_user, coordinator, survey):
    page = as_user(coordinator).get(f"/enkater/{survey.slug}/resultat/").content.decode()
    assert "1 svarade, 2 svarade inte, 2 fick inte frågan (den visades inte för dem)" in page
    assert "2 svarade, 0 svarade inte, 3 fick inte frågan (den visades inte för dem)" in page
    # the number question: all four answered 14, so mean, median, min and max read 14
    assert '<td class="num">14</td>' in page and "14,00" not in page
    assert "100 %" in page and "100,0 %" not in page  # kommun, chosen by both


def test_results_page_fisher_is_exact_and_says_so(as_user, coordinator, survey):
    # nya × storlek = [[2, 0, 0], [0, 1, 2]]: the first row (a, b, c) of a table with these
    # margins has probability C(2, a)·C(1, b)·C(2, c)/C(5, 2): (2,0,0) 1/10, (0,0,2) 1/10,
    # (1,1,0) 2/10, (0,1,1) 2/10, (1,0,1) 4/10, so exact p = 2/10
    page = as_user(coordinator).get(
        f"/enkater/{survey.slug}/resultat/", {"row": "nya", "col": "storlek"}
    )
    text = page.content.decode()
    assert 'id="crosstab"' in text
    assert "Fishers exakta test" in text and "p = 0,2000, exakt." in text
    assert "simulerat" not in text


def test_results_page_says_when_fisher_is_simulated(monkeypatch, as_user, coordinator, survey):
    monkeypatch.setattr(survey_stats, "FISHER_EDGE_LIMIT", 1)  # as if the table were large
    text = (
        as_user(coordinator)
        .get(f"/enkater/{survey.slug}/resultat/", {"row": "nya", "col": "storlek"})
        .content.decode()
    )
    assert "simulerat p-värde, 100\u00a0000 dragningar" in text, text
    assert "medelfel" in text


def test_report_block_shows_not_asked(as_user, coordinator, survey):
    report = services.report_create(actor=coordinator, survey=survey, title="Rapport")
    services.report_block_add(
        actor=coordinator,
        report=report,
        kind=BlockKind.CHART,
        heading="Med vilka",
        question=survey.questions.get(name="med_vem"),
    )
    page = as_user(coordinator).get(f"/enkater/rapport/{report.slug}/").content.decode()
    assert "3 fick inte frågan" in page
    assert "3 fick inte frågan, den visades inte för dem" in page  # the chart's description


def test_api_results_count_not_asked_and_wilson_ends_exactly(as_user, coordinator, survey):
    data = as_user(coordinator).get(f"/api/v1/surveys/{survey.slug}/results").json()
    by_name = {q["name"]: q for q in data["questions"]}
    varfor = by_name["varfor"]
    assert (varfor["n_answered"], varfor["n_missing"], varfor["n_not_asked"]) == (1, 2, 2)
    med_vem = by_name["med_vem"]
    assert (med_vem["n_missing"], med_vem["n_not_asked"], med_vem["denominator"]) == (0, 3, 2)
    kommun, _region, akademi = med_vem["options"]
    assert kommun["high"] == 1 and kommun["share"] == 1  # 2 of 2: the upper bound is 1
    assert akademi["low"] == 0 and akademi["count"] == 0  # 0 of 2: the lower bound is 0
    assert by_name["anstallda"]["numbers"] == {
        "mean": 14, "median": 14, "sd": 0, "min": 14, "max": 14,
    }  # fmt: skip
    responses = as_user(coordinator).get(f"/api/v1/surveys/{survey.slug}/responses").json()
    assert [r["not_asked"] for r in responses["items"]][:3] == [["varfor"], ["varfor"], ["med_vem"]]


def test_api_crosstab_says_how_p_was_found(as_user, coordinator, survey):
    data = (
        as_user(coordinator).get(f"/api/v1/surveys/{survey.slug}/crosstab?row=nya&col=nya").json()
    )
    # [[2, 0], [0, 3]]: x₁₁ = 0, 1, 2 with probabilities 3/10, 6/10, 1/10; only the observed
    # table is as unlikely, so p = 1/10
    assert (data["test"], data["method"], data["draws"]) == ("fisher", "exact", 0)
    assert data["p_value"] == pytest.approx(0.1)
    assert data["p_standard_error"] == 0


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_exports_mark_not_asked_apart_from_empty(as_user, coordinator, survey):
    client = as_user(coordinator)
    rows = list(
        csv.reader(
            io.StringIO(_body(client.get(f"/enkater/{survey.slug}/export.csv")).decode("utf-8-sig"))
        )
    )
    header = rows[0]
    varfor, med_vem = header.index("varfor"), header.index("med_vem")
    assert [row[varfor] for row in rows[1:]] == [NOT_ASKED, NOT_ASKED, "Ingen tid", "", ""]
    assert rows[1][med_vem : med_vem + 4] == ["kommun", "1", "0", "0"]
    assert rows[3][med_vem : med_vem + 4] == [NOT_ASKED] * 4  # and each option column
    sheet = load_workbook(
        io.BytesIO(_body(client.get(f"/enkater/{survey.slug}/export.xlsx")))
    ).active
    values = list(sheet.iter_rows(values_only=True))
    column = values[0].index("varfor")
    assert [row[column] for row in values[1:]] == [NOT_ASKED, NOT_ASKED, "Ingen tid", None, None]


def test_data_migration_fills_not_asked_of_earlier_responses(survey):
    Response.objects.filter(survey=survey).update(not_asked=[])  # as before the field
    migration = importlib.import_module("hjulet.surveys.migrations.0004_response_not_asked")
    migration.fill_not_asked(apps, None)
    stored = (
        Response.objects.filter(survey=survey).order_by("pk").values_list("not_asked", flat=True)
    )
    assert list(stored) == [["varfor"], ["varfor"], ["med_vem"], ["med_vem"], ["med_vem"]]


def test_api_of_a_survey_without_responses(as_user, coordinator, organisation):
    empty = make_survey(coordinator, organisation, title="Tom enkät")
    client = as_user(coordinator)
    data = client.get(f"/api/v1/surveys/{empty.slug}/crosstab?row=nya&col=nya").json()
    assert (data["n"], data["test"], data["method"], data["p_value"]) == (0, "", "", None)
    results = client.get(f"/api/v1/surveys/{empty.slug}/results").json()
    med_vem = next(q for q in results["questions"] if q["name"] == "med_vem")
    assert (med_vem["n_answered"], med_vem["n_missing"], med_vem["n_not_asked"]) == (0, 0, 0)
    assert all(o["share"] is None and o["low"] is None for o in med_vem["options"])
