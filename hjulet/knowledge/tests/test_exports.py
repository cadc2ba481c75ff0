"""Initiative exports (issue 15, point 6): CSV and JSON are streamed in constant memory,
XLSX is a real workbook with every row, and each client gets a limited number of exports."""

import csv
import io
import json
import tracemalloc

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from hjulet.core.models import Municipality, Vocabulary
from hjulet.core.ratelimits import EXPORT_MESSAGE
from hjulet.knowledge import exports
from hjulet.knowledge.models import Initiative, PartnerRole, Partnership, PartnershipStatus

from .factories import make_initiative, term

pytestmark = pytest.mark.django_db


def url(fmt: str) -> str:
    return reverse("knowledge:initiative-export", args=[fmt])


def add_initiatives(member, organisation, count: int, *, code: str = "2480") -> None:
    """``count`` initiatives with a lead organisation and a challenge, written in bulk (the
    export reads them; how they were made does not matter here)."""
    municipality = Municipality.objects.get(code=code)
    stage = term(Vocabulary.STAGE, "test")
    start = Initiative.objects.count()
    made = Initiative.objects.bulk_create(
        Initiative(
            title=f"Initiativ {number} i {municipality.name}",
            slug=f"initiativ-{code}-{number}",
            summary=f"Sammanfattning av initiativ {number}, med text som en riktig har.",
            municipality=municipality,
            stage=stage,
            created_by=member,
        )
        for number in range(start, start + count)
    )
    Partnership.objects.bulk_create(
        Partnership(
            initiative=i,
            organisation=organisation,
            role=PartnerRole.LEAD,
            status=PartnershipStatus.ACCEPTED,
        )
        for i in made
    )
    challenge = term(Vocabulary.CHALLENGE, "integration")
    Initiative.challenges.through.objects.bulk_create(
        Initiative.challenges.through(initiative=i, term=challenge) for i in made
    )


def test_csv_and_json_are_streamed_and_follow_the_filters(client, member, organisation):
    add_initiatives(member, organisation, 30, code="2480")
    add_initiatives(member, organisation, 20, code="0180")
    make_initiative(
        member, title="=HYPERLINK(1)", municipality=Municipality.objects.get(code="2482")
    )

    response = client.get(url("csv"), {"county": "24"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="hjulet-initiativ-')
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert len(rows) == 31
    assert {r["municipality_code"] for r in rows} == {"2480", "2482"}
    assert {r["lead"] for r in rows} == {organisation.name}
    assert "'=HYPERLINK(1)" in {r["title"] for r in rows}
    assert rows[0]["url"].startswith("http://testserver/initiativ/")

    response = client.get(url("json"), {"municipality": "0180"})
    assert isinstance(response, StreamingHttpResponse)
    records = json.loads(response.getvalue())
    assert len(records) == 20
    assert {r["municipality_code"] for r in records} == {"0180"}
    assert {r["challenges"] for r in records} == {"integration"}
    assert set(records[0]) == set(exports.HEADER)


def test_xlsx_opens_and_has_every_row(client, member, organisation):
    add_initiatives(member, organisation, 40)
    response = client.get(url("xlsx"), {"county": "24"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    rows = list(sheet.values)
    assert list(rows[0]) == exports.HEADER
    assert len(rows) == 41
    assert {row[0] for row in rows[1:]} == {f"Initiativ {n} i Umeå" for n in range(40)}


def test_an_empty_result_is_a_file_with_the_header_only(client):
    assert client.get(url("csv")).getvalue().decode("utf-8-sig").splitlines() == [
        ",".join(exports.HEADER)
    ]
    assert json.loads(client.get(url("json")).getvalue()) == []


def test_exports_beyond_the_limit_get_a_429_page_in_swedish(
    client, as_user, member, organisation, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "3/10m"}
    add_initiatives(member, organisation, 3)
    for fmt in ("csv", "json", "xlsx"):
        assert client.get(url(fmt)).status_code == 200
    refused = client.get(url("csv"))
    assert refused.status_code == 429
    assert refused["Retry-After"]
    with translation.override("sv"):
        assert str(EXPORT_MESSAGE) in refused.content.decode()
    # The other exports count against the same limit.
    assert client.get("/stod/export.csv").status_code == 429
    # A signed-in person is counted by account, not by the shared address.
    assert as_user(member).get(url("csv")).status_code == 200


def streamed_peak(client, count_url: str) -> int:
    """The highest memory Python held while one export was requested and read piece by piece
    (as the server sends it)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = client.get(count_url)
        for _piece in response.streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_memory_does_not_grow_with_the_rows(client, member, organisation, monkeypatch, fmt):
    monkeypatch.setattr(exports, "CHUNK", 100)  # several chunks already at the small size
    add_initiatives(member, organisation, 500)
    client.get(url(fmt)).getvalue()  # warm caches (URL resolver, templates, translations)
    few = streamed_peak(client, url(fmt))
    add_initiatives(member, organisation, 4500)
    many = streamed_peak(client, url(fmt))
    assert many < few * 1.3 + 100_000, (few, many)


def test_a_list_too_long_for_xlsx_gets_a_page_that_offers_the_csv(
    client, member, organisation, monkeypatch
):
    """XLSX is the slow format: a long list is refused before any row is written."""
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 10)
    add_initiatives(member, organisation, 11)
    response = client.get(url("xlsx"), {"county": "24"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'href="{url("csv")}?county=24"' in page
    add_initiatives(member, organisation, 5, code="0180")
    small = client.get(url("xlsx"), {"municipality": "0180"})
    assert len(list(load_workbook(io.BytesIO(small.getvalue())).active.values)) == 6
