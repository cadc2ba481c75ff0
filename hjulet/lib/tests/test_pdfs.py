"""The PDF check: real PDFs pass; forgeries, damaged, encrypted, empty and oversized ones do
not, and nothing pypdf raises escapes as anything but ``PdfError``."""

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hjulet.lib.pdfs import PdfError, check_pdf

from .pdfs import HTML_AS_PDF, page_tree_loop, pdf, truncated

FUZZ = settings(max_examples=200, deadline=None)


def code_of(data: bytes, **limits) -> str:
    with pytest.raises(PdfError) as error:
        check_pdf(data, **limits)
    return error.value.code


def test_a_real_pdf_is_accepted_with_its_page_count():
    assert check_pdf(pdf(1)) == 1
    assert check_pdf(pdf(12)) == 12


def test_html_that_starts_and_ends_like_a_pdf_is_refused():
    assert code_of(HTML_AS_PDF) == "unreadable"


def test_a_file_without_the_pdf_magic_is_refused():
    assert code_of(b"MZ\x90\x00 a Windows program") == "not_pdf"
    assert code_of(b" " + pdf(1)) == "not_pdf"


def test_an_empty_file_is_refused():
    assert code_of(b"") == "empty"


def test_a_truncated_pdf_is_refused_even_with_an_end_marker_added():
    assert code_of(truncated()) == "unreadable"
    assert code_of(truncated() + b"\n%%EOF\n") == "unreadable"


def test_an_encrypted_pdf_is_refused():
    assert code_of(pdf(1, password="hemligt")) == "encrypted"
    assert code_of(pdf(1, password="")) == "encrypted"


def test_a_pdf_without_pages_is_refused():
    assert code_of(pdf(0)) == "no_pages"


def test_a_page_tree_that_loops_is_refused_not_walked_forever():
    assert code_of(page_tree_loop()) == "unreadable"


def test_too_many_pages_are_refused_after_walking_only_as_many():
    with pytest.raises(PdfError) as error:
        check_pdf(pdf(30), max_pages=10)
    assert error.value.code == "too_many_pages" and error.value.params == {"max_pages": 10}
    assert check_pdf(pdf(10), max_pages=10) == 10


def test_a_huge_page_count_is_refused_quickly():
    huge = pdf(3_000)
    started = time.perf_counter()
    assert code_of(huge, max_pages=1_000) == "too_many_pages"
    assert time.perf_counter() - started < 5


@FUZZ
@given(data=st.binary(max_size=600), cut=st.integers(min_value=0, max_value=600))
def test_whatever_the_bytes_only_a_pdf_error_escapes(data, cut):
    """Random bytes, and a real PDF with random bytes spliced in anywhere: either a page
    count or ``PdfError``, never another exception."""
    whole = pdf(2)
    for candidate in (b"%PDF-1.7\n" + data, whole[:cut] + data + whole[cut + len(data) :]):
        with contextlib.suppress(PdfError):
            check_pdf(candidate)
