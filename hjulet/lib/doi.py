"""Digital Object Identifiers: the forms people paste, reduced to the bare DOI."""

import re

_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/")
# 10.<registrant, 4 to 9 digits, maybe sub-parts>/<suffix without spaces>
_DOI = re.compile(r"^10\.\d{4,9}(\.\d+)*/\S+$")


def normalise(text: str) -> str | None:
    """The bare DOI ("10.1234/abc") in ``text``, a bare DOI, a doi: form or a doi.org address;
    None when it is not a DOI. An empty text gives an empty DOI."""
    value = text.strip()
    if not value:
        return ""
    lowered = value.lower()
    if lowered.startswith("doi:"):
        value = value[4:].strip()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix) :]
            break
    return value if _DOI.match(value) and len(value) <= 200 else None
