"""Bulk import of initiatives from a spreadsheet: Hjulet's own columns or a Participedia export.

``import_prepare`` reads the file and checks every row without saving anything: the cells
are read against the reference data looked up once per file (dictionaries of
municipalities, terms and methods), then each row's fields get the model's own checks
(``services.initiative_problems``, the rules ``initiative_create`` applies, without a query
per row); the file and the result of the check are kept in an ``ImportBatch``.
``import_commit`` reads the file again against the reference data as it is then, and saves
every row with ``services.initiative_create_many`` in one transaction: every initiative
(with its partnership, tags, methods, audit entry and search index) is saved, or none. The
queries of both grow with the number of batches (1,000 rows), not of rows.
"""

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjulet.accounts.models import Membership, Organisation
from hjulet.core import audit
from hjulet.core.models import Municipality, Term, Vocabulary
from hjulet.core.permissions import require, require_signed_in
from hjulet.lib import countries
from hjulet.lib.language import detect_language
from hjulet.lib.sentences import cut_at_sentence
from hjulet.lib.spreadsheets import (
    SpreadsheetError,
    StreamedTable,
    Table,
    extension_of,
    open_spreadsheet,
    read_spreadsheet,
    unneutralise,
)
from hjulet.lib.text import fold

from . import import_mapping, participedia, services
from .import_mappings import ValueMap
from .models import ImportBatch, ImportValueMapping, Initiative, Method

logger = logging.getLogger(__name__)

#: Limits; each can be changed in the settings. The check and the import each take some
#: 0.1-0.3 ms a row (benchmarks/csv_import.py), so 100,000 rows take tens of seconds.
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: The stored check (preview page, API) lists the first rows and the rows with errors, up
#: to these numbers; the counts always cover the whole file.
PREVIEW_ROWS = 100
MAX_LISTED_ROWS_WITH_ERRORS = 1000
MAX_CELL_CHARACTERS = 100_000
MAX_PARTICIPANTS = 2_147_483_647  # what every database stores in a positive integer
SUMMARY_LENGTH = Initiative._meta.get_field("summary").max_length


def max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_uncompressed_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


# --- columns ----------------------------------------------------------------------------


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


_ALIASES = {
    column_key(alias): column.name for column in COLUMNS for alias in (column.name, *column.aliases)
}


# --- what the check finds ---------------------------------------------------------------


@dataclass
class Issue:
    column: str  # as written in the file's header; "" when it concerns the whole row
    message: str


@dataclass
class RowCheck:
    number: int
    title: str = ""
    municipality: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    bad_fields: set[str] = field(default_factory=set)
    warnings: list[Issue] = field(default_factory=list)  # the row is imported all the same

    def problem(self, column: str, message: str, *fields: str) -> None:
        self.issues.append(Issue(column, message))
        self.bad_fields.update(fields)

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(Issue(column, message))


def issue_text(row: int, column: str, message: str) -> str:
    if column:
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": row,
            "column": column,
            "message": message,
        }
    return _("Row %(row)d: %(message)s") % {"row": row, "message": message}


def report_of(checks: Sequence[RowCheck]) -> list[dict[str, Any]]:
    """The check as stored in the batch and shown on the preview page and in the API: the
    first ``PREVIEW_ROWS`` rows and the first ``MAX_LISTED_ROWS_WITH_ERRORS`` rows with
    errors or warnings, in file order."""
    listed: list[RowCheck] = []
    with_errors = 0
    for position, check in enumerate(checks):
        if check.issues or check.warnings:
            with_errors += 1
            if with_errors > MAX_LISTED_ROWS_WITH_ERRORS:
                continue
        elif position >= PREVIEW_ROWS:
            continue
        listed.append(check)
    return [
        {
            "row": check.number,
            "title": check.title,
            "municipality": check.municipality,
            "errors": [
                {
                    "column": issue.column,
                    "message": issue.message,
                    "text": issue_text(check.number, issue.column, issue.message),
                }
                for issue in check.issues
            ],
            "warnings": [
                {
                    "column": issue.column,
                    "message": issue.message,
                    "text": issue_text(check.number, issue.column, issue.message),
                }
                for issue in check.warnings
            ],
        }
        for check in listed
    ]


# --- reference data, looked up once per file --------------------------------------------


def _folded(text: str) -> str:
    return " ".join(fold(text).casefold().split())


