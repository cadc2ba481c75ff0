"""The science shop services (being split by aggregate)."""

from .researchers import *  # noqa: F403
