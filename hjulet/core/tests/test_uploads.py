"""Names of downloaded files: nothing in a title can break out of the header or the folder."""

import re
from urllib.parse import unquote

import pytest

from hjulet.core.uploads import content_disposition, safe_filename


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("IOP om fritid", "IOP om fritid.pdf"),
        ('Avtal "A"\r\nSet-Cookie: x=1', "Avtal A Set-Cookie x=1.pdf"),
        ("../../etc/passwd", "etc passwd.pdf"),
        ("faktura\u202efdp.exe", "faktura fdp.exe.pdf"),  # right-to-left override
        ("...", "dokument.pdf"),
        ("", "dokument.pdf"),
        ("Å" * 300, "Å" * 100 + ".pdf"),
    ],
)
def test_a_title_becomes_a_safe_file_name(title, expected):
    assert safe_filename(title, extension="pdf") == expected


def test_the_header_has_an_ascii_name_and_the_exact_name():
    header = content_disposition("Överenskommelse för Ålidhem; 2026.pdf")
    assert header.startswith("attachment; ")
    ascii_name = re.search(r'filename="([^"]*)"', header).group(1)
    assert ascii_name == "Overenskommelse for Alidhem_ 2026.pdf"
    exact = re.search(r"filename\*=UTF-8''(\S+)$", header).group(1)
    assert unquote(exact) == "Överenskommelse för Ålidhem; 2026.pdf"
    assert header.isascii() and "\r" not in header and "\n" not in header


@pytest.mark.parametrize(
    ("name", "fallback"),
    [("合意.pdf", "dokument.pdf"), ("合意", "dokument"), ("Årsavtal.pdf", "Arsavtal.pdf")],
)
def test_a_name_without_ascii_letters_gets_a_plain_fallback(name, fallback):
    header = content_disposition(name)
    assert re.search(r'filename="([^"]*)"', header).group(1) == fallback
    assert unquote(re.search(r"filename\*=UTF-8''(\S+)$", header).group(1)) == name