class Lookups:
    """Municipalities, terms and methods by the ways people write them."""

    def __init__(self) -> None:
        municipalities = list(Municipality.objects.all())
        self.municipality_by_code = {m.code: m for m in municipalities}
        self.municipality_by_name = {m.name.casefold(): m for m in municipalities}
        by_folded: dict[str, list[Municipality]] = defaultdict(list)
        for municipality in municipalities:
            by_folded[_folded(municipality.name)].append(municipality)
        # "Habo" and "Håbo" fold alike: a folded name is only used when it is unambiguous.
        self.municipality_by_folded = {k: v[0] for k, v in by_folded.items() if len(v) == 1}
        self.terms: dict[str, dict[str, Term]] = {}
        self.codes: dict[str, list[str]] = {}
        for slug in (
            Vocabulary.STAGE,
            Vocabulary.CHALLENGE,
            Vocabulary.TARGET_GROUP,
            Vocabulary.SDG,
        ):
            terms = list(
                Term.objects.in_vocabulary(slug)
                .active()
                .select_related("vocabulary")
                .order_by("position", "label_sv")
            )
            self.codes[slug] = [term.code for term in terms]
            found: dict[str, Term] = {}
            for term in terms:
                for key in (term.label_en, term.label_sv, term.code):
                    found[_folded(key)] = term
            self.terms[slug] = found
        methods = list(Method.objects.only("pk", "slug", "title"))
        titles: dict[str, list[Method]] = defaultdict(list)
        for method in methods:
            titles[_folded(method.title)].append(method)
        self.methods = {k: v[0] for k, v in titles.items() if len(v) == 1}
        self.methods.update({method.slug: method for method in methods})

    def municipality(self, name: str) -> Municipality | None:
        for candidate in (name, re.sub(r"\s+kommun$", "", name, flags=re.IGNORECASE)):
            found = self.municipality_by_name.get(candidate.casefold().strip())
            found = found or self.municipality_by_folded.get(_folded(candidate))
            if found:
                return found
        return None

    def term(self, slug: str, text: str) -> Term | None:
        return self.terms[slug].get(_folded(text))


# --- reading cells ----------------------------------------------------------------------

