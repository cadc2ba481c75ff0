"""What the parts of the accounts services share."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from hjulet.core import changes

from ..models import User
from ..validators import clean_display_name

USER_FIELDS = ("email", "name", "language")


class LinkError(Exception):
    """A link from an e-mail that cannot be used; ``code`` is 'expired', 'used' or
    'invalid'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _display_name(name: str) -> str:
    """The public name, validated, or a ValidationError on the ``name`` field."""
    try:
        return clean_display_name(name)
    except ValidationError as error:
        raise ValidationError({"name": error.error_list}) from None


def _create_verified_user(email: str, *, name: str, action: str, **fields: Any) -> User:
    """An account for an address that following a link has just proved (its public ``name``
    checked), recorded as made by its owner with ``action``."""
    user = User.objects.create_user(
        email, name=_display_name(name), email_verified_at=timezone.now(), **fields
    )
    changes.record_created(user, user, USER_FIELDS, action=action)
    return user
