"""The matrices' "a refused call changed nothing" check must catch a refused call that
UPDATEs a row, which counting rows (the check the matrices used before) lets through."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from hjulet.core.permissions import is_signed_in
from hjulet.knowledge.models import Initiative
from hjulet.knowledge.tests.factories import make_initiative

from .permission_world import World
from .snapshots import assert_unchanged, snapshot
from .test_permission_matrix import row_counts


def broken_initiative_update(*, actor, initiative: Initiative, summary: str) -> None:
    """A service written wrongly on purpose: it saves first and checks the actor after,
    outside a transaction, so the refusal comes too late to undo the write."""
    Initiative.objects.filter(pk=initiative.pk).update(summary=summary)
    if not (is_signed_in(actor) and actor.is_coordinator):
        raise PermissionDenied("Only coordinators.")


def broken_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A view written wrongly on purpose: it answers 403, but only after the update."""
    broken_initiative_update(actor=request.user, initiative=Initiative(pk=pk), summary="Kapad")
    return HttpResponse(status=200)


def broken_view_403(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        return broken_view(request, pk)
    except PermissionDenied:
        return HttpResponse(status=403)


KAPAD = r"knowledge\.Initiative \d+ changed \(summary: '.*' → 'Kapad'\)"

urlpatterns = [path("trasig/<int:pk>/", broken_view_403)]


def test_a_refused_service_call_that_updates_a_row_is_caught(organisation, org_admin, resident):
    initiative = World(organisation, org_admin).initiative
    counts, before = row_counts(), snapshot()
    with pytest.raises(PermissionDenied):
        broken_initiative_update(actor=resident, initiative=initiative, summary="Kapad")
    assert row_counts() == counts, "the old check would have passed"
    with pytest.raises(AssertionError, match=KAPAD):
        assert_unchanged(before, "the broken refused call")


@pytest.mark.urls(__name__)
def test_a_refused_post_that_updates_a_row_is_caught(organisation, org_admin, resident):
    # Not the world's initiative: asking its partner mails a link to the site's pages, which
    # are not this test's addresses.
    initiative = make_initiative(org_admin, lead=organisation)
    client = Client()
    client.force_login(resident)
    counts, before = row_counts(), snapshot()
    assert client.post(f"/trasig/{initiative.pk}/").status_code == 403
    assert row_counts() == counts, "the old check would have passed"
    with pytest.raises(AssertionError, match=KAPAD):
        assert_unchanged(before, "the broken refused POST")


def test_an_unchanged_database_passes(organisation, org_admin):
    assert World(organisation, org_admin).initiative.pk
    before = snapshot()
    assert_unchanged(before, "nothing")
