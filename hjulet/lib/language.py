"""Telling Swedish text from English: enough for imports that have no language column.

Counts the commonest function words of each language among the text's words; English wins
only with clearly more English ones (at least ``MIN_WORDS`` and more than the Swedish
ones), so a Swedish text with an English name or two stays Swedish.
"""

import re

SWEDISH = frozenset(
    [
        "och",
        "att",
        "det",
        "som",
        "en",
        "på",
        "är",
        "av",
        "för",
        "med",
        "till",
        "den",
        "har",
        "de",
        "inte",
        "om",
        "ett",
        "han",
        "men",
        "var",
        "jag",
        "sig",
        "från",
        "vi",
        "så",
        "kan",
        "när",
        "år",
        "hon",
        "ska",
        "efter",
        "också",
        "eller",
        "nu",
        "bara",
        "mycket",
        "vid",
        "alla",
        "dem",
        "hur",
        "utan",
        "genom",
        "där",
        "vara",
        "vill",
        "blir",
        "andra",
        "sina",
        "får",
        "våra",
        "deras",
        "över",
        "under",
        "mot",
    ]
)
ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "that",
        "for",
        "it",
        "with",
        "as",
        "was",
        "on",
        "are",
        "be",
        "by",
        "this",
        "from",
        "or",
        "an",
        "at",
        "which",
        "have",
        "has",
        "not",
        "but",
        "they",
        "their",
        "we",
        "our",
        "can",
        "will",
        "who",
        "with",
        "about",
        "into",
        "more",
        "were",
        "been",
        "also",
        "these",
        "other",
        "than",
        "its",
        "you",
        "your",
    ]
)
MIN_WORDS = 2

_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """ "en" for English text, else "sv" (also for text too short to tell)."""
    swedish = english = 0
    for word in _WORD.findall((text or "").lower()):
        if word in SWEDISH:
            swedish += 1
        elif word in ENGLISH:
            english += 1
    return "en" if english >= MIN_WORDS and english > swedish else "sv"
