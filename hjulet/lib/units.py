"""What a unit of measurement allows. No Django.

An indicator's unit is free text ("barn", "personer", "%", "kr"). Counts of people and things
cannot be negative and a percentage lies between 0 and 100; other units (kronor, percentage
points, degrees, an index) can be anything, so nothing is refused for them."""

import re
from decimal import Decimal

# Whole words (Swedish and English) that make a unit a count.
_COUNT_WORDS = """
    antal st stycken styck person personer pers barn unga ungdomar elever deltagare familjer
    hushåll lån besök besökare medlemmar kvinnor män flickor pojkar föräldrar äldre invånare
    boende nyanlända tillfällen träffar aktiviteter timmar tim dagar veckor månader år
    kurser utbildningar anställda jobb arbeten platser lägenheter organisationer föreningar
    people persons children youths pupils students participants families households loans
    visits visitors members women men girls boys parents residents sessions meetings hours
    days weeks months years pieces pcs items jobs places count
"""
COUNT_WORDS = frozenset(_COUNT_WORDS.split())
PERCENT_WORDS = frozenset({"procent", "percent", "%"})

_WORDS = re.compile(r"%|[^\W\d_]+")


def _words(unit: str) -> list[str]:
    return _WORDS.findall(unit.lower())


def is_percent(unit: str) -> bool:
    """'%', 'procent', 'andel (%)'; not 'procentenheter' (points, which may be negative)."""
    return any(word in PERCENT_WORDS for word in _words(unit))


def is_count(unit: str) -> bool:
    return not is_percent(unit) and any(word in COUNT_WORDS for word in _words(unit))


def problem(value: Decimal | float | int, unit: str) -> str | None:
    """Why ``value`` is impossible in ``unit``: "negative_count", "percent_range" or None."""
    if is_percent(unit) and not 0 <= value <= 100:
        return "percent_range"
    if is_count(unit) and value < 0:
        return "negative_count"
    return None
