"""Support pages and the API cost the same number of queries however many structures, calls,
requests, notes and followers they show (no N+1)."""

import pytest

from hjulet.accounts.tests.factories import UserFactory
from hjulet.core.models import Municipality, Vocabulary
from hjulet.core.tests.queries import assert_queries_do_not_grow
from hjulet.knowledge.tests.factories import make_initiative, term
from hjulet.support import services

from .factories import make_call, make_structure

pytestmark = pytest.mark.django_db

UMEA = "2480"


@pytest.fixture
def grow(coordinator, resident, member):
    umea = Municipality.objects.get(code=UMEA)
    themes = {
        "challenges": [term(Vocabulary.CHALLENGE, "integration")],
        "sdgs": [term(Vocabulary.SDG, "4")],
    }
    focus = make_structure("Fokus stöd", scope="county", counties=["24"])
    focus_call = make_call(
        focus.admin, focus.organisation, title="Fokusutlysningen", scope="county",
        counties=[umea.county], **themes,
    )  # fmt: skip
    advice = services.request_create(
        actor=resident, title="Fokusfrågan", description="Beskrivning.", municipality=umea,
        needs=["advice"],
    )  # fmt: skip
    initiative = make_initiative(member, title="Läxhjälp i Umeå", **themes)

    def grow(first: int, count: int) -> None:
        for i in range(first, first + count):
            structure = make_structure(
                f"Stöd nummer {i}", scope="county", counties=["24"],
                services_offered=["advice", "funding"],
            )  # fmt: skip
            make_call(
                structure.admin, structure.organisation, title=f"Utlysning {i}", scope="county",
                counties=[umea.county], **themes,
            )  # fmt: skip
            make_call(focus.admin, focus.organisation, title=f"Fokus utlysning {i}")
            services.call_follow(actor=UserFactory(), call=focus_call)
            services.request_create(
                actor=resident, title=f"Idé {i}", description="Beskrivning.",
                municipality=umea, needs=["advice"],
            )  # fmt: skip
            services.request_add_note(actor=coordinator, request=advice, text=f"Anteckning {i}")
            services.request_forward(actor=coordinator, request=advice, structure=structure)

    grow.structure, grow.call, grow.advice, grow.initiative = focus, focus_call, advice, initiative
    return grow


def urls(grow) -> list[str]:
    slug, call, advice = grow.structure.organisation.slug, grow.call, grow.advice
    return [
        "/stod/",
        "/stod/?municipality=2460",
        f"/stod/{slug}/",
        "/stod/export.csv",
        "/utlysningar/",
        "/utlysningar/?open_now=on",
        f"/utlysningar/{call.slug}/",
        "/utlysningar/export.csv",
        f"/utlysningar/for-initiativ/{grow.initiative.slug}/",
        "/radgivning/",
        f"/radgivning/{advice.pk}/",
        "/api/v1/support-structures",
        f"/api/v1/support-structures/{slug}",
        "/api/v1/funding-calls",
        f"/api/v1/funding-calls/{call.slug}",
        f"/api/v1/funding-calls/for-initiative/{grow.initiative.pk}",
        "/api/v1/advice-requests",
        f"/api/v1/advice-requests/{advice.pk}",
    ]


def test_coordinator_sees_every_page(as_user, coordinator, grow):
    assert_queries_do_not_grow(as_user(coordinator), urls(grow), grow)


def test_asker_sees_their_requests(as_user, resident, grow):
    pages = ["/radgivning/", f"/radgivning/{grow.advice.pk}/", "/api/v1/advice-requests"]
    assert_queries_do_not_grow(as_user(resident), pages, grow)


def test_structure_member_sees_the_requests_routed_to_it(as_user, grow):
    pages = ["/radgivning/", f"/radgivning/{grow.advice.pk}/", "/utlysningar/", "/stod/"]
    assert_queries_do_not_grow(as_user(grow.structure.admin), pages, grow)
