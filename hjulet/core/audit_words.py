"""The audit log in words: "Anonym länk: av → på", not field names and Python values.

Entries keep what services recorded (action codes, field names, JSON values); this module turns
a page of them into sentences for people: the action as a phrase, each field by its label,
booleans as on/off, choices by their label, linked objects by their name, dates in the
reader's language.
"""

import decimal
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, gettext_lazy

from .models import AuditEntry

ACTIONS = {
    "adaptation.create": gettext_lazy("Adaptation added"),
    "adaptation.delete": gettext_lazy("Adaptation removed"),
    "adaptationdraft.create": gettext_lazy("Adaptation to a new place started"),
    "adaptationdraft.publish": gettext_lazy("Adaptation published"),
    "adaptationdraft.stop": gettext_lazy("Adaptation marked as stopped"),
    "adaptationdraft.update": gettext_lazy("Adaptation draft changed"),
    "advice_request.assign": gettext_lazy("Advice request assigned to an adviser"),
    "advice_request.close": gettext_lazy("Advice request closed"),
    "advice_request.create": gettext_lazy("Advice request sent"),
    "advice_request.forward": gettext_lazy("Advice request forwarded"),
    "advice_request.note": gettext_lazy("Note added to an advice request"),
    "advice_request.meeting": gettext_lazy("Meeting recorded for an advice request"),
    "agreement.create": gettext_lazy("Agreement added"),
    "api_token.create": gettext_lazy("API key created"),
    "api_token.revoke": gettext_lazy("API key revoked"),
    "api_token.revoke_all": gettext_lazy("All API keys revoked"),
    "arena.add_organisation": gettext_lazy("Organisation added to the arena"),
    "arena.create": gettext_lazy("Arena created"),
    "challenge.close": gettext_lazy("Challenge closed"),
    "challenge.create": gettext_lazy("Challenge created"),
    "challenge.open": gettext_lazy("Challenge opened"),
    "code.create": gettext_lazy("Code created"),
    "comment.create": gettext_lazy("Comment written"),
    "comment.moderate": gettext_lazy("Comment moderated"),
    "comment.report": gettext_lazy("Comment reported"),
    "comment.hide": gettext_lazy("Comment hidden after reports"),
    "event.cancel": gettext_lazy("Event cancelled"),
    "event.create": gettext_lazy("Event created"),
    "event.promote": gettext_lazy("Place on an event given from the waiting list"),
    "event.register": gettext_lazy("Registered for an event"),
    "export.queue": gettext_lazy("Large export queued for the worker"),
    "funding_call.create": gettext_lazy("Funding call added"),
    "funding_call.follow": gettext_lazy("Funding call followed"),
    "funding_call.reminder": gettext_lazy("Reminder about a funding call sent"),
    "funding_call.unfollow": gettext_lazy("Funding call no longer followed"),
    "funding_call.update": gettext_lazy("Funding call changed"),
    "hub.create": gettext_lazy("Regional hub set up"),
    "hub.person_add": gettext_lazy("Hub coordinator or adviser added"),
    "hub.person_remove": gettext_lazy("Hub coordinator or adviser removed"),
    "hub.update": gettext_lazy("Regional hub changed"),
    "idea.create": gettext_lazy("Idea submitted"),
    "idea.support": gettext_lazy("Idea supported"),
    "idea.support_withdraw": gettext_lazy("Support for an idea withdrawn"),
    "idea.to_initiative": gettext_lazy("Idea became an initiative"),
    "idea.update": gettext_lazy("Idea changed"),
    "idea.moderate": gettext_lazy("Idea moderated"),
    "idea.report": gettext_lazy("Idea reported"),
    "idea.hide": gettext_lazy("Idea hidden after reports"),
    "impact_report.publish": gettext_lazy("Impact report published"),
    "impact_report.unpublish": gettext_lazy("Impact report withdrawn"),
    "impact_report.update": gettext_lazy("Impact report changed"),
    "import.commit": gettext_lazy("File imported"),
    "import.fail": gettext_lazy("Import failed"),
    "import.mapping_delete": gettext_lazy("Value mapping for imports removed"),
    "import.mapping_set": gettext_lazy("Value mapping for imports set"),
    "import.methods_accept": gettext_lazy("Proposed methods from an import created"),
    "import.prepare": gettext_lazy("File uploaded for import"),
    "import.queue": gettext_lazy("File queued for checking in the background"),
    "import.queue_commit": gettext_lazy("Import queued for the worker"),
    "import.remap": gettext_lazy("Columns of an import chosen"),
    "import.prune": gettext_lazy("Old imports cleared away"),
    "import_mapping.create": gettext_lazy("Column mapping saved"),
    "import_mapping.update": gettext_lazy("Column mapping replaced"),
    "indicator.create": gettext_lazy("Indicator added"),
    "indicator.delete": gettext_lazy("Indicator removed"),
    "indicator.update": gettext_lazy("Indicator changed"),
    "initiative.create": gettext_lazy("Initiative added"),
    "initiative.editor_add": gettext_lazy("Editor added to an initiative"),
    "initiative.editor_remove": gettext_lazy("Editor removed from an initiative"),
    "initiative.partner_accept": gettext_lazy("Partnership accepted"),
    "initiative.partner_decline": gettext_lazy("Partnership declined"),
    "initiative.partner_remove": gettext_lazy("Partner removed"),
    "initiative.partner_set": gettext_lazy("Partner added or changed"),
    "initiative.review": gettext_lazy("Initiative reviewed"),
    "initiative.update": gettext_lazy("Initiative changed"),
    "invitation.create": gettext_lazy("Invitation sent"),
    "measurement.create": gettext_lazy("Measurement added"),
    "measurement.delete": gettext_lazy("Measurement removed"),
    "membership.join": gettext_lazy("Joined an organisation"),
    "message.create": gettext_lazy("Message written about an adaptation"),
    "membership.remove": gettext_lazy("Member removed"),
    "membership.set_role": gettext_lazy("Member's role changed"),
    "method.create": gettext_lazy("Method added"),
    "method.review": gettext_lazy("Method reviewed"),
    "method.update": gettext_lazy("Method changed"),
    "notification.preference": gettext_lazy("E-mail settings for notifications changed"),
    "notification.read": gettext_lazy("Notification marked as read"),
    "notification.read_all": gettext_lazy("All notifications marked as read"),
    "organisation.create": gettext_lazy("Organisation registered"),
    "organisation.update": gettext_lazy("Organisation changed"),
    "picture.add": gettext_lazy("Picture added"),
    "planstep.create": gettext_lazy("Step added to a dissemination plan"),
    "planstep.done": gettext_lazy("Step of a dissemination plan done"),
    "planstep.undone": gettext_lazy("Step of a dissemination plan opened again"),
    "picture.remove": gettext_lazy("Picture removed"),
    "picture.replace": gettext_lazy("Picture replaced"),
    "picture.describe": gettext_lazy("Picture's description changed"),
    "question.assign": gettext_lazy("Question assigned to a researcher"),
    "question.create": gettext_lazy("Question drafted"),
    "question.delete": gettext_lazy("Question removed"),
    "question.follow_up": gettext_lazy("Follow-up of a question recorded"),
    "question.formulation_add": gettext_lazy("New wording of a question"),
    "question.interest": gettext_lazy("Researcher showed interest in a question"),
    "question.meeting": gettext_lazy("Meeting planned for a question"),
    "question.meeting_update": gettext_lazy("Meeting notes recorded"),
    "question.move": gettext_lazy("Question moved to another stage"),
    "question.outcome": gettext_lazy("Outcome of a question recorded"),
    "question.submit": gettext_lazy("Question sent to the science shop"),
    "question.transition": gettext_lazy("Question's stage changed"),
    "question.update": gettext_lazy("Question changed"),
    "research_report.create": gettext_lazy("Research report linked"),
    "research_report.delete": gettext_lazy("Research report removed"),
    "report.block_add": gettext_lazy("Block added to a survey report"),
    "report.block_delete": gettext_lazy("Block removed from a survey report"),
    "report.block_move": gettext_lazy("Block moved in a survey report"),
    "report.create": gettext_lazy("Survey report created"),
    "report.publish": gettext_lazy("Survey report published"),
    "report.unpublish": gettext_lazy("Survey report withdrawn"),
    "report.update": gettext_lazy("Survey report changed"),
    "researcher_profile.create": gettext_lazy("Researcher profile created"),
    "researcher_profile.update": gettext_lazy("Researcher profile changed"),
    "response.code": gettext_lazy("Answer coded"),
    "response.erase": gettext_lazy("Response erased"),
    "response.submit": gettext_lazy("Response submitted"),
    "role.grant": gettext_lazy("Role given"),
    "role.revoke": gettext_lazy("Role taken away"),
    "search_synonym.create": gettext_lazy("Search synonyms added"),
    "search_synonym.delete": gettext_lazy("Search synonyms removed"),
    "search_synonym.update": gettext_lazy("Search synonyms changed"),
    "spreadplan.create": gettext_lazy("Dissemination plan made"),
    "spreadplan.update": gettext_lazy("Dissemination plan changed"),
    "sroi.create": gettext_lazy("SROI analysis started"),
    "sroi.input_create": gettext_lazy("Input added to the SROI analysis"),
    "sroi.input_delete": gettext_lazy("Input removed from the SROI analysis"),
    "sroi.outcome_create": gettext_lazy("Outcome added to the SROI analysis"),
    "sroi.outcome_delete": gettext_lazy("Outcome removed from the SROI analysis"),
    "sroi.outcome_update": gettext_lazy("Outcome in the SROI analysis changed"),
    "sroi.update": gettext_lazy("SROI analysis changed"),
    "story.create": gettext_lazy("Story told"),
    "story.review": gettext_lazy("Story reviewed"),
    "suggestion.accept": gettext_lazy("Suggested initiative taken into the bank"),
    "suggestion.create": gettext_lazy("Initiative suggested"),
    "suggestion.decline": gettext_lazy("Suggested initiative declined"),
    "support_structure.create": gettext_lazy("Support structure added"),
    "support_structure.update": gettext_lazy("Support structure changed"),
    "survey.access_grant": gettext_lazy("Access to survey results given"),
    "survey.access_revoke": gettext_lazy("Access to survey results taken away"),
    "survey.anonymous_link": gettext_lazy("Anonymous link changed"),
    "survey.create": gettext_lazy("Survey created"),
    "survey.import": gettext_lazy("Survey form imported"),
    "survey.invite": gettext_lazy("Invitations to a survey sent"),
    "survey.remind": gettext_lazy("Reminders about a survey sent"),
    "survey.update": gettext_lazy("Survey changed"),
    "survey.open": gettext_lazy("Survey opened"),
    "survey.closed": gettext_lazy("Survey closed"),
    "survey.draft": gettext_lazy("Survey back to draft"),
    "term.create": gettext_lazy("Term added to a vocabulary"),
    "term.load": gettext_lazy("Vocabulary loaded"),
    "term.update": gettext_lazy("Term changed"),
    "test_cycle.create": gettext_lazy("Test cycle started"),
    "test_cycle.update": gettext_lazy("Test cycle changed"),
    "theory.element_create": gettext_lazy("Step added to the theory of change"),
    "theory.element_delete": gettext_lazy("Step removed from the theory of change"),
    "theory.element_update": gettext_lazy("Step in the theory of change changed"),
    "theory.update": gettext_lazy("Theory of change changed"),
    "user.change_password": gettext_lazy("Password changed"),
    "user.delete": gettext_lazy("Account deleted"),
    "user.register": gettext_lazy("Account created"),
    "user.register_by_email": gettext_lazy("Account created by e-mail link"),
    "user.register_by_invitation": gettext_lazy("Account created from an invitation"),
    "user.register_existing": gettext_lazy("Sign-up tried with an address already in use"),
    "user.reset_password": gettext_lazy("Password reset"),
    "user.set_display_name": gettext_lazy("Public name chosen"),
    "user.update": gettext_lazy("Account changed"),
    "user.verify_email": gettext_lazy("E-mail address confirmed"),
}

