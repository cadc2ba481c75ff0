"""The lists cost the same number of queries however many rows they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hjulet.core.models import Municipality
from hjulet.support import services

from .factories import make_call, make_structure

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_rows(n: int, start: int, coordinator, resident) -> None:
    for i in range(start, start + n):
        structure = make_structure(f"Stöd nummer {i}", scope="county", counties=["24"])
        make_call(
            structure.admin,
            structure.organisation,
            title=f"Utlysning {i}",
            scope="county",
            counties=[Municipality.objects.get(code="2460").county],
        )
        services.request_create(
            actor=resident,
            title=f"Idé {i}",
            description="Beskrivning.",
            municipality=Municipality.objects.get(code="2460"),
            needs=["advice"],
        )


@pytest.mark.parametrize(
    "url",
    [
        "/stod/?municipality=2460",
        "/utlysningar/?open_now=on",
        "/radgivning/",
        "/api/v1/support-structures",
        "/api/v1/funding-calls",
        "/api/v1/advice-requests",
        "/stod/export.csv",
        "/utlysningar/export.csv",
    ],
)
def test_lists_do_not_grow_with_rows(as_user, coordinator, resident, url):
    client = as_user(coordinator)
    add_rows(2, 0, coordinator, resident)
    few = queries(client, url)
    add_rows(4, 2, coordinator, resident)
    assert queries(client, url) == few
