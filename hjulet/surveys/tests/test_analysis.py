"""Analysis end to end through the database: the figures of a small survey worked out by
hand, segments by county and sector, cross-tabulation and the raw-data exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.core.models import Term, Vocabulary
from hjulet.surveys import analysis, selectors, services
from hjulet.surveys.exports import NOT_ASKED, table

from .factories import make_survey

# (organisation municipality, sector, answers)
ANSWERS = [
    ("2480", "ideburen", {"nya": "ja", "med_vem": ["kommun", "region"], "anstallda": "2"}),
    ("2480", "ideburen", {"nya": "ja", "med_vem": ["kommun"], "anstallda": "4"}),
    ("2580", "ideburen", {"nya": "nej", "anstallda": "9", "hinder": '=HYPERLINK("x")'}),
    ("2580", "offentlig", {"nya": "ja", "med_vem": ["akademi"]}),
    ("0180", "ideburen", {"nya": "nej", "anstallda": "5"}),
]


@pytest.fixture
def answered(coordinator, organisation):
    survey = make_survey(coordinator, organisation)
    for number, (municipality, sector, raw) in enumerate(ANSWERS):
        member = OrganisationFactory(
            name=f"Medlem {number}",
            municipality_id=municipality,
            email=f"m{number}@exempel.se",
            sector=Term.objects.in_vocabulary(Vocabulary.SECTOR).get(code=sector),
        )
        invitation = services.invitations_send(
            actor=coordinator, survey=survey, organisations=[member]
        )[0]
        _response, errors = services.response_save(token=invitation.token, raw=raw, submit=True)
        assert not errors
    # one unsubmitted response does not count
    draft = services.invitations_send(actor=coordinator, survey=survey, emails=["d@exempel.se"])[0]
    services.response_save(token=draft.token, raw={"nya": "ja"}, submit=False)
    return survey


def test_figures(answered):
    results = analysis.analyse(selectors.load_table(answered))
    nya = results["nya"]
    assert (nya.n_answered, nya.n_missing) == (5, 0)
    assert nya.shares.counts.tolist() == [3, 2]
    assert nya.shares.shares[0] == pytest.approx(0.6)
    # Wilson for 3 of 5: 0.2307–0.8824
    assert nya.shares.low[0] == pytest.approx(0.2307, abs=1e-4)
    assert nya.shares.high[0] == pytest.approx(0.8824, abs=1e-4)
    med_vem = results["med_vem"]
    # med_vem is shown only on "ja": the two "nej" were not asked, none skipped it
    assert med_vem.shares.denominator == 3 and med_vem.n_missing == 0
    assert med_vem.n_not_asked == 2
    assert med_vem.shares.counts.tolist() == [2, 1, 1]  # kommun, region, akademi
    staff = results["anstallda"].numbers
    assert (staff.n_answered, staff.n_missing) == (4, 1)
    assert (staff.mean, staff.median, staff.minimum, staff.maximum) == (5.0, 4.5, 2.0, 9.0)
    assert staff.sd == pytest.approx(2.9439, abs=1e-4)  # √(26/3)
    assert (results["hinder"].n_answered, results["hinder"].n_missing) == (1, 4)


def test_segments_by_county_and_sector(answered):
    whole = selectors.load_table(answered)
    norrbotten = whole.segment(counties=["25"])
    assert norrbotten.n == 2
    assert analysis.analyse(norrbotten)["nya"].shares.counts.tolist() == [1, 1]
    civil = whole.segment(sectors=["ideburen"])
    assert civil.n == 4
    both = whole.segment(counties=["24", "25"], sectors=["ideburen"])
    assert both.n == 3


def test_crosstab_of_two_questions(coordinator, answered):
    table_ = selectors.load_table(answered)
    result = analysis.crosstab(table_, "nya", "nya")
    assert result.counts.tolist() == [[3, 0], [0, 2]]
    assert result.test == "fisher"  # expected counts are under 5
    with pytest.raises(ValueError):
        analysis.crosstab(table_, "nya", "anstallda")


def test_export_has_one_column_and_01_columns_for_multiple_choice(answered):
    header, rows = table(answered)
    start = header.index("med_vem")
    assert header[start : start + 4] == [
        "med_vem", "med_vem/kommun", "med_vem/region", "med_vem/akademi",
    ]  # fmt: skip
    assert rows[0][start : start + 4] == ["kommun region", 1, 1, 0]
    assert rows[2][start : start + 4] == [NOT_ASKED] * 4  # not asked, apart from empty
    assert len(rows) == 5


def test_csv_and_xlsx_downloads_neutralise_formulas(as_user, coordinator, answered):
    client = as_user(coordinator)
    response = client.get(f"/enkater/{answered.slug}/export.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    hinder = rows[0].index("hinder")
    assert rows[3][hinder] == '\'=HYPERLINK("x")'
    response = client.get(f"/enkater/{answered.slug}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    values = [cell.value for cell in next(sheet.iter_rows(min_row=4, max_row=4))]
    assert '\'=HYPERLINK("x")' in values
    assert client.get(f"/enkater/{answered.slug}/export.pdf").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("outsider", 403), ("resident", 403)])
def test_export_permissions(as_user, request, answered, persona, status):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(f"/enkater/{answered.slug}/export.csv").status_code == status
    assert as_user(None).get(f"/enkater/{answered.slug}/export.csv").status_code == 302
