import unicodedata

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


DISPLAY_NAME_MIN_LENGTH = 2
DISPLAY_NAME_MAX_LENGTH = 60
# Scripts whose letters look alike ("а" Cyrillic, "a" Latin, "ο" Greek): a name that mixes
# them imitates another name.
LOOK_ALIKE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}
# Names that would make a person look like the platform or one of its roles.
RESERVED_DISPLAY_NAMES = {
    "admin",
    "administrator",
    "administratör",
    "coordinator",
    "hjulet",
    "hjulet member",
    "hjulet-medlem",
    "koordinator",
    "moderator",
    "support",
}


def _script(character: str) -> str:
    return unicodedata.name(character, "").split(" ")[0]


def clean_display_name(value: str) -> str:
    """The public name as stored: NFKC form with single spaces, or a ValidationError that
    says what to change. Not an e-mail address, no invisible or direction-changing
    characters, no letters from look-alike alphabets mixed, not a name of the platform."""
    name = " ".join(unicodedata.normalize("NFKC", value or "").split())
    if not name:
        raise ValidationError(
            _("Write the name others will see, for example your first name."),
            code="display_name_required",
        )
    if "@" in name:
        raise ValidationError(
            _("The name is shown publicly, so it cannot be an e-mail address or contain @."),
            code="display_name_email",
        )
    if any(unicodedata.category(character).startswith("C") for character in name):
        raise ValidationError(
            _("The name contains invisible or control characters. Write it with letters only."),
            code="display_name_invisible",
        )
    if not (DISPLAY_NAME_MIN_LENGTH <= len(name) <= DISPLAY_NAME_MAX_LENGTH):
        raise ValidationError(
            _("Write a name of %(min)d to %(max)d characters."),
            code="display_name_length",
            params={"min": DISPLAY_NAME_MIN_LENGTH, "max": DISPLAY_NAME_MAX_LENGTH},
        )
    letters = [character for character in name if character.isalpha()]
    if not letters:
        raise ValidationError(_("The name must contain letters."), code="display_name_no_letters")
    if len({_script(c) for c in letters} & LOOK_ALIKE_SCRIPTS) > 1:
        raise ValidationError(
            _(
                "The name mixes letters from different alphabets (for example Latin and "
                "Cyrillic) that look alike. Write it in one alphabet."
            ),
            code="display_name_mixed_scripts",
        )
    if name.casefold() in RESERVED_DISPLAY_NAMES:
        raise ValidationError(
            _("That name belongs to Hjulet or one of its roles. Choose your own name."),
            code="display_name_reserved",
        )
    return name
