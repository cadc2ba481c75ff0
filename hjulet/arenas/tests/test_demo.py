"""The demo content loads through the services and can be loaded again."""

import pytest

from hjulet.accounts import demo as accounts_demo
from hjulet.arenas import demo
from hjulet.arenas.models import Arena, Challenge, Event

pytestmark = pytest.mark.django_db


def test_demo_arena_and_challenge_about_newly_arrived_young_people():
    users = accounts_demo.load()
    assert demo.load(users) == {"arenas": 1, "ideas": 3}
    arena = Arena.objects.get(name=demo.ARENA_NAME)
    assert arena.is_cross_sector and arena.agreements.get().kind == "iop"
    challenge = Challenge.objects.get(arena=arena)
    assert "nyanlända" in challenge.title and challenge.ideas.count() == 3
    assert Event.objects.get(challenge=challenge).registrations.count() == 1
    assert demo.load(users) == {"arenas": 0, "ideas": 0}
