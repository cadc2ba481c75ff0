"""Splitting Swedish compound words into their parts, on a real lexicon.

Swedish writes compounds as one word: "trygghetsvandringar" is trygghet + s + vandringar,
"flickfotboll" is flick(a) + fotboll. Search should find such a word by its parts, but only
by real parts: "föräldrar" is not för + äldrar, "gemensamma" is not gem + ensamma.

The lexicon is Swedish word frequencies from the ``wordfreq`` package (its "large" Swedish
list: some 340,000 words from subtitles, Wikipedia, news and the web, shipped in the wheel;
nothing is downloaded). A word is split when

* it is not itself a common word (a Zipf frequency below ``COMMON_WORD_ZIPF``: "föräldrar"
  5.2, "gemensamma" 4.4 and "ensamkommande" 4.2 stay whole), and
* it is made of two lexicon words (or else three), each at least ``MIN_PART_LENGTH``
  letters and known well enough (``MIN_PART_ZIPF``), the first parts possibly joined by a
  linking -s- ("trygghet-s-vandringar") or missing their last vowel ("skol(a)gård"), the
  last part (the head) an ordinary word form, and
* the parts are, on average, more common than the whole word (Koehn and Knight's rule):
  someone who wrote the whole word meant it as a word of its own when it is commoner than
  its would-be parts.

Zipf frequency is log10 of occurrences per billion words: 7 for "och", 3 for a word met
once in a million words, 0 for a word not in the list.
"""

import functools
import math

#: Words at least this common are words of their own: never split.
COMMON_WORD_ZIPF = 4.0
#: Each part must be at least this common …
MIN_PART_ZIPF = 2.0
#: … and the parts this common on average.
MIN_MEAN_ZIPF = 3.0
MIN_PART_LENGTH = 3
#: … and at least this long when a word is split in three.
MIN_PART_LENGTH_OF_THREE = 4
#: Words shorter than this are never split.
MIN_COMPOUND_LENGTH = 7

# Letters a first part may end with when it is a word minus its last vowel: skol(a)gård.
_DROPPED_VOWELS = "ae"


@functools.cache
def lexicon() -> dict[str, float]:
    """{word: Zipf frequency} for Swedish words at least ``MIN_PART_ZIPF`` common (loaded
    once per process, about 0.3 s).

    The list is read from wordfreq's file a frequency band at a time, stopping at the
    rarest band kept, and not through ``get_frequency_dict``: that function and the list
    under it are cached by wordfreq for the life of the process, every word of the "large"
    list (some 100 MB that an import worker or a web process would carry for nothing)."""
    import gzip

    import msgpack
    from wordfreq import available_languages  # imported late: only indexing needs it

    # Band i holds the words of frequency 10^(-i/100), Zipf 9 - i/100 (wordfreq's "cBpack").
    last_band = round((9 - MIN_PART_ZIPF) * 100)
    words: dict[str, float] = {}
    with gzip.open(available_languages("large")["sv"], "rb") as packed:
        unpacker = msgpack.Unpacker(packed, raw=False, use_list=True)
        bands = unpacker.read_array_header() - 1
        header = unpacker.unpack()
        if header.get("format") != "cB":
            raise ValueError("wordfreq's Swedish list is not in the cBpack format")
        for band in range(min(bands, last_band + 1)):
            zipf = round(9 - band / 100, 2)
            for word in unpacker.unpack():
                if word.isalpha():
                    words[word] = zipf
    return words


def zipf(word: str) -> float:
    """The Zipf frequency of a lowercase Swedish word (0 when unknown)."""
    return lexicon().get(word, 0.0)


def _modifier_forms(piece: str) -> list[str]:
    """The words a first part may stand for, likeliest first: itself, itself without a
    linking s ("trygghets"), itself plus a lost last vowel ("skol", "samhälls")."""
    forms = [piece]
    if piece.endswith("s") and len(piece) > MIN_PART_LENGTH:
        forms.append(piece[:-1])
    forms += [form + vowel for form in list(forms) for vowel in _DROPPED_VOWELS]
    return forms


def _modifier(piece: str, words: dict[str, float]) -> tuple[float, str]:
    """(Zipf frequency, lexicon word) of the first known form of a first part."""
    for form in _modifier_forms(piece):
        found = words.get(form, 0.0)
        if found >= MIN_PART_ZIPF:
            return found, form
    return 0.0, piece


def _splits(word: str, parts: int, words: dict[str, float], minimum: int):
    """Every way to cut ``word`` into ``parts`` pieces of at least ``minimum`` letters that
    are all known: (zipfs, lexicon words)."""
    if parts == 1:
        found = words.get(word, 0.0)
        if len(word) >= minimum and found >= MIN_PART_ZIPF:
            yield [found], [word]
        return
    for cut in range(minimum, len(word) - minimum * (parts - 1) + 1):
        found, first = _modifier(word[:cut], words)
        if found < MIN_PART_ZIPF:
            continue
        for zipfs, pieces in _splits(word[cut:], parts - 1, words, minimum):
            yield [found, *zipfs], [first, *pieces]


@functools.lru_cache(maxsize=100_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a Swedish compound word as lexicon words, the head last
    ("trygghetsvandringar" → ("trygghet", "vandringar")), or () when the word is not a
    compound (or is common enough to stand on its own: "föräldrar", "gemensamma").
    ``word`` is one lowercase word."""
    if len(word) < MIN_COMPOUND_LENGTH or not word.isalpha():
        return ()
    words = lexicon()
    whole = words.get(word, 0.0)
    if whole >= COMMON_WORD_ZIPF:
        return ()
    # Two parts when they will do; three only of longer pieces (short common words such
    # as "fri", "tid", "var", "dag" fit almost anywhere).
    for parts, minimum in ((2, MIN_PART_LENGTH), (3, MIN_PART_LENGTH_OF_THREE)):
        best_score, best = -math.inf, None
        for zipfs, pieces in _splits(word, parts, words, minimum):
            score = sum(zipfs) / parts
            if score > best_score:
                best_score, best = score, pieces
        if best is not None and best_score >= MIN_MEAN_ZIPF and best_score > whole:
            return tuple(best)
    return ()
