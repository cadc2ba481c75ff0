"""HTML-escaped titles and snippets with the words that matched a query in ``<mark>``.

A word matches when its analysed form (Swedish, or English for a word that could be
English) is one of the query's terms (or their synonyms and typo relatives), or when it is
a compound with such a term as a part ("bank" marks "Fritidsbanken"). An analysed Swedish
term is a prefix of its folded, lowercased word, so the terms are looked for in a folded
copy of the text (same positions) and only the words where one starts (or, for parts, that
hold one) are analysed. A search may return a thousand hits, so this avoids running Python
or Unicode-aware regular expressions over whole texts: a snippet costs some ten
microseconds.
"""

import html
import re
import unicodedata
from collections.abc import Iterable, Iterator

from django.utils.safestring import SafeString, mark_safe

from hjulet.lib.text import analyse_query_word, compound_parts, fold_lower

SNIPPET_WORDS = 30
WORDS_BEFORE_MATCH = 8

_WORD_REST = re.compile(r"[^\W_]*")


def _clean(text: str) -> str:
    """NFKC (what the analyser sees) with runs of whitespace as single spaces."""
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip()


class Highlighter:
    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(term for term in terms if term)
        longest_first = sorted(self.terms, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(term) for term in longest_first))
            if longest_first
            else None
        )
        self._analysed: dict[str, str] = {}

    def _is_match(self, word: str, inside: bool = False) -> bool:
        """Whether ``word`` matches; ``inside``: a term was found inside it, so only its
        compound parts can."""
        key = (word, inside)
        found = self._analysed.get(key)
        if found is None:
            if inside:
                terms = compound_parts(word)
            else:
                terms = analyse_query_word(word.lower()) + compound_parts(word)
            found = self._analysed[key] = any(term in self.terms for term in terms)
        return found

    def _matches(
        self, text: str, folded: str, start: int = 0, end: int | None = None
    ) -> Iterator[tuple[int, int]]:
        """(start, end) of each matching word of ``text`` that starts within [start, end)."""
        if self._pattern is None:
            return
        end = len(text) if end is None else end
        position = start
        while position < end:
            found = self._pattern.search(folded, position, end)
            if found is None:
                return
            word_start = found.start()
            word_end = _WORD_REST.match(folded, found.end()).end()
            position = max(word_end, word_start + 1)
            inside = word_start > 0 and folded[word_start - 1].isalnum()
            if inside:  # inside a word: only a compound with the term as a part matches
                while word_start > 0 and folded[word_start - 1].isalnum():
                    word_start -= 1
                if word_start < start:
                    continue
            if self._is_match(text[word_start:word_end], inside):
                yield word_start, word_end

    @staticmethod
    def _render(text: str, spans: Iterable[tuple[int, int]], start: int, end: int) -> str:
        parts, position = [], start
        for span_start, span_end in spans:
            parts.append(html.escape(text[position:span_start]))
            parts.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
            position = span_end
        parts.append(html.escape(text[position:end]))
        return "".join(parts)

    def title_html(self, title: str) -> SafeString:
        text = _clean(title)
        return mark_safe(self._render(text, self._matches(text, fold_lower(text)), 0, len(text)))

    def snippet_html(self, body: str) -> SafeString:
        """About 30 words of ``body`` around its first matching word (8 words before it, or
        more when the text ends soon after it; the opening words when nothing matches),
        with "…" where the text was cut."""
        text = _clean(body)
        folded = fold_lower(text)
        first = next(self._matches(text, folded), None)
        anchor = text.rfind(" ", 0, first[0]) + 1 if first is not None else 0
        start, before = _back(text, anchor, WORDS_BEFORE_MATCH)
        end, after = _ahead(text, anchor, SNIPPET_WORDS - before)
        if before + after < SNIPPET_WORDS:
            start, _more = _back(text, start, SNIPPET_WORDS - before - after)
        spans = self._matches(text, folded, start, end)
        return mark_safe(
            ("… " if start > 0 else "")
            + self._render(text, spans, start, end)
            + (" …" if end < len(text) else "")
        )


def _back(text: str, start: int, words: int) -> tuple[int, int]:
    """The start of the word ``words`` words before the one at ``start``, and how many
    words that actually went back (single spaces separate words)."""
    moved = 0
    while moved < words and start > 0:
        start = text.rfind(" ", 0, start - 1) + 1
        moved += 1
    return start, moved


def _ahead(text: str, start: int, words: int) -> tuple[int, int]:
    """The end of the ``words`` words from ``start`` on, and how many there were."""
    end, taken = start, 0
    while taken < words and end < len(text):
        space = text.find(" ", end + 1)
        end = len(text) if space == -1 else space
        taken += 1
        if space != -1 and taken < words:
            end = space + 1
    return (end - 1 if end > start and text[end - 1] == " " else end), taken
