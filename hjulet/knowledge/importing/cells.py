"""Reading cells against the reference data looked up once per file."""

import datetime
import re
from collections import defaultdict
from functools import cached_property

from django.utils.translation import gettext as _

from hjulet.core.models import Municipality, Term, Vocabulary
from hjulet.lib import countries
from hjulet.lib.sentences import cut_at_sentence
from hjulet.lib.text import fold

from .. import services
from ..import_mappings import ValueMap
from ..models import ImportValueMapping, Initiative, Method
from .checks import RowCheck

MAX_PARTICIPANTS = 2_147_483_647  # what every database stores in a positive integer
SUMMARY_LENGTH = Initiative._meta.get_field("summary").max_length


def folded(text: str) -> str:
    return " ".join(fold(text).casefold().split())


class Lookups:
    """Municipalities, terms and methods by the ways people write them."""

    def __init__(self) -> None:
        municipalities = list(Municipality.objects.all())
        self.municipality_by_code = {m.code: m for m in municipalities}
        self.municipality_by_name = {m.name.casefold(): m for m in municipalities}
        by_folded: dict[str, list[Municipality]] = defaultdict(list)
        for municipality in municipalities:
            by_folded[folded(municipality.name)].append(municipality)
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
                    found[folded(key)] = term
            self.terms[slug] = found
        methods = list(Method.objects.only("pk", "slug", "title"))
        titles: dict[str, list[Method]] = defaultdict(list)
        for method in methods:
            titles[folded(method.title)].append(method)
        self.methods = {k: v[0] for k, v in titles.items() if len(v) == 1}
        self.methods.update({method.slug: method for method in methods})

    def municipality(self, name: str) -> Municipality | None:
        for candidate in (name, re.sub(r"\s+kommun$", "", name, flags=re.IGNORECASE)):
            found = self.municipality_by_name.get(candidate.casefold().strip())
            found = found or self.municipality_by_folded.get(folded(candidate))
            if found:
                return found
        return None

    def term(self, slug: str, text: str) -> Term | None:
        return self.terms[slug].get(folded(text))

    @cached_property
    def value_map(self) -> ValueMap:
        """The value-mapping table, read once a value is no code or name of a term."""
        return ValueMap.load()


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


def split_cell(text: str, separators: str) -> list[str]:
    return [piece.strip() for piece in re.split(f"[{separators}]", text) if piece.strip()]


def date_field(check: RowCheck, name: str, column: str, text: str) -> None:
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


def count_field(check: RowCheck, column: str, text: str) -> None:
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


def country_field(check: RowCheck, column: str, text: str) -> str | None:
    """The ISO code of the country ``text`` names; None (and a problem) when it is none."""
    code = countries.country_code(text)
    if code is None:
        check.problem(
            column,
            _("“%(country)s” is not a country we know. Write its English or Swedish name.")
            % {"country": text},
            "country",
        )
    return code


def dates_fields(check: RowCheck, columns: dict[str, str], values: dict[str, str]) -> None:
    """The start and end dates, and that the end is not before the start."""
    for name in ("start_date", "end_date"):
        date_field(check, name, columns.get(name, ""), values.get(name, ""))
    start, end = check.fields.get("start_date"), check.fields.get("end_date")
    if start and end and end < start:
        check.problem(
            columns.get("end_date", ""),
            _("The end date %(end)s is before the start date %(start)s.")
            % {"end": end.isoformat(), "start": start.isoformat()},
            "start_date",
            "end_date",
        )


def stage_field(check: RowCheck, column: str, text: str, lookups: Lookups) -> None:
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


def tags_field(check: RowCheck, name: str, column: str, text: str, lookups: Lookups) -> None:
    slug = services.TAGS[name]
    terms: list[Term] = []
    unknown: list[str] = []
    for piece in split_cell(text, ";\n"):
        whole = lookups.term(slug, piece)
        if whole is not None:
            terms.append(whole)
            continue
        for part in split_cell(piece, ","):
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
    left = []
    for value in unknown:
        known, term = lookups.value_map.term(ImportValueMapping.Source.HJULET, slug, value)
        if not known:
            left.append(value)
        elif term is not None:
            terms.append(term)
    return left


def methods_field(check: RowCheck, column: str, text: str, lookups: Lookups) -> None:
    methods, unknown = [], []
    for piece in split_cell(text, ";\n"):
        method = lookups.methods.get(piece) or lookups.methods.get(folded(piece))
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


def links_field(check: RowCheck, text: str) -> None:
    if text:
        check.fields["links"] = "\n".join(split_cell(text, ";\n"))


def summary_field(check: RowCheck, column: str, text: str) -> None:
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
