"""Column mapping for imports: which of a file's columns feeds which of the import's fields.

Every file that is not a Participedia export is read through a ``Mapping``: the file's
header, the field each column feeds ("" to ignore it) and defaults for empty cells (today
only the stage). ``propose`` guesses it from the header: Hjulet's own column names and
their Swedish alternatives match exactly; English and other common names (``FIELD_NAMES``)
and near misses ("Projekt namn", "Startdate") match fuzzily (``difflib``). The person
adjusts the proposal on the preview page or through the API (``import_remap``) and may save
it under a name for the organisation's next file (``column_mapping_save``).
"""

import difflib
import functools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hjulet.accounts.models import Organisation
from hjulet.core import audit
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import require, require_signed_in
from hjulet.lib.spreadsheets import column_letter
from hjulet.lib.tabular import to_csv

from . import importing
from .models import ColumnMapping, ImportBatch

#: Other names people give the import's fields, in English and Swedish, beside the names in
#: ``importing.COLUMNS``. Compared like column names (``importing.column_key``).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("name", "project name", "project title", "project", "initiative", "initiative name",
              "projektnamn", "projekt", "rubrik", "namn på initiativet"),
    "summary": ("short description", "abstract", "brief", "kort beskrivning", "ingress",
                "summering"),
    "description": ("description", "long description", "about", "details", "body",
                    "lång beskrivning", "om projektet"),
    "municipality": ("city", "town", "municipality", "ort", "stad", "location"),
    "country": ("country", "nation", "country code", "land"),
    "place": ("place", "region", "plats"),
    "municipality_code": ("municipality code", "scb code", "kommun kod"),
    "stage": ("stage", "status", "phase", "fas"),
    "start_date": ("start date", "started", "begin", "start year", "från"),
    "end_date": ("end date", "ended", "finish", "end", "till"),
    "participants_reached": ("participants", "number of participants", "reach", "reached",
                             "antal"),
    "results": ("results", "outcomes", "outputs"),
    "evidence": ("evidence", "impact", "effekter"),
    "challenges": ("challenges", "societal challenges", "issues"),
    "target_groups": ("target groups", "target group", "audience", "beneficiaries", "målgrupp"),
    "sdgs": ("sdgs", "global goals", "sustainable development goals"),
    "methods": ("methods", "method", "approach", "metod"),
    "contact_name": ("contact", "contact person", "contact name", "kontaktnamn"),
    "contact_email": ("email", "e mail", "contact email", "mail", "mejl"),
    "links": ("website", "url", "web", "link", "links", "homepage", "hemsida", "webbadress"),
    "language": ("language", "lang"),
    "address": ("address", "street address", "gatuadress"),
}  # fmt: skip

#: How the fields are named in the mapping's choices.
FIELD_LABELS: dict[str, Any] = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "description": gettext_lazy("Description"),
    "municipality_code": gettext_lazy("Municipality code"),
    "municipality": gettext_lazy("Municipality"),
    "country": gettext_lazy("Country"),
    "place": gettext_lazy("Place"),
    "stage": gettext_lazy("Stage"),
    "address": gettext_lazy("Address"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "participants_reached": gettext_lazy("Participants reached"),
    "results": gettext_lazy("Results"),
    "evidence": gettext_lazy("Evidence"),
    "challenges": gettext_lazy("Societal challenges"),
    "target_groups": gettext_lazy("Target groups"),
    "sdgs": gettext_lazy("Agenda 2030 goals"),
    "methods": gettext_lazy("Methods"),
    "contact_name": gettext_lazy("Contact person"),
    "contact_email": gettext_lazy("Contact e-mail"),
    "links": gettext_lazy("Links"),
    "language": gettext_lazy("Language"),
}

#: A column whose name is this similar to a field's name (difflib's ratio) is proposed
#: for it; a name that ends with a field's name ("Project website") counts as ``ENDS_WITH``.
FUZZY_CUTOFF = 0.8
ENDS_WITH = 0.85
#: The fields that may have a default for empty cells.
DEFAULTABLE = ("stage",)


@dataclass
class Mapping:
    header: list[str]
    fields: list[str]  # per column: a field name, or "" to ignore the column
    defaults: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"header": self.header, "fields": self.fields, "defaults": self.defaults}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Mapping":
        return cls(list(data["header"]), list(data["fields"]), dict(data.get("defaults", {})))

    def column_of(self, name: str) -> str:
        """The name of the column that feeds the field ``name``, or ""."""
        for header, chosen in zip(self.header, self.fields, strict=True):
            if chosen == name:
                return header
        return ""

    def rows(self) -> list[dict[str, Any]]:
        """Per column: its letter, its name and the field it feeds, for pages and the API."""
        return [
            {"index": i, "letter": column_letter(i), "column": name, "field": chosen}
            for i, (name, chosen) in enumerate(zip(self.header, self.fields, strict=True))
        ]


def field_choices() -> list[tuple[str, Any]]:
    return [(column.name, FIELD_LABELS[column.name]) for column in importing.COLUMNS]


