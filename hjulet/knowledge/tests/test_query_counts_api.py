"""The knowledge bank's API, exports and edit pages make as many queries for many
initiatives, partners, methods and adaptations as for a few (no N+1). The list pages and
search are in test_query_counts.py."""

import pytest

from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.core.models import Vocabulary
from hjulet.core.tests.queries import assert_queries_do_not_grow
from hjulet.knowledge import services
from hjulet.knowledge.models import PartnerRole

from .factories import make_initiative, make_method, term

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow(member, organisation):
    method = make_method(member, organisations=[organisation])
    focus = make_initiative(member, title="Fokusinitiativet", methods=[method])

    def grow(first: int, count: int) -> None:
        for number in range(first, first + count):
            partner = OrganisationFactory(name=f"Partner {number}")
            services.partnership_set(
                actor=member, initiative=focus, organisation=partner, role=PartnerRole.PARTNER
            )
            make_method(member, title=f"Metod {number}", organisations=[organisation, partner])
            initiative = make_initiative(
                member,
                title=f"Initiativ {number}",
                methods=[method],
                partners=[(partner, PartnerRole.FUNDER)],
                challenges=[term(Vocabulary.CHALLENGE, "integration")],
                sdgs=[term(Vocabulary.SDG, "4")],
            )
            services.adaptation_create(
                actor=member, initiative=initiative, source_method=method, what_changed="Ny plats"
            )

    grow.method, grow.focus = method, focus
    return grow


def test_api_exports_and_edit_pages(as_user, member, grow):
    method, focus = grow.method, grow.focus
    urls = [
        "/api/v1/initiatives",
        f"/api/v1/initiatives/{focus.pk}",
        "/api/v1/methods",
        f"/api/v1/methods/{method.slug}",
        f"/api/v1/methods/{method.slug}/spread",
        "/initiativ/export.csv",
        "/initiativ/export.json",
        "/initiativ/export.xlsx",
        f"/initiativ/{focus.slug}/andra/",
        f"/metoder/{method.slug}/andra/",
    ]
    assert_queries_do_not_grow(as_user(member), urls, grow)
