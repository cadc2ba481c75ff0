"""Hjulet's columns and the limits of an import."""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy

from hjulet.lib.text import fold

#: Limits; each can be changed in the settings. The check and the import each take some
#: 0.1-0.3 ms a row (benchmarks/csv_import.py), so 100,000 rows take tens of seconds.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_uncompressed_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...]
    help: Any
    required: bool = False


#: Hjulet's columns (the export's header, plus the longer texts). Names are matched without
#: regard to case, diacritics, spaces or hyphens: "Kommunkod", "kommun-kod" and "KOMMUNKOD"
#: are the same column.
COLUMNS = (
    Column("title", ("titel", "namn"), gettext_lazy("Name of the initiative."), required=True),
    Column(
        "summary",
        ("sammanfattning",),
        gettext_lazy("One or two sentences, at most 400 characters."),
        required=True,
    ),
    Column(
        "municipality_code",
        ("kommunkod",),
        gettext_lazy(
            "The municipality's four-digit SCB code, e.g. 2480 (required unless the "
            "municipality column is filled in)."
        ),
    ),
    Column(
        "municipality",
        ("kommun", "kommunnamn"),
        gettext_lazy(
            "The municipality's name, e.g. Umeå (required unless municipality_code is filled in)."
        ),
    ),
    Column(
        "country",
        ("land", "landskod"),
        gettext_lazy(
            "For an international example: the country's two-letter ISO code or its name, "
            "e.g. NO or Norge (empty: Sweden)."
        ),
    ),
    Column(
        "place",
        ("ort", "plats"),
        gettext_lazy("For an international example: its town, city or region."),
    ),
    Column(
        "stage",
        ("skede",),
        gettext_lazy("The stage's code or name: ide, test, etablerad, spridd or avslutad."),
        required=True,
    ),
    Column("description", ("beskrivning",), gettext_lazy("A longer description.")),
    Column("address", ("adress",), gettext_lazy("Street address or place.")),
    Column(
        "start_date",
        ("startdatum", "start", "startade"),
        gettext_lazy("Date written as YYYY-MM-DD."),
    ),
    Column(
        "end_date", ("slutdatum", "slut", "avslutades"), gettext_lazy("Date written as YYYY-MM-DD.")
    ),
    Column(
        "participants_reached",
        ("deltagare", "antal deltagare", "deltagare nådda"),
        gettext_lazy("A whole number, 0 or more."),
    ),
    Column("results", ("resultat",), gettext_lazy("What the initiative has achieved.")),
    Column("evidence", ("evidens", "belägg"), gettext_lazy("What is known about the effects.")),
    Column(
        "challenges",
        ("utmaningar", "samhällsutmaningar"),
        gettext_lazy("Codes of societal challenges, separated by ; or ,."),
    ),
    Column(
        "target_groups",
        ("målgrupper",),
        gettext_lazy("Codes of target groups, separated by ; or ,."),
    ),
    Column(
        "sdgs",
        ("sdg", "globala mål", "agenda 2030"),
        gettext_lazy("Numbers of the Agenda 2030 goals, separated by ; or ,."),
    ),
    Column(
        "methods",
        ("metoder",),
        gettext_lazy("Titles or address names of methods in the knowledge bank, separated by ;."),
    ),
    Column("contact_name", ("kontaktperson", "kontakt"), gettext_lazy("Contact person.")),
    Column(
        "contact_email",
        ("e-post", "epost", "kontakt e-post"),
        gettext_lazy("Contact e-mail address."),
    ),
    Column(
        "links", ("länkar", "webb", "webbplats"), gettext_lazy("Web addresses, separated by ;.")
    ),
    Column(
        "language",
        ("språk",),
        gettext_lazy("sv (Swedish) or en (English); when empty, told from the text."),
    ),
)

#: What the language column may say, folded: the language's code.
LANGUAGE_NAMES = {
    "sv": "sv",
    "svenska": "sv",
    "swedish": "sv",
    "en": "en",
    "engelska": "en",
    "english": "en",
}


def column_key(name: str) -> str:
    """ "Kommun-kod " → "kommun_kod": how header names are compared."""
    return re.sub(r"[^a-z0-9]+", "_", fold(name).casefold()).strip("_")


def columns_help() -> list[dict[str, Any]]:
    """For the upload page: each column, its Swedish alternatives and what it takes."""
    return [
        {"name": c.name, "aliases": c.aliases, "help": c.help, "required": c.required}
        for c in COLUMNS
    ]


def import_template() -> list[str]:
    return [c.name for c in COLUMNS]
