"""What the arenas' models share."""

from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator

USER = settings.AUTH_USER_MODEL

# PostgreSQL cannot store NUL characters; refuse them as bad input, never a 500.
NO_NUL = [ProhibitNullCharactersValidator()]
