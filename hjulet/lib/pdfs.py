"""Checking that an uploaded file really is a readable PDF, at a bounded cost.

A file is accepted when it starts with the PDF magic (``%PDF-``), ends with the ``%%EOF``
marker (a truncated file does not), pypdf finds its trailer and the document catalogue, it is
not encrypted, and a walk of its page tree finds at least one page and at most ``max_pages``.
pypdf reads with ``strict=False`` so the small defects common in real PDFs (an off-by-one
cross-reference table) are forgiven; the checks above are what make that leniency safe: an
HTML or script file that only starts with ``%PDF-`` has no trailer and no pages.

The cost is bounded by the caller's size limit and by the page walk, which stops after
``max_pages`` pages (or as many tree nodes) instead of flattening the whole tree as
``len(reader.pages)`` would: a 5 MB file can hold tens of thousands of pages. Any exception
pypdf raises on a damaged file (its own errors, but also ``KeyError``, ``ValueError``,
``RecursionError`` …) becomes ``PdfError("unreadable")``.

Encrypted PDFs are refused: Hjulet cannot look inside them to check them, and a reader may
need a password the platform does not have.

Errors are ``PdfError`` with a ``code`` and ``params`` for the caller to turn into a message in
the reader's language; this module knows nothing of Django.
"""

import io
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

MAGIC = b"%PDF-"
#: The spec puts ``%%EOF`` at the very end; writers may add a little after it.
EOF_MARKER = b"%%EOF"
EOF_WINDOW = 1024
MAX_PAGES = 1_000


class PdfError(Exception):
    """The file is not a PDF Hjulet accepts. ``code`` says why; ``params`` give the details.

    Codes: ``empty``, ``not_pdf`` (no PDF magic), ``unreadable`` (damaged, truncated or not
    a PDF after all), ``encrypted``, ``no_pages``, ``too_many_pages`` (``max_pages``).
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def check_pdf(data: bytes, *, max_pages: int = MAX_PAGES) -> int:
    """The number of pages of the PDF in ``data``; ``PdfError`` if it is not one we accept."""
    if not data:
        raise PdfError("empty")
    if not data.startswith(MAGIC):
        raise PdfError("not_pdf")
    if EOF_MARKER not in data[-EOF_WINDOW:]:
        raise PdfError("unreadable")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfError("encrypted")
        catalogue = reader.trailer["/Root"].get_object()
        pages = _count_pages(catalogue["/Pages"], max_pages=max_pages)
    except PdfError:
        raise
    except Exception as error:  # pypdf raises many kinds of errors on a damaged file
        raise PdfError("unreadable") from error
    if pages == 0:
        raise PdfError("no_pages")
    return pages


def _count_pages(root: Any, *, max_pages: int) -> int:
    """Walk the page tree from ``root`` (as pypdf's own flattening does: a node with
    ``/Kids`` is a branch, any other a page), refusing a tree with more than ``max_pages``
    pages, more than twice as many nodes, or a node that appears twice (a loop)."""
    pages = nodes = 0
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        reference = stack.pop()
        if isinstance(reference, IndirectObject):
            key = (reference.idnum, reference.generation)
            if key in seen:
                raise PdfError("unreadable")
            seen.add(key)
        node = reference.get_object()
        if not isinstance(node, DictionaryObject):
            raise PdfError("unreadable")
        nodes += 1
        if nodes > 2 * max_pages:
            raise PdfError("unreadable")
        if "/Kids" in node:
            stack.extend(reversed(node["/Kids"]))
        else:
            pages += 1
            if pages > max_pages:
                raise PdfError("too_many_pages", max_pages=max_pages)
    return pages
