"""The account services (being split by aggregate)."""

from .signup import *  # noqa: F403
