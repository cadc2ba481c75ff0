"""An initiative's editors add a partner by searching for it by name: the page lists the few
organisations whose names match, never every organisation (10,000 options at national
scale)."""

import pytest

from hjulet.accounts.tests.factories import OrganisationFactory
from hjulet.knowledge.forms import PARTNER_CHOICES

from .factories import make_initiative

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(member):
    for number in range(PARTNER_CHOICES + 5):
        OrganisationFactory(name=f"Idrottsförening {number:02}")
    OrganisationFactory(name="Hembygdsföreningen Väster")
    return make_initiative(member, title="Fritidsbanken Umeå")


def test_the_page_offers_a_search_not_every_organisation(as_user, member, initiative):
    page = as_user(member).get(f"/initiativ/{initiative.slug}/").content.decode()
    assert 'name="partner_q"' in page
    assert "Idrottsförening 00" not in page
    assert 'name="organisation"' not in page


def test_a_search_lists_the_first_matches_only(as_user, member, initiative):
    client = as_user(member)
    page = client.get(f"/initiativ/{initiative.slug}/", {"partner_q": "idrott"}).content.decode()
    assert page.count("Idrottsförening ") == PARTNER_CHOICES
    assert "Hembygdsföreningen" not in page
    page = client.get(f"/initiativ/{initiative.slug}/", {"partner_q": "väster"}).content.decode()
    assert "Hembygdsföreningen Väster" in page


def test_no_match_is_said(as_user, member, initiative):
    page = as_user(member).get(f"/initiativ/{initiative.slug}/", {"partner_q": "zzz"})
    assert page.status_code == 200
    assert 'name="organisation"' not in page.content.decode()
    assert "zzz" in page.content.decode()


def test_visitors_get_no_partner_form_whatever_they_search(client, initiative):
    page = client.get(f"/initiativ/{initiative.slug}/", {"partner_q": "idrott"}).content.decode()
    assert 'name="partner_q"' not in page
    assert "Idrottsförening" not in page


def test_any_organisation_can_still_be_sent(as_user, member, initiative):
    """The form sent is checked against every organisation, not the few shown."""
    from hjulet.accounts.models import Organisation

    last = Organisation.objects.get(name=f"Idrottsförening {PARTNER_CHOICES + 4:02}")
    response = as_user(member).post(
        f"/initiativ/{initiative.slug}/partner/", {"organisation": last.pk, "role": "partner"}
    )
    assert response.status_code == 302
    assert initiative.partnerships.filter(organisation=last).exists()