# Keys that services record beside the model's own fields.
EXTRA_LABELS = {
    "access": gettext_lazy("access"),
    "adapted": gettext_lazy("adapted"),
    "anonymous_link": gettext_lazy("anonymous link"),
    "assigned": gettext_lazy("assigned to"),
    "audiences": gettext_lazy("audiences"),
    "block": gettext_lazy("block"),
    "editor": gettext_lazy("editor"),
    "element": gettext_lazy("step"),
    "follower": gettext_lazy("follower"),
    "formulation": gettext_lazy("wording"),
    "imported": gettext_lazy("imported"),
    "input": gettext_lazy("input"),
    "interested": gettext_lazy("interested"),
    "invited": gettext_lazy("invited"),
    "measurement": gettext_lazy("measurement"),
    "member_id": gettext_lazy("member"),
    "message": gettext_lazy("message"),
    "partner": gettext_lazy("partner"),
    "person": gettext_lazy("person"),
    "read": gettext_lazy("read"),
    "picture": gettext_lazy("picture"),
    "reason": gettext_lazy("reason"),
    "rows": gettext_lazy("rows"),
    "rows_with_errors": gettext_lazy("rows with errors"),
    "sent": gettext_lazy("sent"),
    "subject": gettext_lazy("research on"),
    "step": gettext_lazy("step"),
    "tokens": gettext_lazy("API keys"),
    "unread": gettext_lazy("unread"),
}

