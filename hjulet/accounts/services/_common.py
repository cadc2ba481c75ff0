"""What the parts of the accounts services share."""

from django.core.exceptions import ValidationError

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
