"""Swedish pages speak Swedish about time and numbers: no English month names ("6 Dec 2026"),
no ISO dates in running text (they belong in data tables, charts and form fields), figures grouped
with Swedish separators. Every page that a visitor, a member and a coordinator reach is read
with the demo content, which has dates on most pages."""

import os
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from hjulet.accounts.models import User

from .crawl import crawl

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="how dates are written does not depend on the database; the crawl runs on SQLite",
    ),
]

MONTHS_EN = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
ENGLISH_DATE = re.compile(rf"\b\d{{1,2}}\.? (?:{MONTHS_EN})\b\.?|\b(?:{MONTHS_EN})\.? \d{{1,2}}\b")
SWEDISH_DATE = re.compile(
    r"\b\d{1,2} (?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober"
    r"|november|december) \d{4}\b"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


class _Text(HTMLParser):
    """The text a person reads, with what data tables and charts say kept apart."""

    def __init__(self) -> None:
        super().__init__()
        self.prose: list[str] = []
        self.tables: list[str] = []
        self._skipping = 0
        self._in_table = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("script", "style", "textarea"):
            self._skipping += 1
        if tag in ("table", "svg"):
            self._in_table += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "textarea"):
            self._skipping -= 1
        if tag in ("table", "svg"):
            self._in_table -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            (self.tables if self._in_table else self.prose).append(data)


def _read(html: str) -> _Text:
    text = _Text()
    text.feed(html)
    return text


def _clients() -> list[tuple[str, Client]]:
    clients = [("anonymous", Client())]
    for email in ("medlem@exempel.se", "koordinator@exempel.se"):
        client = Client()
        client.force_login(User.objects.get(email=email))
        clients.append((email, client))
    return clients


def test_swedish_pages_show_swedish_dates(reference_data):
    call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    english, iso_in_prose, with_swedish_dates = [], [], set()
    for persona, client in _clients():
        for path in crawl(client):
            text = _read(client.get(path).content.decode())
            everything = " ".join(text.prose + text.tables)
            english += [(persona, path, m.group(0)) for m in ENGLISH_DATE.finditer(everything)]
            prose = " ".join(text.prose)
            iso_in_prose += [(persona, path, m.group(0)) for m in ISO_DATE.finditer(prose)]
            if SWEDISH_DATE.search(everything):
                with_swedish_dates.add(path)
    assert not english, f"English month names on Swedish pages: {english[:20]}"
    assert not iso_in_prose, f"ISO dates in running text: {iso_in_prose[:20]}"
    assert len(with_swedish_dates) >= 15, sorted(with_swedish_dates)


def test_the_old_english_abbreviation_would_be_caught():
    assert ENGLISH_DATE.search("6 Dec 2026")
    assert ENGLISH_DATE.search("Dec. 6, 2026")
    assert not ENGLISH_DATE.search("6 dec. 2026 00:05")
    assert not ENGLISH_DATE.search("6 december 2026")
