"""Countries by ISO 3166-1 alpha-2 code, named in Swedish or English.

The list and the names come from ``pycountry`` (its ISO 3166-1 data and the Swedish names
of its gettext catalogue). ``country_code`` reads what people write: the code itself
("US"), the English name ("United States", "United States of America") or the Swedish one
("Förenta staterna", "Tyskland"), without regard to case or diacritics.
"""

import functools
import gettext

import pycountry

from .text import fold

SWEDEN = "SE"


@functools.cache
def _swedish() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["sv"], fallback=True)


def _english_name(country: object) -> str:
    return getattr(country, "common_name", None) or country.name  # type: ignore[attr-defined]


@functools.cache
def names(language: str) -> dict[str, str]:
    """Code → name in ``language`` ("sv" or "en"), every country."""
    if language == "sv":
        translate = _swedish().gettext
        return {c.alpha_2: translate(c.name) for c in pycountry.countries}
    return {c.alpha_2: _english_name(c) for c in pycountry.countries}


def country_name(code: str, language: str = "sv") -> str:
    """The country's name, or the code itself when it is not a country."""
    return names(language).get((code or "").upper(), code or "")


def is_country(code: str) -> bool:
    return (code or "").upper() in names("en")


def choices(language: str) -> list[tuple[str, str]]:
    """(code, name) of every country, by name in ``language`` (for a select)."""
    return sorted(names(language).items(), key=lambda item: fold(item[1]).casefold())


def _key(text: str) -> str:
    return " ".join(fold(text).casefold().replace(",", " ").split())


@functools.cache
def _by_name() -> dict[str, str]:
    found: dict[str, str] = {}
    swedish = _swedish().gettext
    for country in pycountry.countries:
        written = [country.name, swedish(country.name), _english_name(country)]
        written.append(getattr(country, "official_name", "") or "")
        for name in written:
            if name:
                found.setdefault(_key(name), country.alpha_2)
    # Names people write that the standard spells otherwise.
    extra = {
        "usa": "US",
        "us": "US",
        "united states of america": "US",
        "uk": "GB",
        "england": "GB",
        "scotland": "GB",
        "wales": "GB",
        "northern ireland": "GB",
        "storbritannien": "GB",
        "russia": "RU",
        "south korea": "KR",
        "north korea": "KP",
        "iran": "IR",
        "syria": "SY",
        "vietnam": "VN",
        "taiwan": "TW",
        "bolivia": "BO",
        "venezuela": "VE",
        "tanzania": "TZ",
        "moldova": "MD",
        "laos": "LA",
        "czech republic": "CZ",
        "ivory coast": "CI",
    }
    for name, code in extra.items():
        found.setdefault(name, code)
    return found


def country_code(text: str) -> str | None:
    """The alpha-2 code of a country written as a code or a name; None if unknown."""
    text = (text or "").strip()
    if not text:
        return None
    if len(text) == 2 and is_country(text):
        return text.upper()
    return _by_name().get(_key(text))
