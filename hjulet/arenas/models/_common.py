"""What the arenas' models share."""

from django.conf import settings

from hjulet.core.model_fields import NO_NUL

USER = settings.AUTH_USER_MODEL

__all__ = ["NO_NUL", "USER"]