EMPTY = "–"
LONGEST_VALUE = 120


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class DescribedEntry:
    entry: AuditEntry
    action: str
    kind: str
    changes: list[Change]


def action_text(action: str) -> str:
    """The phrase for an action code; an unknown code reads as itself, never as nothing."""
    phrase = ACTIONS.get(action)
    return str(phrase) if phrase is not None else action.replace("_", " ").replace(".", ": ")


def _model(target_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The target's own field, else a key services record beside the fields, else a field of
    that name elsewhere; a key none of them knows reads as itself."""
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None):
        return capfirst(str(field.verbose_name))
    if name in EXTRA_LABELS:
        return capfirst(str(EXTRA_LABELS[name]))
    field = _field_elsewhere(name)
    if field is not None:
        return capfirst(str(field.verbose_name))
    return capfirst(name.replace("_", " "))


@functools.cache
def _field_elsewhere(name: str) -> models.Field | None:
    """A field of that name on any of Hjulet's models: services record related objects by
    the name they have where they live ("organisations" of an arena, say)."""
    for model in apps.get_models():
        if model.__module__.startswith("hjulet."):
            field = _field(model, name)
            if field is not None and getattr(field, "verbose_name", None):
                return field
    return None


class _Names:
    """Names of the objects a page of entries links to, fetched once per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[str]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[str, str]] = {}

    def want(self, model: type[models.Model], values: Iterable[Any]) -> None:
        self.wanted[model].update(str(v) for v in values if v not in (None, ""))

    def fetch(self) -> None:
        for model, keys in self.wanted.items():
            valid = [k for k in keys if k.isdigit()] if _integer_key(model) else list(keys)
            objects = model._default_manager.filter(pk__in=valid)
            self.found[model] = {str(obj.pk): str(obj) for obj in objects}

    def name(self, model: type[models.Model], key: Any) -> str:
        return self.found.get(model, {}).get(str(key), gettext("(removed)"))


