"""The support services (being split by aggregate)."""

from .advice import *  # noqa: F403
