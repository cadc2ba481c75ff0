"""django-ratelimit counts in fixed windows whose start depends on the key, so a test that
makes its attempts across the end of its key's window sees the count start over (and fails
about once in fifty runs). Tests of a limit use a key with room."""

import secrets
import time

from django_ratelimit.core import _get_window


def address_with_room(period: int, *, seconds: int = 120) -> str:
    """A new e-mail address whose count does not start over (its window ends) during the
    next ``seconds``."""
    while True:
        address = f"person-{secrets.token_hex(4)}@exempel.se"
        if _get_window(address, period) - time.time() > seconds:
            return address
