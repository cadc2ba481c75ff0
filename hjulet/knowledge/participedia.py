"""Participedia's exports, read into Hjulet: cases as initiatives (anywhere in the world),
methods as methods.

A case keeps its country and city (an international example when it is not in Sweden). Its
methods are matched to Hjulet's methods by title (folded, then a close spelling); a method
with no match is proposed for a coordinator to accept on the preview page, which creates it
through the knowledge service. Its issues, topics and target groups become terms through the
value-mapping table (``ImportValueMapping``, kept by coordinators, ``import_mappings``); a
value the table does not know is listed on the preview and left out. A case that says
neither that it is ongoing nor when it ended gets the stage "okänt".
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.core import audit
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import require_coordinator
from hjulet.lib import countries
from hjulet.lib.language import detect_language

from . import services
from .import_mappings import value_key
from .importing.cells import (
    Lookups,
    count_field,
    country_field,
    dates_fields,
    folded,
    links_field,
    summary_field,
)
from .importing.columns import column_key
from .models import ImportBatch, ImportValueMapping, Method

#: A case export has these columns (after ``column_key``); a method export lacks "country".
CASE_SIGNATURE = {"type", "title", "body", "country"}
METHOD_SIGNATURE = {"type", "title", "body", "method_types_1"}

#: Columns whose values go through the value-mapping table, by Hjulet's vocabulary.
MAPPED_COLUMNS = {
    Vocabulary.CHALLENGE: ("general_issues", "specific_topics"),
    Vocabulary.TARGET_GROUP: ("targeted_participants",),
}
#: The initiative field each mapped vocabulary fills.
VOCABULARY_FIELDS = {Vocabulary.CHALLENGE: "challenges", Vocabulary.TARGET_GROUP: "target_groups"}

CASE_FIELDS = {
    "title": "title",
    "summary": "description",
    "description": "body",
    "start_date": "start_date",
    "end_date": "end_date",
    "participants_reached": "number_of_participants_1",
    "links": "url",
    "place": "city",
    "country": "country",
    "stage": "ongoing",
    "methods": "specific_methods_tools_techniques_titles",
}
METHOD_FIELDS = {"title": "title", "summary": "description", "what": "body", "links": "url"}
PLACE_LENGTH = 200
METHOD_URL = "https://participedia.net/method/{id}"
#: How alike two folded titles must be (difflib's ratio) to count as the same method.
CLOSE_TITLE = 0.88

_METHOD_REFERENCE = re.compile(r'\(\s*(\d+)\s*,\s*(\w+)\s*,\s*("(?:[^"]|"")*"|[^)]*)\)')


def numbered_values(values: dict[str, str], prefix: str) -> list[str]:
    """The filled cells of ``prefix_1``, ``prefix_2``, … (Participedia's lists)."""
    found = []
    for name in sorted(key for key in values if key.startswith(f"{prefix}_")):
        for piece in values[name].split(","):
            piece = piece.strip()
            if piece and piece not in found:
                found.append(piece)
    return found


@dataclass(frozen=True)
class MethodReference:
    participedia_id: str
    title: str


def method_references(text: str) -> list[MethodReference]:
    """'(4232,method,"Online Deliberation"), (565,method,Survey)' → the two methods."""
    found = []
    for number, _kind, title in _METHOD_REFERENCE.findall(text or ""):
        title = title.strip()
        if title.startswith('"') and title.endswith('"'):
            title = title[1:-1].replace('""', '"')
        if title.strip():
            found.append(MethodReference(number, title.strip()))
    return found


class MethodMatcher:
    """Hjulet's methods by title: the same title folded, else one spelt closely alike."""

    def __init__(self, methods: dict[str, Method]) -> None:
        self.by_title = methods
        self.titles = list(methods)
        self._cache: dict[str, Method | None] = {}

    def match(self, title: str) -> Method | None:
        key = folded(title)
        if key not in self._cache:
            found = self.by_title.get(key)
            if found is None:
                close = difflib.get_close_matches(key, self.titles, n=1, cutoff=CLOSE_TITLE)
                found = self.by_title[close[0]] if close else None
            self._cache[key] = found
        return self._cache[key]


def _matcher(lookups: Any) -> MethodMatcher:
    if not hasattr(lookups, "method_matcher"):
        lookups.method_matcher = MethodMatcher(lookups.methods)
    return lookups.method_matcher


def without_summary(summary: str, description: str) -> str:
    """The description, less the summary when it only repeats it: nothing when both say
    the same, the rest when the description starts with the whole summary."""
    plain_summary = " ".join(summary.split())
    plain_description = " ".join(description.split())
    if not plain_summary or plain_summary.endswith("…"):
        return description
    if plain_description == plain_summary:
        return ""
    if plain_description.startswith(plain_summary):
        return plain_description[len(plain_summary) :].lstrip(" .,;:–-")
    return description


# --- layouts ----------------------------------------------------------------------------


def layout_for(header: list[str], keys: list[str]) -> Any:
    """The layout of a Participedia case or method export, or None if it is neither."""
    from .importing import Layout

    present = set(keys)
    if present >= CASE_SIGNATURE:
        wanted = set(CASE_FIELDS.values()) | {"type", "province", "address1"}
        fmt, fields, check = ImportBatch.Format.PARTICIPEDIA, CASE_FIELDS, check_case_row
    elif present >= METHOD_SIGNATURE:
        wanted = set(METHOD_FIELDS.values()) | {"type", "id"}
        fmt, fields, check = ImportBatch.Format.PARTICIPEDIA_METHODS, METHOD_FIELDS, check_method
    else:
        return None
    prefixes = tuple(f"{p}_" for columns in MAPPED_COLUMNS.values() for p in columns)
    index = {key: i for i, key in reversed(list(enumerate(keys)))}
    columns = {key: i for key, i in index.items() if key in wanted or key.startswith(prefixes)}
    names = {key: header[i] for key, i in columns.items()}
    return Layout(
        fmt,
        columns,
        names,
        {name: names[key] for name, key in fields.items() if key in names},
        check,
    )


# --- cases ------------------------------------------------------------------------------


def _tags(values: dict[str, str], lookups: Any) -> dict[str, list[Term]]:
    value_map = lookups.value_map
    found: dict[str, list[Term]] = {}
    for slug, prefixes in MAPPED_COLUMNS.items():
        terms: dict[int, Term] = {}
        for prefix in prefixes:
            for value in numbered_values(values, prefix):
                known, term = value_map.term(ImportValueMapping.Source.PARTICIPEDIA, slug, value)
                if known and term is not None:
                    terms[term.pk] = term
        if terms:
            found[VOCABULARY_FIELDS[slug]] = list(terms.values())
    return found


def _place(check: Any, values: dict[str, str], names: dict[str, str], lookups: Any) -> None:
    country_text = values.get("country", "").strip()
    city = values.get("city", "").strip()
    check.municipality = ", ".join(part for part in (city, country_text) if part)
    if not country_text:
        check.problem(
            names["country"],
            _("The case has no country. Fill in its country (in English or Swedish)."),
            "country",
        )
        return
    code = country_field(check, names["country"], country_text)
    if code is None:
        return
    if code != countries.SWEDEN:
        place = city or values.get("province", "").strip() or countries.country_name(code, "en")
        check.fields["country"] = code
        check.fields["place"] = place[:PLACE_LENGTH].rstrip(" ,")
        return
    found = lookups.municipality(city) if city else None
    if found is None:
        check.problem(
            names.get("city", names["country"]),
            _(
                "No Swedish municipality is called “%(city)s”. Change the city to the name "
                "of the municipality, e.g. Umeå."
            )
            % {"city": city}
            if city
            else _(
                "The case is in Sweden but has no city, so its municipality is unknown. Fill "
                "in the city with the name of the Swedish municipality."
            ),
            "municipality",
        )
        return
    check.fields["country"] = countries.SWEDEN
    check.fields["municipality"] = found
    check.municipality = found.name


def _stage(check: Any, values: dict[str, str], names: dict[str, str], lookups: Any) -> None:
    """Ended when it says it ended; established when ongoing; otherwise unknown."""
    ongoing = folded(values.get("ongoing", "")) in {"1", "true", "yes", "ja", "sant"}
    end = check.fields.get("end_date")
    if ongoing:
        code = "etablerad"
    elif end is not None and end <= timezone.localdate():
        code = "avslutad"
    else:
        code = "okant"
    check.fields["stage"] = lookups.term(Vocabulary.STAGE, code)
    if check.fields["stage"] is None:
        check.problem(
            names.get("ongoing", ""),
            _("The stage “%(code)s” is missing from the stage vocabulary.") % {"code": code},
            "stage",
        )


def check_case_row(layout: Any, values: dict[str, str], check: Any, lookups: Any) -> None:
    names = layout.names
    kind = values.get("type", "")
    if kind and kind.casefold() != "case":
        check.problem(
            names["type"],
            _("Only cases can be imported; this row is of the type “%(type)s”.") % {"type": kind},
        )
    if values.get("title"):
        check.fields["title"] = values["title"]
    else:
        check.problem(names["title"], _("Fill in the title."), "title")
    summary = values.get("description") or values.get("body", "")
    if summary:
        summary_field(check, names.get("description") or names["body"], summary)
    else:
        check.problem(
            names.get("description", names["title"]),
            _("The case has neither a description nor a text to summarise."),
            "summary",
        )
    if values.get("body"):
        description = without_summary(check.fields.get("summary", ""), values["body"])
        if description:
            check.fields["description"] = description
    check.fields["language"] = detect_language(
        " ".join(values.get(name, "") for name in ("title", "description", "body"))
    )
    _place(check, values, names, lookups)
    if values.get("address1"):
        check.fields["address"] = values["address1"][:200]
    dates_fields(check, names, values)
    count_field(
        check, names.get("number_of_participants_1", ""), values.get("number_of_participants_1", "")
    )
    links_field(check, values.get("url", ""))
    _stage(check, values, names, lookups)
    check.fields.update(_tags(values, lookups))
    matcher = _matcher(lookups)
    methods = {}
    for reference in method_references(values.get(CASE_FIELDS["methods"], "")):
        method = matcher.match(reference.title)
        if method is not None:
            methods[method.pk] = method
    if methods:
        check.fields["methods"] = list(methods.values())


# --- methods ----------------------------------------------------------------------------


def check_method(layout: Any, values: dict[str, str], check: Any, lookups: Any) -> None:
    names = layout.names
    kind = values.get("type", "")
    if kind and kind.casefold() != "method":
        check.problem(
            names["type"],
            _("Only methods can be imported from this file; this row is of the type “%(type)s”.")
            % {"type": kind},
        )
    title = values.get("title", "").strip()
    if not title:
        check.problem(names["title"], _("Fill in the title."), "title")
    elif folded(title) in lookups.methods:
        check.problem(
            names["title"],
            _("The knowledge bank already has a method called “%(title)s”.") % {"title": title},
            "title",
        )
    check.fields["title"] = title
    text = values.get("body", "").strip() or values.get("description", "").strip()
    summary = values.get("description", "").strip() or text
    if not summary:
        check.problem(
            names.get("description", names["title"]),
            _("The method has neither a description nor a text to summarise."),
            "summary",
        )
    if summary:
        summary_field(check, names.get("description") or names.get("body", ""), summary)
    check.fields["what"] = without_summary(check.fields.get("summary", ""), text) or text
    check.fields["language"] = detect_language(" ".join((title, summary, text)))
    links_field(check, values.get("url", ""))
    check.fields.update(_tags(values, lookups))


def method_problems(fields: dict[str, Any]) -> ValidationError | None:
    method = Method(**{k: v for k, v in fields.items() if k in services.METHOD_FIELDS})
    try:
        method.clean_fields(exclude=["slug", "created_by", "reviewed_by"])
    except ValidationError as error:
        return error
    return None


@transaction.atomic
def methods_create(*, actor: Any, entries: list[dict[str, Any]]) -> list[Method]:
    """Each entry through ``services.method_create`` (its rules, audit entry and index)."""
    return [services.method_create(actor=actor, **entry) for entry in entries]


# --- what the preview shows -------------------------------------------------------------


@dataclass
class ValueRow:
    vocabulary: Vocabulary
    value: str
    rows: int
    known: bool
    term: Term | None


@dataclass
class MethodRow:
    title: str
    participedia_id: str
    rows: int
    method: Method | None


@dataclass
class Mappings:
    values: list[ValueRow] = field(default_factory=list)
    methods: list[MethodRow] = field(default_factory=list)

    @property
    def proposed(self) -> list[MethodRow]:
        return [row for row in self.methods if row.method is None]

    @property
    def unmapped(self) -> list[ValueRow]:
        return [row for row in self.values if not row.known]


def batch_mappings(batch: ImportBatch) -> Mappings | None:
    """The values and methods of a Participedia file and what each becomes now (the table
    and the methods as they are, so an accepted proposal or a new mapping shows at once)."""
    if batch.format != ImportBatch.Format.PARTICIPEDIA or not batch.content:
        return None
    from .importing.reading import read_table, row_values

    table = read_table(bytes(batch.content), batch.filename)
    layout = layout_for(table.header, [column_key(name) for name in table.header])
    if layout is None:
        return None
    lookups = Lookups()
    value_map, matcher = lookups.value_map, _matcher(lookups)
    value_counts: Counter = Counter()
    method_counts: Counter = Counter()
    method_ids: dict[str, str] = {}

    class Quiet:
        def problem(self, *args: Any) -> None:
            pass

    for row in table.rows:
        values = row_values(layout, row.cells, Quiet())
        for slug, prefixes in MAPPED_COLUMNS.items():
            for prefix in prefixes:
                for value in numbered_values(values, prefix):
                    value_counts[(slug, value_key(value))] += 1
        for reference in method_references(values.get(CASE_FIELDS["methods"], "")):
            method_counts[reference.title] += 1
            method_ids.setdefault(reference.title, reference.participedia_id)
    vocabularies = {v.slug: v for v in Vocabulary.objects.filter(slug__in=MAPPED_COLUMNS)}
    result = Mappings()
    for (slug, value), count in sorted(value_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        known, term = value_map.term(ImportValueMapping.Source.PARTICIPEDIA, slug, value)
        result.values.append(ValueRow(vocabularies[slug], value, count, known, term))
    for title, count in sorted(method_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        result.methods.append(MethodRow(title, method_ids[title], count, matcher.match(title)))
    return result


@transaction.atomic
def method_proposals_accept(*, actor: Any, batch: ImportBatch, titles: list[str]) -> list[Method]:
    """Create the proposed methods a coordinator accepts (through ``method_create``), so the
    file's cases link to them when imported. Titles that are no longer proposed (a method of
    that name exists now) are left."""
    require_coordinator(actor)
    mappings = batch_mappings(batch)
    proposed = {row.title: row for row in (mappings.proposed if mappings else [])}
    wanted = [proposed[title] for title in dict.fromkeys(titles) if title in proposed]
    if not wanted:
        raise ValidationError(
            {"titles": _("Choose at least one of the proposed methods.")}, code="none"
        )
    created = []
    for row in wanted:
        created.append(
            services.method_create(
                actor=actor,
                title=row.title,
                summary=_("A method documented on Participedia, used in imported cases."),
                what=_(
                    "Imported from Participedia. Describe what the method is, how it is done "
                    "and what it takes."
                ),
                links=METHOD_URL.format(id=row.participedia_id),
                language="sv",
            )
        )
    audit.record(
        actor=actor,
        action="import.methods_accept",
        target=batch,
        changes={"methods": [None, sorted(m.title for m in created)]},
    )
    return created
