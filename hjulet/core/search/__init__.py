"""Swedish full-text search over any app's content.

Apps register what people should find: a service calls ``index_document`` inside its
transaction whenever it writes something searchable, and ``remove_document`` when it deletes
it; ``rebuild`` refills one kind from scratch (for a management command). Views call
``search`` for the search page and ``similar`` for "finns det redan?" while someone types.

Text is analysed once, in Python (``hjulet.lib.text``: words → no diacritics → Swedish or
English stem, and the parts of Swedish compounds on a lexicon), and the databases only ever
see analysed terms, as bound parameters inside quoted literals: no user text reaches FTS5 or
tsquery syntax. A query runs in up to five rounds (tiers), each ranked by the database and
placed after the one before; rounds 2–5 only while fewer than ``ENOUGH_HITS`` were found:

1. every query word as a whole word (any inflection);
2. every word or one of its synonyms (``synonyms``: data that coordinators keep);
3. … or a part of a compound ("vandring" → "trygghetsvandringar", never "äldre" →
   "föräldrar"), then a compound query word by its parts;
4. … or an indexed term a typo or two away ("fritidsbamken" → "fritidsbanken");
5. (for several words) any of the words, with all of the above.

A round that would match too many documents to rank them all quickly is ranked in tiers
(see ``_Rounds``). Hits build their HTML only when it is read.

See docs/architecture.md, "Search", for the design on each database.

The parts: ``writing`` (index_document, index_documents, remove_document, rebuild),
``terms`` (what a query looks for: terms, inflections, typos), ``rounds`` (one search's
rounds), ``hits`` (Hit) and ``reading`` (search, similar); ``base`` is what a database's
backend (``sqlite``, ``postgresql``) provides.
"""

from ._common import _backend  # noqa: F401 (tests and benchmarks ask for it)
from .hits import Hit
from .reading import (  # noqa: F401 (the package's names, as before the split)
    COMMON_TERM_SHARE,
    ENOUGH_HITS,
    MAX_SIMILAR_CHARACTERS,
    MAX_SIMILAR_TERMS,
    distinctive_terms,
    search,
    similar,
)
from .terms import (  # noqa: F401 (the package's names, as before the split)
    INFLECTION_TAILS,
    MAX_QUERY_CHARACTERS,
    MAX_QUERY_TERMS,
    MAX_TAIL,
    MAX_TYPO_CANDIDATES,
    MAX_TYPOS_PER_TERM,
    MIN_INFLECTED_TERM,
    allowed_typos,
    inflections,
    query_groups,
    query_terms,
    typos_of,
)
from .writing import (  # noqa: F401 (the package's names, as before the split)
    INDEX_BATCH_SIZE,
    Document,
    index_document,
    index_documents,
    rebuild,
    remove_document,
)

__all__ = [
    "Hit",
    "index_document",
    "index_documents",
    "rebuild",
    "remove_document",
    "search",
    "similar",
]
