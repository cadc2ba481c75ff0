"""The arena and challenge the services' and pages' tests start from."""

import pytest

from .factories import make_arena, make_challenge


@pytest.fixture
def arena(db):
    return make_arena()


@pytest.fixture
def challenge(arena):
    return make_challenge(arena.lead_admin, arena=arena)