def _compact(key: str) -> str:
    return key.replace("_", "")


@functools.cache
def _names() -> dict[str, str]:
    """Every known name of a field, compared as a column key → the field."""
    names = {}
    for column in importing.COLUMNS:
        for name in (*FIELD_NAMES.get(column.name, ()), column.name, *column.aliases):
            names[importing.column_key(name)] = column.name
    return names


def _exact(key: str) -> str:
    return _names().get(key, "")


def _best_guess(key: str) -> tuple[str, float]:
    """The field whose name is most like ``key``, and how alike (0 to 1)."""
    if not key:
        return "", 0.0
    found = _exact(key)
    if found:
        return found, 1.0
    best, score = "", 0.0
    for name, name_field in _names().items():
        # Below an exact name even when only "_" differs ("projekt_namn", "projektnamn").
        ratio = min(0.99, difflib.SequenceMatcher(None, _compact(key), _compact(name)).ratio())
        if len(name) > 2 and key.endswith("_" + name):
            ratio = max(ratio, ENDS_WITH)
        if ratio > score:
            best, score = name_field, ratio
    return (best, score) if score >= FUZZY_CUTOFF else ("", score)


def propose(header: list[str], saved: dict[str, Any] | None = None) -> Mapping:
    """The likeliest field for each column, each field from one column at most (the best
    match wins; on a tie the column further left). A saved mapping (``ColumnMapping.mapping``)
    decides for the columns it names, and gives its defaults."""
    saved = saved or {}
    chosen = {
        i: saved["fields"][key]
        for i, key in enumerate(map(importing.column_key, header))
        if key in saved.get("fields", {})
    }
    taken = {name for name in chosen.values() if name}
    guesses = []
    for i, name in enumerate(header):
        if i not in chosen:
            guess, score = _best_guess(importing.column_key(name))
            if guess:
                guesses.append((-score, i, guess))
    for _score, i, guess in sorted(guesses):
        if guess not in taken:
            chosen[i] = guess
            taken.add(guess)
    fields = [chosen.get(i, "") for i in range(len(header))]
    return Mapping(list(header), fields, dict(saved.get("defaults", {})))


def missing_required(mapping: Mapping) -> list[str]:
    """The required fields no column feeds (and that have no default), as the page names
    them."""
    mapped = set(mapping.fields) | {k for k, v in mapping.defaults.items() if v}
    missing = []
    if "title" not in mapped:
        missing.append(str(FIELD_LABELS["title"]))
    if not mapped & {"summary", "description"}:
        missing.append(_("Summary (or Description)"))
    if not mapped & {"municipality", "municipality_code", "place"}:
        missing.append(_("Municipality, Municipality code or Place"))
    if "stage" not in mapped:
        missing.append(_("Stage (or a stage for every row)"))
    return missing


def checked(header: list[str], fields: list[str], defaults: dict[str, str]) -> Mapping:
    """A mapping the person chose, or a ValidationError on "mapping" saying what is wrong:
    a field that does not exist, two columns for one field, a required field left out."""
    if len(fields) != len(header):
        raise ValidationError(
            {
                "mapping": _("Choose a field (or “ignore”) for each of the %(count)d columns.")
                % {"count": len(header)}
            },
            code="mapping_length",
        )
    known = {column.name for column in importing.COLUMNS}
    unknown = sorted({name for name in fields if name and name not in known})
    if unknown:
        raise ValidationError(
            {"mapping": _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}},
            code="unknown_field",
        )
    _refuse_two_columns_for_one_field(header, fields)
    mapping = Mapping(list(header), list(fields), _checked_defaults(defaults))
    missing = missing_required(mapping)
    if missing:
        raise ValidationError(
            {
                "mapping": _("Choose a column for every required field. Not chosen: %(fields)s.")
                % {"fields": ", ".join(missing)}
            },
            code="missing_fields",
        )
    return mapping


def _refuse_two_columns_for_one_field(header: list[str], fields: list[str]) -> None:
    first: dict[str, int] = {}
    for i, name in enumerate(fields):
        if not name:
            continue
        if name in first:
            raise ValidationError(
                {
                    "mapping": _(
                        "The columns %(first)s (“%(first_name)s”) and %(second)s "
                        "(“%(second_name)s”) are both chosen for “%(field)s”. Choose one of "
                        "them and set the other to “ignore”."
                    )
                    % {
                        "first": column_letter(first[name]),
                        "first_name": header[first[name]],
                        "second": column_letter(i),
                        "second_name": header[i],
                        "field": FIELD_LABELS[name],
                    }
                },
                code="duplicate_field",
            )
        first[name] = i


