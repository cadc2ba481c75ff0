"""Swedish organisation numbers (organisationsnummer).

An organisation number has ten digits written NNNNNN-NNNN; the last digit is a Luhn
check digit over the first nine. It is also written with the century-like prefix "16"
(NN16NNNNNN-NNNN in some registers) or without the hyphen; all are accepted and
normalised to NNNNNN-NNNN.
"""

import re

_ALLOWED = re.compile(r"^(16)?(\d{6})-?(\d{4})$")


class OrgNumberError(ValueError):
    """Raised with a code that callers translate: 'format' or 'checksum'."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def luhn_check_digit(digits: str) -> int:
    """The digit that makes ``digits`` + it pass the Luhn test."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def normalise_org_number(raw: str) -> str:
    """Return NNNNNN-NNNN or raise OrgNumberError('format' | 'checksum')."""
    compact = re.sub(r"\s", "", raw or "")
    match = _ALLOWED.match(compact)
    if not match:
        raise OrgNumberError("format")
    digits = match.group(2) + match.group(3)
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise OrgNumberError("checksum")
    return f"{digits[:6]}-{digits[6:]}"


def with_check_digit(nine_digits: str) -> str:
    """Complete nine digits into a valid NNNNNN-NNNN (for fixtures and demo data)."""
    if not re.fullmatch(r"\d{9}", nine_digits):
        raise OrgNumberError("format")
    digits = nine_digits + str(luhn_check_digit(nine_digits))
    return f"{digits[:6]}-{digits[6:]}"
