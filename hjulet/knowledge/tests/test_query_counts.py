"""Pages must not make more queries as the data grows (no N+1). Fewer is fine: search
stops looking for typo and compound relatives once it has found enough hits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hjulet.core.models import Vocabulary
from hjulet.core.tests.queries import forget_kept
from hjulet.knowledge import services

from .factories import make_initiative, make_method, term

pytestmark = pytest.mark.django_db


def queries(client, url, params=None) -> int:
    """Queries of one request with nothing cached (facet counts, similar entries, the whole
    page): the counts compared are those of the slowest case."""
    forget_kept()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def add_initiatives(member, method, start: int, count: int) -> None:
    tags = {
        "challenges": [term(Vocabulary.CHALLENGE, "integration")],
        "sdgs": [term(Vocabulary.SDG, "4")],
    }
    for number in range(start, start + count):
        initiative = make_initiative(
            member, title=f"Språkcafé nummer {number}", methods=[method], **tags
        )
        if number:
            services.adaptation_create(
                actor=member, initiative=initiative, source_method=method, what_changed="Ny plats"
            )


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("knowledge:initiative-list", {}),
        ("knowledge:initiative-list", {"q": "språkcafé"}),
        ("knowledge:initiative-list", {"challenge": "integration", "county": "24"}),
        ("knowledge:method-list", {}),
        ("knowledge:map", {}),
        ("site:home", {}),
    ],
)
def test_list_pages_do_not_grow_with_the_data(client, member, url_name, params):
    method = make_method(member)
    add_initiatives(member, method, 0, 3)
    few = queries(client, reverse(url_name), params)
    add_initiatives(member, method, 3, 12)
    assert queries(client, reverse(url_name), params) <= few


def test_detail_pages_do_not_grow_with_the_data(client, member):
    method = make_method(member)
    add_initiatives(member, method, 0, 3)
    first = method.initiatives.order_by("pk").first()
    method_few = queries(client, reverse("knowledge:method-detail", args=[method.slug]))
    detail_few = queries(client, reverse("knowledge:initiative-detail", args=[first.slug]))
    add_initiatives(member, method, 3, 12)
    assert queries(client, reverse("knowledge:initiative-detail", args=[first.slug])) <= detail_few
    # The spread is one recursive subquery however deep the adaptations go.
    assert queries(client, reverse("knowledge:method-detail", args=[method.slug])) <= method_few


def test_the_whole_tree_and_the_lessons_of_a_method_do_not_grow_with_the_data(client, member):
    method = make_method(member)
    add_initiatives(member, method, 0, 3)
    pages = [
        reverse("knowledge:method-spread", args=[method.slug]),
        reverse("spreading:lessons", args=[method.slug]),
    ]
    few = [queries(client, url) for url in pages]
    add_initiatives(member, method, 3, 12)
    assert [queries(client, url) for url in pages] <= few
