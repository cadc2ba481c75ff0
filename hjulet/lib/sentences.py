"""Cutting a text to a length at a sentence boundary (summaries from long descriptions)."""

import re


def _words(text: str) -> list[str]:
    return text.split()


#: Words ending in a full stop that do not end a sentence (Swedish first, then English),
#: compared in lower case.
ABBREVIATIONS = frozenset(
    _words(
        """
    t.ex. tex. bl.a. m.m. mm. o.s.v. osv. d.v.s. dvs. s.k. p.g.a. pga. fr.o.m. t.o.m. m.fl.
    f.d. f.n. e.d. ev. ca. jfr. resp. inkl. exkl. kl. nr. tel. obs. st. sek. kap. avd. proc.
    mkr. tkr. milj. mn. kr. e.g. i.e. etc. vs. approx. no. dr. mr. mrs. ms. prof. jr.
    sr. inc. ltd. co. u.s. e.u.
    """
    )
)

#: A sentence ends with . ! ? or … (perhaps followed by closing quotes or brackets) before a
#: space.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?= )")
_INITIAL = re.compile(r"^[^\W\d_]\.$")  # "J." in "J. Smith"
_TRAILING = " ,.;:–-"


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the punctuation that stops at ``end`` ends a sentence: not an abbreviation
    or an initial, and the next word starts with a capital letter, a digit or a quote."""
    word = text[:end].rsplit(" ", 1)[-1].lstrip("(\"'“‘«")
    if word.endswith(".") and (word.casefold() in ABBREVIATIONS or _INITIAL.match(word)):
        return False
    following = text[end + 1 : end + 2]
    return bool(following) and (following.isupper() or following.isdigit() or following in "\"“'«")


def cut_at_sentence(text: str, limit: int, *, shortest_share: float = 0.3) -> str:
    """``text`` with its white space made single; if that is longer than ``limit``
    characters, its sentences up to the last one that ends within the limit. When no
    sentence ends there (or the sentences that do keep less than ``shortest_share`` of the
    limit), the text is cut at the last word boundary and ends with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    window = text[: limit + 1]  # a sentence may end exactly at the limit
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() <= limit]
    ends = [end for end in ends if _ends_sentence(text, end)]
    if ends and ends[-1] >= limit * shortest_share:
        return text[: ends[-1]]
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(_TRAILING) + "…"
