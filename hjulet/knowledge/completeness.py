"""How complete an entry is: which recommended parts are filled in."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Initiative, Method


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str]


def _filled(value) -> bool:
    if hasattr(value, "exists"):
        return value.exists()
    return value not in (None, "", [])


INITIATIVE_PARTS = [
    ("summary", _("summary")),
    ("description", _("description")),
    ("partners", _("partner organisations")),
    ("methods", _("methods used")),
    ("challenges", _("societal challenges")),
    ("target_groups", _("target groups")),
    ("sdgs", _("Agenda 2030 goals")),
    ("start_date", _("start date")),
    ("participants_reached", _("participants reached")),
    ("results", _("results")),
    ("evidence", _("evidence")),
    ("contact_email", _("contact e-mail")),
    ("links", _("links")),
]

METHOD_PARTS = [
    ("summary", _("summary")),
    ("what", _("what it is")),
    ("how", _("how it is done")),
    ("why", _("why it works")),
    ("requirements", _("what it takes")),
    ("evidence", _("evidence")),
    ("challenges", _("societal challenges")),
    ("target_groups", _("target groups")),
    ("sdgs", _("Agenda 2030 goals")),
    ("organisations", _("organisations that develop the method")),
    ("links", _("links")),
]


def completeness(entry: Initiative | Method) -> Completeness:
    parts = INITIATIVE_PARTS if isinstance(entry, Initiative) else METHOD_PARTS
    missing = [str(label) for name, label in parts if not _filled(getattr(entry, name))]
    return Completeness(
        percent=round(100 * (len(parts) - len(missing)) / len(parts)), missing=missing
    )