_DATE = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_WHOLE = re.compile(r"^-?\d+(?:[.,]0+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_date(text: str) -> datetime.date | None:
    """YYYY-MM-DD (a time of day after it is allowed and ignored); None if it is not one."""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary with "…" when it is cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:–-") + "…"


def _split(text: str, separators: str) -> list[str]:
    return [piece.strip() for piece in re.split(f"[{separators}]", text) if piece.strip()]


def _date_field(check: RowCheck, name: str, column: str, text: str) -> None:
    if not text:
        return
    value = parse_date(text)
    if value is None:
        check.problem(
            column,
            _("“%(value)s” is not a date. Write dates as YYYY-MM-DD, e.g. 2024-03-01.")
            % {"value": text},
            name,
        )
    else:
        check.fields[name] = value


def _count_field(check: RowCheck, column: str, text: str) -> None:
    if not text:
        return
    compact = _SPACES.sub("", text)
    if not _WHOLE.match(compact):
        check.problem(
            column,
            _("“%(value)s” is not a whole number. Write it with digits only, e.g. 1200.")
            % {"value": text},
            "participants_reached",
        )
        return
    number = int(re.split(r"[.,]", compact)[0])
    if number < 0:
        check.problem(
            column,
            _("The number of participants cannot be negative (“%(value)s”).") % {"value": text},
            "participants_reached",
        )
    elif number > MAX_PARTICIPANTS:
        check.problem(
            column, _("“%(value)s” is too large.") % {"value": text}, "participants_reached"
        )
    else:
        check.fields["participants_reached"] = number


def _check_dates(check: RowCheck, columns: dict[str, str]) -> None:
    start, end = check.fields.get("start_date"), check.fields.get("end_date")
    if start and end and end < start:
        check.problem(
            columns.get("end_date", ""),
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": end.isoformat(), "start": start.isoformat()},
            "start_date",
            "end_date",
        )


def _stage_field(check: RowCheck, column: str, text: str, lookups: Lookups) -> None:
    codes = ", ".join(lookups.codes[Vocabulary.STAGE])
    if not text:
        check.problem(column, _("Fill in the stage: one of %(codes)s.") % {"codes": codes}, "stage")
        return
    stage = lookups.term(Vocabulary.STAGE, text)
    if stage is None:
        check.problem(
            column,
            _("Unknown stage “%(value)s”. Use one of: %(codes)s.")
            % {"value": text, "codes": codes},
            "stage",
        )
    else:
        check.fields["stage"] = stage


def _tags_field(check: RowCheck, name: str, column: str, text: str, lookups: Lookups) -> None:
    slug = services.TAGS[name]
    terms: list[Term] = []
    unknown: list[str] = []
    for piece in _split(text, ";\n"):
        whole = lookups.term(slug, piece)
        if whole is not None:
            terms.append(whole)
            continue
        for part in _split(piece, ","):
            term = lookups.term(slug, part)
            if term is None:
                unknown.append(part)
            else:
                terms.append(term)
    unknown = _mapped_values(slug, unknown, terms, lookups)
    if unknown:
        check.problem(
            column,
            _("Unknown codes: %(codes)s. See the lists of codes on the import page.")
            % {"codes": ", ".join(unknown)},
            name,
        )
    else:
        check.fields[name] = list({term.pk: term for term in terms}.values())


def _mapped_values(slug: str, unknown: list[str], terms: list[Term], lookups: Lookups) -> list[str]:
    """Values that are no code or name of a term, read through the value-mapping table
    (a term, or skipped); those it does not know either."""
    if not unknown:
        return unknown
    if not hasattr(lookups, "value_map"):
        lookups.value_map = ValueMap.load()
    left = []
    for value in unknown:
        known, term = lookups.value_map.term(ImportValueMapping.Source.HJULET, slug, value)
        if not known:
            left.append(value)
        elif term is not None:
            terms.append(term)
    return left


def _methods_field(check: RowCheck, column: str, text: str, lookups: Lookups) -> None:
    methods, unknown = [], []
    for piece in _split(text, ";\n"):
        method = lookups.methods.get(piece) or lookups.methods.get(_folded(piece))
        if method is None:
            unknown.append(piece)
        else:
            methods.append(method)
    if unknown:
        check.problem(
            column,
            _("Unknown methods: %(methods)s. Use the title of a method in the knowledge bank.")
            % {"methods": ", ".join(unknown)},
            "methods",
        )
    else:
        check.fields["methods"] = list({method.pk: method for method in methods}.values())


def _links_field(check: RowCheck, text: str) -> None:
    if text:
        check.fields["links"] = "\n".join(_split(text, ";\n"))


# --- the two formats --------------------------------------------------------------------


@dataclass
class Layout:
    """How a file's columns map to an initiative."""

    format: str
    columns: dict[str, int]  # what the row checker reads → index in the row
    names: dict[str, str]  # the same → the column's name as written in the file
    fields: dict[str, str]  # initiative field → the column's name, for the service's errors
    check_row: Callable[["Layout", dict[str, str], RowCheck, Lookups], None]
    #: For files read through a column mapping: the mapping, its defaults for empty cells
    #: and the required fields it leaves out (then the rows are not checked).
    mapping: "import_mapping.Mapping | None" = None
    defaults: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def column_for(self, field_name: str) -> str:
        return self.fields.get(field_name, "")


def layout_of(
    header: list[str],
    mapping: dict[str, Any] | None = None,
    *,
    saved: dict[str, Any] | None = None,
) -> Layout:
    """How to read a file: a Participedia export by its own columns; any other file through
    ``mapping`` (``import_mapping.Mapping.as_json()``), or else the mapping proposed from its
    header (and a saved mapping, if given)."""
    keys = [column_key(name) for name in header]
    if mapping is None and saved is None:
        participedia_layout = participedia.layout_for(header, keys)
        if participedia_layout is not None:
            return participedia_layout
    if mapping is None:
        chosen = import_mapping.propose(header, saved)
    else:
        chosen = import_mapping.Mapping.from_json(mapping)
        if chosen.header != list(header):
            raise ValidationError(
                {"file": _("The file's columns are not those of the column mapping.")},
                code="mapping_mismatch",
            )
    columns = {name: i for i, name in enumerate(chosen.fields) if name}
    names = {name: header[i] for name, i in columns.items()}
    fields = dict(names)
    fields["municipality"] = (
        names.get("municipality_code") or names.get("municipality") or names.get("place", "")
    )
    return Layout(
        ImportBatch.Format.HJULET,
        columns,
        names,
        fields,
        _check_hjulet_row,
        mapping=chosen,
        defaults=chosen.defaults,
        missing=import_mapping.missing_required(chosen),
    )


def _check_hjulet_row(
    layout: Layout, values: dict[str, str], check: RowCheck, lookups: Lookups
) -> None:
    names = layout.names
    for name in (
        "title",
        "summary",
        "description",
        "address",
        "results",
        "evidence",
        "contact_name",
        "contact_email",
    ):
        if values.get(name):
            check.fields[name] = values[name]
    if not values.get("title"):
        check.problem(names["title"], _("Fill in the title."), "title")
    _hjulet_summary(check, names, values)
    _municipality_field(layout, values, check, lookups)
    _stage_field(check, names.get("stage", ""), values.get("stage", ""), lookups)
    for name in ("start_date", "end_date"):
        _date_field(check, name, names.get(name, ""), values.get(name, ""))
    _check_dates(check, names)
    _count_field(
        check, names.get("participants_reached", ""), values.get("participants_reached", "")
    )
    for name in services.TAGS:
        if values.get(name):
            _tags_field(check, name, names[name], values[name], lookups)
    if values.get("methods"):
        _methods_field(check, names["methods"], values["methods"], lookups)
    _links_field(check, values.get("links", ""))
    _language_field(check, names.get("language", ""), values)


def _summary_field(check: RowCheck, column: str, text: str) -> None:
    """The summary, cut at a sentence boundary (with a warning) when it is too long."""
    summary = cut_at_sentence(text, SUMMARY_LENGTH)
    check.fields["summary"] = summary
    if summary != " ".join(text.split()):
        check.warn(
            column,
            _(
                "The summary is longer than %(limit)d characters; it was cut after the last "
                "whole sentence that fits. Check that it still reads well."
            )
            % {"limit": SUMMARY_LENGTH},
        )


def _hjulet_summary(check: RowCheck, names: dict[str, str], values: dict[str, str]) -> None:
    """The summary column, or when it is empty or not mapped the start of the description
    (which is then kept only if it says more than the summary)."""
    if values.get("summary"):
        _summary_field(check, names["summary"], values["summary"])
    elif values.get("description"):
        _summary_field(check, names["description"], values["description"])
        if check.fields["summary"] == " ".join(values["description"].split()):
            del check.fields["description"]  # the same text twice on every card otherwise
    else:
        check.problem(
            names.get("summary") or names.get("description", ""),
            _("Fill in the summary."),
            "summary",
        )


def _language_field(check: RowCheck, column: str, values: dict[str, str]) -> None:
    """The row's language: as written in the language column, else told from its text."""
    written = values.get("language", "").strip()
    if not written:
        text = " ".join(values.get(name, "") for name in ("title", "summary", "description"))
        check.fields["language"] = detect_language(text)
        return
    language = LANGUAGE_NAMES.get(_folded(written))
    if language is None:
        check.problem(
            column,
            _("The language “%(language)s” is unknown. Write sv (Swedish) or en (English).")
            % {"language": written},
            "language",
        )
    else:
        check.fields["language"] = language


def _abroad(layout: Layout, values: dict[str, str], check: RowCheck) -> bool:
    """A row whose country is not Sweden: the country and the place instead of a kommun.
    True when the row is read so (or refused for its country or place)."""
    written = values.get("country", "").strip()
    if not written:
        return False
    code = countries.country_code(written)
    if code is None:
        check.problem(
            layout.names["country"],
            _("“%(country)s” is not a country we know. Write its English or Swedish name.")
            % {"country": written},
            "country",
        )
        return True
    if code == countries.SWEDEN:
        return False
    # A file's one place column (a city, say) is mapped to the kommun; abroad it is the place.
    place = (values.get("place") or values.get("municipality", "")).strip()
    check.municipality = ", ".join(part for part in (place, written) if part)
    if not place:
        check.problem(
            layout.names.get("place", layout.names["country"]),
            _("Fill in the place (town, city or region) of the example."),
            "place",
        )
        return True
    check.fields["country"] = code
    check.fields["place"] = place
    return True


def _municipality_field(
    layout: Layout, values: dict[str, str], check: RowCheck, lookups: Lookups
) -> None:
    if _abroad(layout, values, check):
        return
    code, name = values.get("municipality_code", ""), values.get("municipality", "")
    check.municipality = name or code
    if code:
        column = layout.names["municipality_code"]
        if code.isdigit() and len(code) < 4:
            code = code.zfill(4)  # spreadsheets drop the leading zero of 0114
        found = lookups.municipality_by_code.get(code)
        if found is None:
            check.problem(
                column,
                _(
                    "There is no municipality with the code “%(code)s”. Use the four-digit SCB "
                    "code, e.g. 2480 for Umeå."
                )
                % {"code": values["municipality_code"]},
                "municipality",
            )
            return
        named = lookups.municipality(name) if name else found
        if named != found:
            check.problem(
                layout.names["municipality"],
                _("The code %(code)s is %(name)s, not “%(given)s”. Correct one of them.")
                % {"code": code, "name": found.name, "given": name},
                "municipality",
            )
            return
    elif name:
        column = layout.names["municipality"]
        found = lookups.municipality(name)
        if found is None:
            check.problem(
                column,
                _(
                    "There is no municipality called “%(name)s”. Write its name as in "
                    "“Umeå” or “Upplands Väsby”, or use its code in the column "
                    "municipality_code."
                )
                % {"name": name},
                "municipality",
            )
            return
    else:
        check.problem(
            layout.column_for("municipality"),
            _("Fill in the municipality (its name or its four-digit code)."),
            "municipality",
        )
        return
    check.fields["municipality"] = found
    check.municipality = found.name


# --- checking and saving rows -----------------------------------------------------------


def read_table(content: bytes, filename: str) -> Table:
    try:
        return read_spreadsheet(
            content,
            filename,
            max_rows=max_rows(),
            max_uncompressed_bytes=max_uncompressed_bytes(),
        )
    except SpreadsheetError as error:
        raise ValidationError({"file": file_error_message(error)}, code=error.code) from error


def open_table(content: bytes, filename: str) -> StreamedTable:
    """The file read a row at a time (``lib.spreadsheets.open_spreadsheet``); a problem
    with the file as a whole is a ValidationError on "file", as in ``read_table``. Read
    its rows with ``table_chunks``."""
    try:
        return open_spreadsheet(
            content,
            filename,
            max_rows=max_rows(),
            max_uncompressed_bytes=max_uncompressed_bytes(),
        )
    except SpreadsheetError as error:
        raise ValidationError({"file": file_error_message(error)}, code=error.code) from error


def table_chunks(table: StreamedTable, size: int) -> Iterator[Table]:
    """The rows of a streamed file, ``size`` at a time, each chunk a ``Table``; a problem
    found while reading is a ValidationError on "file"."""
    while True:
        try:
            rows = list(islice(table.rows, size))
        except SpreadsheetError as error:
            raise ValidationError({"file": file_error_message(error)}, code=error.code) from error
        if not rows:
            return
        yield Table(table.file_type, table.header, rows)


FILE_ERRORS = {
    "empty": gettext_lazy(
        "The file is empty. Choose a CSV or Excel file with a header row and at least one "
        "initiative."
    ),
    "wrong_extension": gettext_lazy(
        "Only .csv and .xlsx files can be imported. Save the spreadsheet as CSV or as an "
        "Excel workbook (.xlsx) and upload it again."
    ),
    "old_excel": gettext_lazy(
        "This is an old Excel file (.xls). Open it in Excel, save it as .xlsx or CSV and "
        "upload it again."
    ),
    "not_xlsx": gettext_lazy(
        "The file is named .xlsx but is not an Excel workbook. Save it from your spreadsheet "
        "program as .xlsx or CSV and upload it again."
    ),
    "not_csv": gettext_lazy(
        "The file is named .csv but is not a text file. Save it as CSV (UTF-8) or as .xlsx "
        "and upload it again."
    ),
    "too_large_unpacked": gettext_lazy(
        "The workbook unpacks to more than %(limit)s MB, more than can be imported. Split it "
        "into smaller files."
    ),
    "too_many_parts": gettext_lazy(
        "The workbook has too many parts to be read. Save it again as .xlsx or CSV."
    ),
    "unreadable_xlsx": gettext_lazy(
        "The Excel file is damaged or cannot be read. Save it again as .xlsx or CSV and "
        "upload it again."
    ),
    "unreadable_csv": gettext_lazy(
        "The CSV file cannot be read from row %(row)s (line %(line)s of the file): perhaps a "
        "quotation mark is not closed. Correct the file and upload it again."
    ),
    "no_sheet": gettext_lazy("The workbook has no sheet."),
    "no_rows": gettext_lazy("The file has a header row but no initiatives under it."),
    "too_many_rows": gettext_lazy(
        "The file has more than %(limit)s rows of initiatives. Split it into smaller files."
    ),
    "too_many_columns": gettext_lazy("The file has more than %(limit)s columns."),
}


def file_error_message(error: SpreadsheetError) -> str:
    params: dict[str, Any] = {"row": "?", "line": "?", "limit": "", **error.params}
    if error.code == "too_large_unpacked":
        params["limit"] = f"{error.params['limit'] / 1024 / 1024:.0f}"
    message = FILE_ERRORS.get(error.code, FILE_ERRORS["unreadable_xlsx"])
    return str(message) % params


def _values(layout: Layout, cells: Sequence[str], check: RowCheck) -> dict[str, str]:
    values = {}
    for name, index in layout.columns.items():
        text = unneutralise(cells[index])
        if len(text) > MAX_CELL_CHARACTERS:
            check.problem(
                layout.names[name],
                _("The text is longer than %(limit)d characters.") % {"limit": MAX_CELL_CHARACTERS},
                name,
            )
        values[name] = text
    for name, default in layout.defaults.items():
        values[name] = values.get(name) or default
    return values


#: How often (in rows) the check and the import tell ``progress`` how far they are.
PROGRESS_EVERY = 500
#: Rows saved per call of the bulk service in one import: the import is still one
#: transaction, but memory holds one chunk's initiatives at a time and progress is told
#: after each chunk. A setting (IMPORT_CHUNK_ROWS) so that tests can make it small.
DEFAULT_CHUNK_ROWS = 5_000


def chunk_rows() -> int:
    return getattr(settings, "IMPORT_CHUNK_ROWS", DEFAULT_CHUNK_ROWS)


def check_rows(
    table: Table,
    layout: Layout,
    lookups: Lookups,
    *,
    progress: Callable[[int], None] | None = None,
) -> list[RowCheck]:
    """Every row read into service arguments, or with the reasons it cannot be.
    ``progress`` is called with the number of rows checked every ``PROGRESS_EVERY`` rows."""
    checks = []
    for position, row in enumerate(table.rows, start=1):
        if progress is not None and position % PROGRESS_EVERY == 0:
            progress(position)
        check = RowCheck(number=row.number)
        values = _values(layout, row.cells, check)
        check.title = values.get("title", "")[:200]
        if row.overflow:
            check.problem(
                "",
                _(
                    "The row has %(count)d filled cells to the right of the last named column. "
                    "Check that every column has a name in the first row and that no cell has "
                    "moved."
                )
                % {"count": row.overflow},
            )
        if not layout.missing:  # else the person first chooses the columns
            layout.check_row(layout, values, check, lookups)
        checks.append(check)
    return checks


def _service_issues(error: ValidationError, layout: Layout) -> list[Issue]:
    if not hasattr(error, "error_dict"):
        return [Issue("", message) for message in error.messages]
    issues = []
    for name, messages in error.message_dict.items():
        column = "" if name == NON_FIELD_ERRORS else layout.column_for(name)
        issues.extend(Issue(column, message) for message in messages)
    return issues


def check_fields(check: RowCheck, layout: Layout) -> None:
    """The rules the service applies to the row's fields (lengths, e-mail address, …),
    without a query; fields already found wrong are not checked twice, so the person sees
    every problem of the row once."""
    problems = services.initiative_problems(check.fields, exclude=check.bad_fields)
    if problems is not None:
        check.issues.extend(_service_issues(problems, layout))


def analyse(
    content: bytes,
    filename: str,
    *,
    check_models: bool = True,
    mapping: dict[str, Any] | None = None,
    saved: dict[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
    on_read: Callable[[Table], None] | None = None,
) -> tuple[Layout, list[RowCheck]]:
    """Read and check every row. ``check_models=False`` leaves the fields' own rules to
    the bulk service, which applies them while saving (the import would check twice).
    ``mapping`` and ``saved`` choose the columns (see ``layout_of``). ``on_read`` is given
    the table once it is read (how many rows there are); ``progress`` the number of rows
    checked, now and then."""
    table = read_table(content, filename)
    layout = layout_of(table.header, mapping, saved=saved)
    if on_read is not None:
        on_read(table)
    checks = check_rows(table, layout, Lookups(), progress=progress)
    if check_models and not layout.missing:
        _check_models(checks, layout)
    return layout, checks


def _check_models(checks: Sequence[RowCheck], layout: Layout) -> None:
    """The rules of the model each row becomes, beside those of the columns."""
    for check in checks:
        if layout.format == ImportBatch.Format.PARTICIPEDIA_METHODS:
            problems = participedia.method_problems(check.fields)
            if problems is not None:
                check.issues.extend(_service_issues(problems, layout))
        else:
            check_fields(check, layout)


# --- services ---------------------------------------------------------------------------


def _require_lead(actor: Any, lead: Organisation) -> None:
    require(
        actor.is_coordinator or Membership.objects.filter(user=actor, organisation=lead).exists(),
        _("You can import initiatives only for organisations you are a member of."),
    )


def _read_upload(upload: Any) -> bytes:
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _too_large(size, limit)
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _too_large(len(content), limit)
    return content


def _too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        {
            "file": _(
                "The file is %(size)s MB; the largest file that can be imported is %(limit)s MB. "
                "Split it into smaller files."
            )
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": f"{limit / 1024 / 1024:.0f}"}
        },
        code="too_large",
    )


def store_check(batch: ImportBatch, checks: Sequence[RowCheck]) -> None:
    """Put the result of a check on the batch (not saved)."""
    batch.row_count = len(checks)
    batch.error_count = sum(1 for check in checks if check.issues)
    batch.warning_count = sum(1 for check in checks if check.warnings)
    batch.report = report_of(checks)


def import_prepare(
    *,
    actor: Any,
    upload: Any,
    lead: Organisation,
    saved_mapping: Any = None,
    progress: Callable[[int], None] | None = None,
) -> ImportBatch:
    """Read an uploaded file and check every row without saving any; keep the file and the
    check for the preview. File-level problems (unreadable, too large) are a ValidationError
    on "file" and keep nothing. A file with other column names is read through the mapping
    proposed from its header (or ``saved_mapping``, a ``ColumnMapping`` of ``lead``); when
    that leaves out a required field, the rows are checked once the person has chosen."""
    require_signed_in(actor)
    _require_lead(actor, lead)
    if saved_mapping is not None:
        import_mapping.require_usable(actor, saved_mapping, lead)
    filename = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255]
    content = _read_upload(upload)
    saved = saved_mapping.mapping if saved_mapping is not None else None
    layout, checks = analyse(content, filename, saved=saved, progress=progress)
    file_type = extension_of(filename)
    with transaction.atomic():
        batch = ImportBatch(
            user=actor,
            lead=lead,
            filename=filename,
            file_type=file_type,
            format=layout.format,
            content=content,
            mapping=layout.mapping.as_json() if layout.mapping else {},
        )
        store_check(batch, checks)
        batch.save()
        audit.record(
            actor=actor,
            action="import.prepare",
            target=batch,
            changes={
                "filename": [None, filename],
                "format": [None, batch.format],
                "lead": [None, lead.name],
                "rows": [None, batch.row_count],
                "rows_with_errors": [None, batch.error_count],
                **({"mapping": [None, saved_mapping.name]} if saved_mapping else {}),
            },
        )
    return batch


class ImportFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def mapping_missing(batch: ImportBatch) -> list[str]:
    """The required fields the batch's column mapping leaves out."""
    if not batch.mapping:
        return []
    return import_mapping.missing_required(import_mapping.Mapping.from_json(batch.mapping))


def can_commit(batch: ImportBatch) -> bool:
    return (
        batch.status == ImportBatch.Status.PREVIEWED
        and not batch.error_count
        and not mapping_missing(batch)
    )


def can_commit_good_rows(batch: ImportBatch) -> bool:
    """Whether the rows without errors may be imported, skipping the others."""
    return (
        batch.status == ImportBatch.Status.PREVIEWED
        and 0 < batch.error_count < batch.row_count
        and not mapping_missing(batch)
    )


def import_commit(
    *,
    actor: Any,
    batch: ImportBatch,
    skip_bad_rows: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Save every row of a checked file in one transaction; return how many were saved.

    Only the person who uploaded the file may import it, once. If any row fails now (the
    knowledge bank may have changed since the check), nothing is saved and the batch is
    marked failed. ``skip_bad_rows`` imports the rows without errors when some have them
    (the person chose so, seeing how many); if more rows fail now than at the check,
    nothing is saved either. ``progress`` is called with the number of rows saved after each
    chunk (inside the transaction: what it writes to this database is rolled back with it);
    an exception from it fails the import like any other."""
    require_signed_in(actor)
    try:
        with transaction.atomic():
            # The file is read by _save_all alone, so that only one copy is in memory.
            locked = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
            _check_committable(actor, locked, skip_bad_rows=skip_bad_rows)
            count = _save_all(actor, locked, skip_bad_rows=skip_bad_rows, progress=progress)
            locked.status = ImportBatch.Status.IMPORTED
            locked.imported_count = count
            locked.skipped_count = locked.row_count - count
            locked.imported_at = timezone.now()
            locked.content = b""  # the data now lives in the initiatives; keep no copy
            locked.save(
                update_fields=[
                    "status",
                    "imported_count",
                    "skipped_count",
                    "imported_at",
                    "content",
                ]
            )
            audit.record(
                actor=actor,
                action="import.commit",
                target=locked,
                changes={
                    "imported": [None, count],
                    **({"skipped": [None, locked.skipped_count]} if locked.skipped_count else {}),
                },
            )
    except ImportFailed as failure:
        _mark_failed(actor, batch, failure.message)
        raise ValidationError(
            _("Nothing was imported: %(reason)s Correct the file and upload it again.")
            % {"reason": failure.message},
            code="failed",
        ) from failure
    batch.refresh_from_db()
    return count


def _check_committable(actor: Any, batch: ImportBatch, *, skip_bad_rows: bool = False) -> None:
    require(batch.user_id == actor.pk, _("Only the person who uploaded the file can import it."))
    if batch.status == ImportBatch.Status.IMPORTED:
        raise ValidationError(_("This file has already been imported."), code="imported")
    if batch.status == ImportBatch.Status.FAILED:
        raise ValidationError(
            _("This import failed and cannot be repeated. Upload the file again."),
            code="failed",
        )
    missing = mapping_missing(batch)
    if missing:
        raise ValidationError(
            _("Choose a column for every required field first. Not chosen: %(fields)s.")
            % {"fields": ", ".join(missing)},
            code="mapping_incomplete",
        )
    if skip_bad_rows and batch.error_count >= batch.row_count:
        raise ValidationError(
            _("Every row has errors, so there is nothing to import."), code="has_errors"
        )
    if batch.error_count and not skip_bad_rows:
        raise ValidationError(
            _(
                "The file has rows with errors, so it cannot be imported. Correct the file and "
                "upload it again; nothing has been saved."
            ),
            code="has_errors",
        )
    _require_lead(actor, batch.lead)


def _save_all(
    actor: Any,
    batch: ImportBatch,
    *,
    skip_bad_rows: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Read the file again and save it a chunk of rows at a time (each chunk checked
    against the reference data as it is now, then saved): memory holds one chunk. Called
    inside the import's transaction, so a chunk that fails undoes the chunks before it.
    With ``skip_bad_rows`` the rows with errors are left out, as long as no more fail than
    at the check."""
    content = ImportBatch.objects.values_list("content", flat=True).get(pk=batch.pk)
    try:
        table = open_table(bytes(content), batch.filename)
        del content
        layout = layout_of(table.header, batch.mapping or None)
    except ValidationError as error:
        raise ImportFailed(" ".join(error.messages)) from error
    lookups = Lookups()
    saved = skipped = 0
    with table:
        chunks = table_chunks(table, chunk_rows())
        while True:
            try:
                part = next(chunks, None)
            except ValidationError as error:
                raise ImportFailed(" ".join(error.messages)) from error
            if part is None:
                break
            checks = check_rows(part, layout, lookups)
            del part  # a chunk's cells are freed once it is checked
            if skip_bad_rows:
                _check_models(checks, layout)  # to know which rows to skip, every rule is applied
                good = [check for check in checks if not check.issues]
                skipped += len(checks) - len(good)
                if skipped > batch.error_count:
                    bad = [check for check in checks if check.issues]
                    raise ImportFailed(_problems_text(bad))
                checks = good
            saved += _save_chunk(actor, batch, layout, checks)
            if progress is not None:
                progress(saved)
    return saved


def _problems_text(checks: Sequence[RowCheck]) -> str:
    problems = [issue_text(c.number, i.column, i.message) for c in checks for i in c.issues]
    return " ".join(problems[:5])


def _save_chunk(actor: Any, batch: ImportBatch, layout: Layout, checks: list[RowCheck]) -> int:
    if any(check.issues for check in checks):
        raise ImportFailed(_problems_text([check for check in checks if check.issues]))
    try:
        with transaction.atomic():
            if layout.format == ImportBatch.Format.PARTICIPEDIA_METHODS:
                participedia.methods_create(actor=actor, entries=[check.fields for check in checks])
            else:
                services.initiative_create_many(
                    actor=actor, lead=batch.lead, entries=[check.fields for check in checks]
                )
    except services.InvalidEntry as error:
        check = checks[error.index]
        texts = [
            issue_text(check.number, i.column, i.message) for i in _service_issues(error, layout)
        ]
        raise ImportFailed(" ".join(texts)) from error
    except PermissionDenied:
        raise
    except ValidationError as error:
        raise ImportFailed(" ".join(error.messages)) from error
    except Exception as error:  # all or nothing, whatever went wrong (the database refused)
        logger.exception("Import %s failed", batch.pk)
        raise ImportFailed(_("the database refused to save the rows.")) from error
    return len(checks)


def _mark_failed(actor: Any, batch: ImportBatch, reason: str) -> None:
    with transaction.atomic():
        updated = ImportBatch.objects.filter(
            pk=batch.pk, status=ImportBatch.Status.PREVIEWED
        ).update(status=ImportBatch.Status.FAILED)
        if updated:
            audit.record(
                actor=actor,
                action="import.fail",
                target=batch,
                changes={"reason": [None, reason[:1000]]},
            )
    batch.refresh_from_db()


def columns_help() -> list[dict[str, Any]]:
    """For the upload page: each column, its Swedish alternatives and what it takes."""
    return [
        {"name": c.name, "aliases": c.aliases, "help": c.help, "required": c.required}
        for c in COLUMNS
    ]


def import_template() -> list[str]:
    return [c.name for c in COLUMNS]


@transaction.atomic
def import_prune(*, older_than: datetime.timedelta) -> int:
    """Delete uploads that were checked but never imported (or failed) after a while: they
    may hold contact details nobody decided to publish. Run by ``manage.py prune_imports``."""
    cutoff = timezone.now() - older_than
    stale = list(
        ImportBatch.objects.filter(
            created_at__lt=cutoff,
            status__in=[ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED],
        )
    )
    for batch in stale:
        audit.record(
            actor=None,
            action="import.prune",
            target=batch,
            changes={"status": [batch.status, None]},
        )
        batch.delete()
    return len(stale)
