"""How a file's columns map to an initiative, and the checks of a row of Hjulet's columns."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hjulet.lib import countries
from hjulet.lib.language import detect_language

from .. import import_mapping, participedia, services
from ..models import ImportBatch
from .cells import (
    Lookups,
    count_field,
    country_field,
    dates_fields,
    folded,
    links_field,
    methods_field,
    stage_field,
    summary_field,
    tags_field,
)
from .checks import RowCheck
from .columns import LANGUAGE_NAMES, column_key


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
    stage_field(check, names.get("stage", ""), values.get("stage", ""), lookups)
    dates_fields(check, names, values)
    count_field(
        check, names.get("participants_reached", ""), values.get("participants_reached", "")
    )
    for name in services.TAGS:
        if values.get(name):
            tags_field(check, name, names[name], values[name], lookups)
    if values.get("methods"):
        methods_field(check, names["methods"], values["methods"], lookups)
    links_field(check, values.get("links", ""))
    _language_field(check, names.get("language", ""), values)


def _hjulet_summary(check: RowCheck, names: dict[str, str], values: dict[str, str]) -> None:
    """The summary column, or when it is empty or not mapped the start of the description
    (which is then kept only if it says more than the summary)."""
    if values.get("summary"):
        summary_field(check, names["summary"], values["summary"])
    elif values.get("description"):
        summary_field(check, names["description"], values["description"])
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
    language = LANGUAGE_NAMES.get(folded(written))
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
    code = country_field(check, layout.names["country"], written)
    if code is None:
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
