"""Arena, challenge and idea pages, notifications, the moderation queue and the API make as
many queries for many organisations, agreements, ideas, comments, replies, supports, events,
reports and notifications as for a few (no N+1)."""

import datetime

import pytest
from django.utils import timezone

from hjulet.accounts.models import Role
from hjulet.accounts.tests.factories import OrganisationFactory, UserFactory, grant
from hjulet.arenas import services
from hjulet.arenas.models import AgreementKind, EventKind
from hjulet.core.tests.queries import assert_queries_do_not_grow

from .factories import make_arena, make_challenge, sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def grow():
    arena = make_arena()
    owner = arena.lead_admin
    challenge = make_challenge(owner, arena=arena)
    author = UserFactory(email="idegivare@exempel.se")
    idea = services.idea_create(actor=author, challenge=challenge, title="Fokusidén", body="B")
    services.follow_set(actor=owner, follow=True, challenge=challenge)
    services.follow_set(actor=owner, follow=True, idea=idea)

    def grow(first: int, count: int) -> None:
        for number in range(first, first + count):
            other = make_arena(name=f"Arena {number}")
            make_challenge(other.lead_admin, arena=other, title=f"Utmaning {number}")
            partner = OrganisationFactory(name=f"Partner {number}", sector=sector("privat"))
            services.arena_add_organisation(actor=owner, arena=arena, organisation=partner)
            services.agreement_create(
                actor=owner, arena=arena, parties=[arena.lead, partner], title=f"IOP {number}",
                kind=AgreementKind.IOP, purpose="Fritid.", starts_on=datetime.date(2026, 1, 1),
                ends_on=datetime.date(2027, 12, 31),
            )  # fmt: skip
            make_challenge(owner, arena=arena, title=f"Arenans utmaning {number}")
            event = services.event_create(
                actor=owner, challenge=challenge, kind=EventKind.WORKSHOP,
                title=f"Workshop {number}", place="Folkets hus", capacity=1,
                starts_at=timezone.now() + datetime.timedelta(days=10 + number),
            )  # fmt: skip
            people = [UserFactory(email=f"person-{number}-{k}@exempel.se") for k in range(3)]
            services.event_register(actor=people[0], event=event)
            services.event_register(actor=people[1], event=event)  # waiting list
            new = services.idea_create(
                actor=people[0], challenge=challenge, title=f"Idé {number}", body="Text"
            )
            services.idea_update(actor=people[0], idea=new, title=f"Idé {number}", body="Ny text")
            services.support_add(actor=people[1], idea=new)
            services.support_add(actor=people[1], idea=idea)
            comment = services.comment_create(actor=people[1], idea=idea, body=f"Kul {number}")
            services.comment_create(actor=people[2], idea=idea, body="Svar", parent=comment)
            services.comment_create(actor=people[0], idea=idea, body="Svar 2", parent=comment)
            services.content_report(actor=people[2], idea=new, reason="spam")
            services.content_report(actor=people[0], comment=comment, reason="offensive")
            services.idea_update(
                actor=author, idea=idea, title="Fokusidén", body=f"Version {number}"
            )

    grow.arena, grow.challenge, grow.idea, grow.owner = arena, challenge, idea, owner
    return grow


def urls(grow) -> list[str]:
    arena, challenge, idea = grow.arena, grow.challenge, grow.idea
    return [
        "/arenor/",
        f"/arenor/{arena.slug}/",
        "/utmaningar/",
        "/utmaningar/?open=1",
        f"/utmaningar/{challenge.slug}/",
        f"/utmaningar/ide/{idea.pk}/",
        "/aviseringar/",
        "/api/v1/arenas",
        f"/api/v1/arenas/{arena.slug}",
        "/api/v1/challenges",
        f"/api/v1/challenges/{challenge.slug}",
        f"/api/v1/challenges/{challenge.slug}/ideas",
        f"/api/v1/ideas/{idea.pk}",
        f"/api/v1/ideas/{idea.pk}/comments",
    ]


def test_arena_coordinator_sees_every_page(as_user, grow):
    assert_queries_do_not_grow(as_user(grow.owner), urls(grow), grow)


def test_moderator_sees_hidden_posts_and_the_queue(as_user, grow):
    moderator = grant(UserFactory(email="moderator@exempel.se"), Role.MODERATOR)
    pages = [*urls(grow), "/utmaningar/moderering/"]
    assert_queries_do_not_grow(as_user(moderator), pages, grow)


def test_anonymous_visitor(as_user, grow):
    assert_queries_do_not_grow(as_user(None), urls(grow)[:6], grow)
