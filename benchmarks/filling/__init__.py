"""The rows of ``generate.py``'s fill, one capability a module: ``Filler`` has them all, in
the order their references need (people, knowledge, impact, science shop, survey, arenas,
support); ``generate.fill`` calls them in that order."""

from .base import FULL, START, counts_for
from .knowledge import Knowledge
from .participation import Participation
from .people import People
from .research import Research


class Filler(People, Knowledge, Research, Participation):
    """Writes every capability's rows with ``bulk_create`` (see ``generate.py``)."""


__all__ = ["FULL", "START", "Filler", "counts_for"]
