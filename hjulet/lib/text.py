"""A Swedish text analyser for full-text search: normalise, fold, tokenise, stem.

The search index (``hjulet.core.search``) stores and queries *analysed terms*: each word is
normalised (NFKC, lowercase), stripped of diacritics, and stemmed with Snowball's Swedish
stemmer until the stem stops changing (rarely more than twice).

Folding comes first so that a word and the same word typed without Swedish letters always
give the same term (the term depends only on the folded word). Stemming is repeated because
one Snowball pass removes one suffix: "språkcaféer" → "sprakcafeer" → "sprakcafe", while
someone typing "sprakcafe" gets "sprakcaf"; one more pass makes them meet. Every step only
shortens a word or swaps a letter for its plain form, so an analysed term is always a prefix
of the folded word it came from; the highlighter relies on that.

Texts carry a language: Swedish (``"sv"``, the default) or English (``"en"``, stemmed with
Snowball's English stemmer). Swedish compounds are also split into their parts on a real
lexicon (``hjulet.lib.compounds``): ``compound_parts`` gives the analysed parts, which the
index stores apart from the words themselves so that a part ranks below a whole word.
"""

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator

import Stemmer

from .compounds import split_compound

#: Words longer than this are cut before analysis (the index and queries agree on it), so a
#: pasted hash or URL cannot produce a term that the databases refuse.
MAX_TERM_LENGTH = 64

# A word is a run of letters and digits; "_" and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")

# Letters that carry no combining mark in Unicode but which Swedish readers treat as variants
# of a plain letter (Danish/Norwegian, German, Polish, Icelandic names).
_EXTRA_FOLDS = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip


def _word_list(text: str) -> list[str]:
    return text.split()


# Snowball's Swedish stop list: dropped from queries (not from the index), so a query of only
# these words still finds something.
_STOP_WORDS = _word_list(
    """
    och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
    icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
    från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
    allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din
    dessa några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför
    varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas
    """
)

# A short English stop list for queries in English ("by" is left out: a Swedish word too).
_ENGLISH_STOP_WORDS = _word_list(
    """
    the of and to a in is for on with as at from that this are be it or an was were its
    """
)

#: The languages a text may be analysed in; the first is the default.
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
_STEMMER_NAMES = {"sv": "swedish", "en": "english"}

# Words whose Snowball stem is another word's: "aldrig" (never) would meet "äldre" (older,
# folded) as "aldr". They are kept whole.
_UNSTEMMED = frozenset(["aldrig"])

# Enough for every Swedish word we tried; the limit only guards against surprises.
_MAX_STEM_PASSES = 4

_local = threading.local()


def language_or_default(language: str | None) -> str:
    """``language`` when it is one the analyser knows, else Swedish."""
    return language if language in _STEMMER_NAMES else DEFAULT_LANGUAGE


def _stemmer(language: str = DEFAULT_LANGUAGE) -> Stemmer.Stemmer:
    # PyStemmer objects keep state while stemming: one per thread and language.
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(language)
    if stemmer is None:
        stemmer = stemmers[language] = Stemmer.Stemmer(_STEMMER_NAMES[language])
    return stemmer


def normalise(text: str) -> str:
    """Unicode NFKC (ligatures, full-width and composed forms become plain ones), lowercased."""
    return unicodedata.normalize("NFKC", text or "").lower()


def fold(text: str) -> str:
    """Strip diacritics: "Språkcafé" → "Sprakcafe", "Ørebro" → "Orebro" (case is kept)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(_EXTRA_FOLDS))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """The words of ``text`` as regex matches, for callers that need their positions."""
    return _WORD.finditer(text)


def tokens(text: str) -> list[str]:
    """The normalised words of ``text``; digits are words too ("2024", "covid19")."""
    return _WORD.findall(normalise(text))


def stem(word: str) -> str:
    """Snowball's Swedish stem of one word, lowercased first ("Kommunerna" → "kommun")."""
    return _stemmer().stemWord(word.lower())


def _analyse_tokens(words: list[str], language: str = DEFAULT_LANGUAGE) -> list[str]:
    stemmer = _stemmer(language)
    terms = [fold(word[:MAX_TERM_LENGTH]) for word in words]
    original = terms
    for _ in range(_MAX_STEM_PASSES):
        stemmed = stemmer.stemWords(terms)
        if stemmed == terms:
            break
        terms = stemmed
    if language == "sv" and not _UNSTEMMED.isdisjoint(original):
        terms = [
            word if word in _UNSTEMMED else term for word, term in zip(original, terms, strict=True)
        ]
    return terms


