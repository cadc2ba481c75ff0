from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hjulet.lib.orgnr import OrgNumberError, normalise_org_number


def validate_org_number(value: str) -> None:
    if value:
        clean_org_number(value)


def clean_org_number(value: str) -> str:
    """The normalised number, or a ValidationError in the user's language."""
    try:
        return normalise_org_number(value)
    except OrgNumberError as error:
        if error.code == "checksum":
            raise ValidationError(
                _(
                    "The organisation number %(value)s is not valid: its last digit does not "
                    "match (Luhn check). Check that you copied it correctly."
                ),
                code="org_number_checksum",
                params={"value": value},
            ) from None
        raise ValidationError(
            _("Write the organisation number as ten digits, NNNNNN-NNNN."),
            code="org_number_format",
        ) from None
