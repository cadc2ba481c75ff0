"""The home page (with its pictures, calls and challenges), the maps,
the vocabularies, the audit log and the geography API make as many queries for many
organisations, initiatives (each with a picture) and audit entries as for a few (no N+1)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from hjulet.accounts.tests.factories import MembershipFactory, OrganisationFactory
from hjulet.core import pictures
from hjulet.core.models import Municipality, Vocabulary
from hjulet.knowledge.models import Initiative, Method
from hjulet.knowledge.tests.factories import make_initiative, make_method, term
from hjulet.lib.tests.pictures import png

from .queries import assert_queries_do_not_grow, count_queries

pytestmark = pytest.mark.django_db

PLACES = ["2480", "0180", "1480", "2460"]


@pytest.fixture
def grow(member):
    method = make_method(member)
    # Django caches content types for good; the first page to prefetch pictures would pay
    # for the lookup once, which is no growth.
    ContentType.objects.get_for_models(Method, Initiative)

    def grow(first: int, count: int) -> None:
        for number in range(first, first + count):
            place = PLACES[number % len(PLACES)]
            organisation = OrganisationFactory(name=f"Förening {number}", municipality_id=place)
            MembershipFactory(user=member, organisation=organisation)
            initiative = make_initiative(
                member,
                lead=organisation,
                title=f"Initiativ {number}",
                municipality=Municipality.objects.get(code=place),
                methods=[method],
                challenges=[term(Vocabulary.CHALLENGE, "integration")],
            )
            pictures.picture_add(
                actor=member,
                target=initiative,
                upload=SimpleUploadedFile("bild.png", png(120, 80)),
                alt_text=f"Bild {number}",
            )

    return grow


def test_public_pages(as_user, grow):
    urls = [
        "/",
        "/karta/",
        "/karta/lan/24/",
        "/api/v1/geography/map",
        "/api/v1/geography/counties",
        "/api/v1/geography/counties/24",
        "/api/v1/geography/municipalities",
        "/api/v1/vocabularies",
        "/api/v1/vocabularies/challenge/terms",
    ]
    assert_queries_do_not_grow(as_user(None), urls, grow)


def test_coordinator_pages(as_user, coordinator, grow):
    urls = ["/", "/vokabular/", "/granskningslogg/", "/granskningslogg/?action=initiative"]
    assert_queries_do_not_grow(as_user(coordinator), urls, grow)


def test_search_and_notifications(as_user, member, grow):
    """The site search (page and API, all kinds and one kind) shows a page of hits and the
    counts per kind however many match: no more queries at 3n than at n (fewer is fine:
    the search stops looking for typo and compound relatives once it has found enough).
    The notifications API reads a page of them."""
    client = as_user(member)
    urls = [
        "/sok/?q=Initiativ",
        "/sok/?q=Initiativ&kind=initiative",
        "/api/v1/search?q=Initiativ",
        "/api/v1/search?q=Initiativ&kind=initiative",
        "/api/v1/notifications",
    ]
    grow(0, 2)
    few = {url: count_queries(client, url) for url in urls}
    grow(2, 4)
    many = {url: count_queries(client, url) for url in urls}
    assert all(many[url] <= few[url] for url in urls), (few, many)
    assert many["/api/v1/notifications"] == few["/api/v1/notifications"]
