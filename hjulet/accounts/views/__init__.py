"""The account pages (being split by aggregate)."""

from .signup import *  # noqa: F403