def _integer_key(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField | models.BigAutoField | models.IntegerField)


def _related_model(field: models.Field | None) -> type[models.Model] | None:
    if field is not None and field.is_relation and field.related_model is not None:
        return field.related_model
    return None


def _values(changes: Any) -> list[tuple[str, Any, Any]]:
    if not isinstance(changes, dict):
        return []
    found = []
    for name, pair in changes.items():
        if isinstance(pair, list | tuple) and len(pair) == 2:
            found.append((name, pair[0], pair[1]))
        else:
            found.append((name, None, pair))
    return found


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _date_text(field: models.Field | None, value: str) -> str | None:
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        day = parse_date(value[:10])
        if day is not None:
            return date_format(day, "DATE_FORMAT")
    return None


def value_text(field: models.Field | None, value: Any, names: _Names) -> str:
    if _is_empty(value):
        return EMPTY
    if value == "***":
        return gettext("(hidden)")
    if isinstance(value, bool):
        return gettext("on") if value else gettext("off")
    related = _related_model(field)
    if related is not None:
        keys = value if isinstance(value, list) else [value]
        return ", ".join(names.name(related, key) for key in keys) or EMPTY
    if field is not None and field.choices and not isinstance(value, list | dict):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str):
        as_date = _date_text(field, value)
        if as_date is not None:
            return as_date
        if isinstance(field, models.DecimalField | models.FloatField):
            return _number_text(value)
        return Truncator(value).chars(LONGEST_VALUE)
    if isinstance(value, int | float | decimal.Decimal):
        return _number_text(value)
    if isinstance(value, list):
        return ", ".join(value_text(None, item, names) for item in value) or EMPTY
    return Truncator(str(value)).chars(LONGEST_VALUE)


def _number_text(value: Any) -> str:
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return str(value)
    places = 0 if number == number.to_integral_value() else None
    return number_format(number, places, use_l10n=True, force_grouping=True)


def describe(entries: Sequence[AuditEntry]) -> list[DescribedEntry]:
    """The entries in words, with the names of the objects they link to fetched in one query
    per kind of object."""
    names = _Names()
    for entry in entries:
        model = _model(entry.target_type)
        for name, before, after in _values(entry.changes):
            related = _related_model(_field(model, name))
            if related is not None:
                for value in (before, after):
                    names.want(related, value if isinstance(value, list) else [value])
    names.fetch()
    return [_described(entry, names) for entry in entries]


def _described(entry: AuditEntry, names: _Names) -> DescribedEntry:
    model = _model(entry.target_type)
    kind = capfirst(str(model._meta.verbose_name)) if model is not None else entry.target_type
    changes = [
        Change(
            label=field_label(model, name),
            before=value_text(_field(model, name), before, names),
            after=value_text(_field(model, name), after, names),
        )
        for name, before, after in _values(entry.changes)
    ]
    return DescribedEntry(entry=entry, action=action_text(entry.action), kind=kind, changes=changes)