def _checked_defaults(defaults: dict[str, str]) -> dict[str, str]:
    cleaned = {name: value for name, value in defaults.items() if value}
    unknown = set(cleaned) - set(DEFAULTABLE)
    if unknown:
        raise ValidationError(
            {"mapping": _("Only the stage can have a value for every row.")},
            code="unknown_default",
        )
    stage = cleaned.get("stage")
    if (
        stage
        and not Term.objects.in_vocabulary(Vocabulary.STAGE).active().filter(code=stage).exists()
    ):
        raise ValidationError(
            {"mapping": _("Unknown stage “%(value)s”.") % {"value": stage}},
            code="unknown_stage",
        )
    return cleaned


def to_saved(mapping: Mapping) -> dict[str, Any]:
    """What a ``ColumnMapping`` keeps: the field of each column by its name (as compared),
    so the next file with the same names is read alike, and the defaults."""
    fields: dict[str, str] = {}
    for name, chosen in zip(mapping.header, mapping.fields, strict=True):
        fields.setdefault(importing.column_key(name), chosen)
    fields.pop("", None)
    return {"fields": fields, "defaults": mapping.defaults}


# --- selectors and services -------------------------------------------------------------


def usable_mappings(actor: Any) -> QuerySet[ColumnMapping]:
    """The saved mappings ``actor`` may use: every one for coordinators, else those of the
    organisations they are a member of."""
    mappings = ColumnMapping.objects.select_related("organisation")
    if getattr(actor, "is_coordinator", False):
        return mappings
    return mappings.filter(organisation__memberships__user=actor).distinct()


def require_usable(actor: Any, saved: ColumnMapping, lead: Organisation) -> None:
    require_signed_in(actor)
    importing.require_lead(actor, saved.organisation)
    if saved.organisation_id != lead.pk:
        raise ValidationError(
            {
                "mapping": _(
                    "The saved column mapping “%(name)s” belongs to %(organisation)s; choose "
                    "one of the lead organisation's mappings."
                )
                % {"name": saved.name, "organisation": saved.organisation.name}
            },
            code="other_organisation",
        )


def column_mapping_save(
    *, actor: Any, organisation: Organisation, name: str, mapping: Mapping
) -> ColumnMapping:
    """Save ``mapping`` under ``name`` for ``organisation`` (replacing the mapping of that
    name, if there is one). Members of the organisation and coordinators may."""
    require_signed_in(actor)
    importing.require_lead(actor, organisation)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the mapping a name.")}, code="required")
    if len(name) > ColumnMapping._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name may be at most 100 characters.")})
    mapping = checked(mapping.header, mapping.fields, mapping.defaults)
    with transaction.atomic():
        saved, created = ColumnMapping.objects.select_for_update().get_or_create(
            organisation=organisation,
            name=name,
            defaults={"mapping": to_saved(mapping), "created_by": actor},
        )
        before = None if created else saved.mapping
        if not created:
            saved.mapping = to_saved(mapping)
            saved.save(update_fields=["mapping", "updated_at"])
        audit.record(
            actor=actor,
            action="import_mapping.create" if created else "import_mapping.update",
            target=saved,
            changes={"mapping": [before, saved.mapping], "organisation": [None, organisation.name]},
        )
    return saved


def import_remap(*, actor: Any, batch: ImportBatch, mapping: Mapping) -> ImportBatch:
    """Check a file again through the mapping the person chose; nothing is imported."""
    require_signed_in(actor)
    require(batch.user_id == actor.pk, _("Only the person who uploaded the file can change it."))
    if batch.status != ImportBatch.Status.PREVIEWED or not batch.mapping:
        raise ValidationError(
            {"mapping": _("The columns of this import can no longer be changed.")},
            code="not_mappable",
        )
    mapping = checked(batch.mapping["header"], mapping.fields, mapping.defaults)
    _layout, checks = importing.analyse(
        bytes(batch.content), batch.filename, mapping=mapping.as_json()
    )
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.Status.PREVIEWED:
            raise ValidationError(
                {"mapping": _("The columns of this import can no longer be changed.")},
                code="not_mappable",
            )
        before = locked.mapping
        importing.store_check(locked, checks)
        locked.mapping = mapping.as_json()
        locked.save()
        audit.record(
            actor=actor,
            action="import.remap",
            target=locked,
            changes={
                "mapping": [before, locked.mapping],
                "rows_with_errors": [batch.error_count, locked.error_count],
            },
        )
    return locked


def error_rows(batch: ImportBatch) -> list[tuple[int, str, str]]:
    """Every error of the file: row, column, message. From the stored check when it lists
    every row with errors, else by checking the file again."""
    listed = [row for row in batch.report if row["errors"]]
    if len(listed) < batch.error_count and batch.content:
        _layout, checks = importing.analyse(
            bytes(batch.content), batch.filename, mapping=batch.mapping or None
        )
        return [(c.number, i.column, i.message) for c in checks for i in c.issues]
    return [(row["row"], e["column"], e["message"]) for row in listed for e in row["errors"]]


def error_report_csv(batch: ImportBatch) -> bytes:
    """The errors as CSV (row, column, message), safe to open in a spreadsheet."""
    return to_csv([_("Row"), _("Column"), _("Message")], error_rows(batch))