def analyse(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The search terms of ``text`` in order, repeats kept: tokens → fold → stem (repeated).

    "Språkcaféer" and "sprakcafe" both give ["sprakcaf"]; "Kommunerna" gives ["kommun"].
    English text (``language="en"``) is stemmed in English: "loneliness" → ["loneli"].
    """
    return _analyse_tokens(tokens(text), language_or_default(language))


def _word_parts(word: str) -> list[str]:
    """The analysed parts of one normalised Swedish word, or [] when it is no compound."""
    parts = split_compound(word[:MAX_TERM_LENGTH])
    if not parts:
        return []
    whole = _analyse_tokens([word])[0]
    return [term for term in _analyse_tokens(list(parts)) if term and term != whole]


def compound_parts(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The analysed parts of the compounds in ``text`` (Swedish only; see
    ``hjulet.lib.compounds``): "Trygghetsvandringar i Gävle" → ["trygg", "vandring"]."""
    if language_or_default(language) != "sv":
        return []
    return [part for word in tokens(text) for part in _word_parts(word)]


class CachingAnalyser:
    """``analyse`` for many texts at once (a bulk import, a rebuild): each distinct word is
    folded and stemmed once and remembered, so a text costs a tokenisation and look-ups.
    Gives exactly what ``analyse`` gives: a word's term depends on the word alone.
    ``analyser.with_parts(text)`` gives the terms and ``compound_parts`` together."""

    #: Forget the words seen when there are more than this many (memory stays bounded).
    MAX_WORDS = 500_000

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language_or_default(language)
        self.terms: dict[str, str] = {}
        self.parts: dict[str, list[str]] = {}

    def _learn(self, words: list[str]) -> None:
        terms = self.terms
        new = [word for word in dict.fromkeys(words) if word not in terms]
        if len(terms) + len(new) > self.MAX_WORDS:
            terms.clear()
            self.parts.clear()
            new = list(dict.fromkeys(words))
        terms.update(zip(new, _analyse_tokens(new, self.language), strict=True))

    def __call__(self, text: str) -> list[str]:
        words = tokens(text)
        terms = self.terms
        try:
            return [terms[word] for word in words]
        except KeyError:
            pass
        self._learn(words)
        return [terms[word] for word in words]

    def with_parts(self, text: str) -> tuple[list[str], list[str]]:
        words = tokens(text)
        if any(word not in self.terms for word in words):
            self._learn(words)
        found = [self.terms[word] for word in words]
        if self.language != "sv":
            return found, []
        parts = self.parts
        compound: list[str] = []
        for word in words:
            known = parts.get(word)
            if known is None:
                known = parts[word] = _word_parts(word)
            compound.extend(known)
        return found, compound


def analyse_word(word: str) -> str:
    """The search term of a single word (as matched by ``iter_words``); "" for no word."""
    terms = analyse(word)
    return terms[0] if terms else ""


STOP_WORDS: frozenset[str] = frozenset(_analyse_tokens(_STOP_WORDS))
ENGLISH_STOP_WORDS: frozenset[str] = frozenset(_analyse_tokens(_ENGLISH_STOP_WORDS)) | frozenset(
    _analyse_tokens(_ENGLISH_STOP_WORDS, "en")
)


def is_stop_word(term: str) -> bool:
    """Whether an analysed term is one of the commonest Swedish words (och, att, för …) or
    English ones (the, of, and …)."""
    return term in STOP_WORDS or term in ENGLISH_STOP_WORDS


def analyse_query_word(word: str) -> list[str]:
    """The terms one (normalised) query word is looked for as: its Swedish term, and its
    English term when that differs and the word could be English (no å, ä or ö), so that
    English texts are found by English words."""
    if not word:
        return []
    word = word[:MAX_TERM_LENGTH]
    found = _analyse_tokens([word])
    if not any(letter in word for letter in "åäö"):
        found += _analyse_tokens([word], "en")
    return [term for term in dict.fromkeys(found) if term]


# The folds that Swedish text needs most, done with str.replace (fast); the rest one
# character at a time.
_COMMON_FOLDS = [("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), ("ü", "u"), ("è", "e")]
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    plain = fold(char).lower()
    return plain if len(plain) == 1 else char


def fold_lower(text: str) -> str:
    """``text`` lowercased and folded character for character, so that positions in the
    result are positions in ``text`` ("Språkcafé" → "sprakcafe"). Letters whose plain form is
    longer than one letter (æ, ß) are only lowercased. For NFKC text (see ``normalise``), an
    analysed term is a prefix of the folded word it came from, so this finds where terms
    occur in original text."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lowercase to two characters ("İ")
        lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    for accented, plain in _COMMON_FOLDS:
        if accented in lowered:
            lowered = lowered.replace(accented, plain)
    if not lowered.isascii():
        lowered = _NON_ASCII.sub(lambda found: _fold_char(found.group()), lowered)
    return lowered


def edit_distance(first: str, second: str, limit: int) -> int:
    """Damerau–Levenshtein distance (optimal string alignment), or ``limit + 1`` when it is
    more than ``limit``; cheap enough to check hundreds of candidate words per query."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    # A shared beginning and end never change the distance; only the middle needs the table.
    start = 0
    while start < len(first) and start < len(second) and first[start] == second[start]:
        start += 1
    end_first, end_second = len(first), len(second)
    while (
        end_first > start and end_second > start and first[end_first - 1] == second[end_second - 1]
    ):
        end_first -= 1
        end_second -= 1
    first, second = first[start:end_first], second[start:end_second]
    if not first or not second:
        return min(max(len(first), len(second)), limit + 1)
    before: list[int] | None = None
    previous = list(range(len(second) + 1))
    for i in range(1, len(first) + 1):
        row = [i] + [0] * len(second)
        for j in range(1, len(second) + 1):
            cost = 0 if first[i - 1] == second[j - 1] else 1
            value = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if (
                before is not None
                and j > 1
                and first[i - 1] == second[j - 2]
                and first[i - 2] == second[j - 1]
            ):
                value = min(value, before[j - 2] + 1)
            row[j] = value
        if min(row) > limit:
            return limit + 1
        before, previous = previous, row
    return min(previous[-1], limit + 1)
