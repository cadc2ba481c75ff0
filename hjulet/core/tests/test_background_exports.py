"""Long lists of the support directory, the funding calls and a survey's responses: their
XLSX is built by the worker (core.export_jobs), as the initiative list's is."""

import io
import re

import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from hjulet.core import exports as core_exports
from hjulet.core.models import ExportFile
from hjulet.support import exports as support_exports
from hjulet.support.tests.test_views import setup  # noqa: F401 (a fixture)
from hjulet.surveys import exports as survey_exports
from hjulet.surveys.tests.test_analysis import answered  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limit(monkeypatch, settings):
    for module in (core_exports, support_exports, survey_exports):
        monkeypatch.setattr(module, "XLSX_MAX_ROWS", 0)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.LANGUAGE_CODE = "en"


def english(client):
    client.cookies["hjulet_language"] = "en"
    return client


def built(client, page_url: str, after_commit) -> tuple[ExportFile, list[tuple]]:
    """Ask for the XLSX, take the offer to build it, and read the file."""
    page = client.get(page_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Too many rows for XLSX" in text
    build_url = re.search(r'action="([^"]*/export-fil\.xlsx)"', text).group(1)
    query = text.split('name="query" value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    with after_commit():
        response = client.post(build_url, {"query": query})
    export = ExportFile.objects.latest("pk")
    assert response["Location"] == reverse("core:export-detail", args=[export.pk])
    assert export.status == ExportFile.Status.READY, export.failure
    download = client.get(reverse("core:export-download", args=[export.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    return export, list(sheet.iter_rows(values_only=True))


def test_a_long_support_directory_is_built_by_the_worker(as_user, setup, resident, after_commit):  # noqa: F811
    client = english(as_user(resident))
    export, rows = built(client, "/stod/export.xlsx?municipality=2460", after_commit)
    assert export.kind == "support_structures" and export.filename.endswith(".xlsx")
    assert rows[0][:2] == ("organisation", "summary")
    assert "Vännäs företagsam" in [row[0] for row in rows[1:]]
    assert export.rows_total == len(rows) - 1
    # the filters went with it: the municipality's directory, not all of it
    assert len(rows) - 1 == support_exports._structures(QueryDict("municipality=2460")).count()
    # the CSV is still made at once
    assert client.get("/stod/export.csv?municipality=2460").status_code == 200


def test_a_long_list_of_calls_is_built_by_the_worker(as_user, setup, resident, after_commit):  # noqa: F811
    export, rows = built(english(as_user(resident)), "/utlysningar/export.xlsx", after_commit)
    assert export.kind == "funding_calls"
    assert rows[0][0] == "title" and "Bygdepengar 2026" in [row[0] for row in rows[1:]]


def test_anonymous_visitors_get_the_csv_offer_but_cannot_build(client, setup):  # noqa: F811
    page = english(client).get("/utlysningar/export.xlsx").content.decode()
    assert "Too many rows for XLSX" in page and "export-fil" not in page
    response = client.post(reverse("support:call-export-build", args=["xlsx"]), {"query": ""})
    assert response.status_code == 302 and "logga-in" in response["Location"]
    assert not ExportFile.objects.exists()


def test_a_survey_with_many_responses_is_built_by_the_worker(
    as_user,
    coordinator,
    outsider,
    answered,  # noqa: F811
    after_commit,
):
    client = english(as_user(coordinator))
    export, rows = built(client, f"/enkater/{answered.slug}/export.xlsx", after_commit)
    assert export.kind == "survey_responses"
    assert rows[0][0] == "response_id" and len(rows) == 6
    other = as_user(outsider).get(reverse("core:export-download", args=[export.pk]))
    assert other.status_code == 403


def test_only_who_may_read_the_answers_can_have_them_built(as_user, outsider, answered):  # noqa: F811
    url = reverse("surveys:export-build", args=[answered.slug, "xlsx"])
    assert as_user(outsider).post(url, {"query": ""}).status_code == 403
    assert not ExportFile.objects.exists()


def test_a_builder_checks_the_right_again_in_the_worker(outsider, answered):  # noqa: F811
    from hjulet.core import export_jobs

    export = ExportFile.objects.create(
        user=outsider, kind="survey_responses", format="xlsx", query=f"survey={answered.slug}"
    )
    assert export_jobs.build_export.call(export.pk) == "failed"
    export.refresh_from_db()
    assert export.status == ExportFile.Status.FAILED and not export.file
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied or Http404)
        survey_exports.background_responses(QueryDict(f"survey={answered.slug}"), "", outsider)


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_unknown_formats_are_404(as_user, coordinator, answered, fmt):  # noqa: F811
    client = as_user(coordinator)
    url = reverse("surveys:export-build", args=[answered.slug, fmt])
    assert client.post(url, {"query": ""}).status_code == 404
    assert client.post(reverse("support:call-export-build", args=[fmt])).status_code == 404
