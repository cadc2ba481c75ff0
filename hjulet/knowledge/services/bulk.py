"""Registering many initiatives at once (the import), a batch of rows per query."""

import json
import operator
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import audit, bulk
from hjulet.core.models import Vocabulary
from hjulet.core.permissions import require_signed_in

from .. import indexing
from ..models import Initiative, InitiativeEditor, PartnerRole, Partnership, PartnershipStatus
from ._common import INITIATIVE_FIELDS, RESERVED_SLUGS, TAGS, check_lead, created_tags, slug_base


class InvalidEntry(ValidationError):
    """One of many entries given to a bulk service is refused; ``index`` says which."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.index = index


#: Rows written per INSERT by the bulk services.
BULK_BATCH_SIZE = 1000
#: Slugs looked up per query by ``_unique_slugs``.
SLUG_LOOKUP_SIZE = 500


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    return (items[start : start + size] for start in range(0, len(items), size))


def _unique_slugs(model: type, titles: Sequence[str]) -> list[str]:
    """``unique_slug`` for many new entries at once, in a few queries: the first free
    "base", "base-2", "base-3" … for each title in turn."""
    bases = [slug_base(model, title) for title in titles]
    distinct = list(dict.fromkeys(bases))
    taken: set[str] = set(RESERVED_SLUGS)
    for chunk in _chunks(distinct, SLUG_LOOKUP_SIZE):
        taken.update(model.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    # Only a base that is taken, or used twice in this batch, needs numbered slugs: look up
    # the numbered ones already in use for those.
    seen: set[str] = set()
    numbered = []
    for base in bases:
        if base in taken or base in seen:
            numbered.append(base)
        seen.add(base)
    for chunk in _chunks(list(dict.fromkeys(numbered)), SLUG_LOOKUP_SIZE // 5):
        wanted = Q()
        for base in chunk:
            wanted |= Q(slug__startswith=f"{base}-")
        taken.update(model.objects.filter(wanted).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, counter = base, 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


#: Fields that ``initiative_problems`` leaves to the database or to the bulk service: the
#: slug is chosen by the service, the foreign keys come from looked-up objects.
_LOOKED_UP = ("slug", "municipality", "stage", "created_by", "reviewed_by")


def initiative_problems(
    fields: dict[str, Any], *, exclude: Iterable[str] = ()
) -> ValidationError | None:
    """What ``initiative_create`` would refuse in these fields, without a query: every
    field's own rules and the model's ``clean``. The municipality and stage must be objects
    (looked up by the caller); the slug is not checked (the service chooses a free one)."""
    initiative = Initiative(**{k: v for k, v in fields.items() if k in INITIATIVE_FIELDS})
    return _initiative_problems(initiative, exclude=[*_LOOKED_UP, *exclude])


def _initiative_problems(initiative: Initiative, *, exclude: list[str]) -> ValidationError | None:
    errors: dict[str, list] = {}
    try:
        initiative.clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        initiative.clean()
    except ValidationError as error:
        # Looked-up fields (the municipality) are the caller's to check, once.
        found = error.update_error_dict({})
        for name, messages in found.items():
            if name not in exclude:
                errors.setdefault(name, []).extend(messages)
    start, end = initiative.start_date, initiative.end_date
    if start and end and end < start and "end_date" not in exclude:
        errors.setdefault("end_date", []).append(
            ValidationError(
                _("The end date %(end)s is before the start date %(start)s.")
                % {"end": end.isoformat(), "start": start.isoformat()}
            )
        )
    return ValidationError(errors) if errors else None


def _check_terms_bulk(entries: Sequence[dict[str, Any]]) -> None:
    """``check_terms`` for many entries, by vocabulary id (one query, not one per term)."""
    vocabulary_ids = dict(Vocabulary.objects.values_list("slug", "pk"))
    for index, entry in enumerate(entries):
        wrong = {}
        for field in (*TAGS, "stage"):
            terms = entry.get(field) or ()
            terms = [terms] if field == "stage" else terms
            wanted = vocabulary_ids.get(TAGS.get(field, Vocabulary.STAGE))
            if any(term.vocabulary_id != wanted for term in terms):
                wrong[field] = _("%(terms)s cannot be used here.") % {
                    "terms": ", ".join(t.label for t in terms if t.vocabulary_id != wanted)
                }
        if wrong:
            raise InvalidEntry(index, ValidationError(wrong))


@transaction.atomic
def initiative_create_many(
    *, actor: Any, lead: Organisation, entries: Sequence[dict[str, Any]]
) -> list[Initiative]:
    """Register many initiatives led by one organisation, all or none: what
    ``initiative_create`` does for each (same rules, same partnership, tags, methods, audit
    entry and search index), a batch of rows per query, so the number of queries grows with
    the number of batches, not of entries. Each entry holds ``initiative_create``'s keyword
    arguments except ``partners``. A refused entry raises ``InvalidEntry`` (its index and
    the reasons) and saves nothing."""
    require_signed_in(actor)
    check_lead(actor, lead)
    _check_terms_bulk(entries)
    initiatives = []
    for index, entry in enumerate(entries):
        initiative = Initiative(
            created_by=actor, **{k: v for k, v in entry.items() if k in INITIATIVE_FIELDS}
        )
        if initiative.stage_id is None:
            raise InvalidEntry(index, ValidationError({"stage": _("This field cannot be blank.")}))
        try:
            initiative.clean()  # a Swedish municipality, or a country and a place
        except ValidationError as error:
            raise InvalidEntry(index, error) from error
        problems = _initiative_problems(initiative, exclude=list(_LOOKED_UP))
        if problems is not None:
            raise InvalidEntry(index, problems)
        initiatives.append(initiative)
    for initiative, slug in zip(
        initiatives, _unique_slugs(Initiative, [i.title for i in initiatives]), strict=True
    ):
        initiative.slug = slug
    _insert_initiatives(initiatives)
    now = initiatives[0].created_at if initiatives else None
    at = connection.ops.adapt_datetimefield_value(now)
    _insert_many(
        Partnership,
        ("initiative_id", "organisation_id", "role", "status", "requested_by_id", "requested_at"),
        (
            (i.pk, lead.pk, PartnerRole.LEAD.value, PartnershipStatus.ACCEPTED.value, actor.pk, at)
            for i in initiatives
        ),
    )
    _insert_many(
        InitiativeEditor,
        ("initiative_id", "user_id", "added_by_id", "created_at"),
        ((i.pk, actor.pk, actor.pk, at) for i in initiatives),
    )
    _link_many(Initiative.methods.through, "method_id", initiatives, entries, "methods")
    for field in TAGS:
        _link_many(getattr(Initiative, field).through, "term_id", initiatives, entries, field)
    indexing.index_initiatives(initiatives)
    audit.record_many(
        actor=actor,
        action="initiative.create",
        entries=[
            (
                initiative,
                {
                    **audit.created(initiative, INITIATIVE_FIELDS),
                    "partners": [None, [lead.name]],
                    "methods": [None, sorted(m.title for m in entry.get("methods", ()))],
                    **created_tags({k: entry.get(k, ()) for k in TAGS}),
                },
            )
            for initiative, entry in zip(initiatives, entries, strict=True)
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    return initiatives


def _column_values(model: type) -> list[tuple[str, Any]]:
    """(column, how to read its database value from an instance) for every column but the
    id: dates and times adapted as Django's own INSERT would, other values as they are."""
    ops = connection.ops
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        attname = field.attname
        if isinstance(field, models.DateTimeField):
            adapt = ops.adapt_datetimefield_value
        elif isinstance(field, models.DateField):
            adapt = ops.adapt_datefield_value
        else:
            adapt = None
        columns.append((field.column, attname, adapt))
    return [
        (column, operator.attrgetter(attname) if adapt is None else _adapted(attname, adapt))
        for column, attname, adapt in columns
    ]


def _adapted(attname: str, adapt: Any) -> Any:
    def value(instance: Any) -> Any:
        return adapt(getattr(instance, attname))

    return value


def _insert_initiatives(initiatives: Sequence[Initiative]) -> None:
    """INSERT the initiatives a batch per statement and give each its id (found by its
    slug, which is unique). Cheaper than ``bulk_create``, which prepares every value of
    every row through its field: at 100,000 rows that is most of an import's time."""
    now = timezone.now()
    for initiative in initiatives:
        initiative.created_at = initiative.updated_at = now
    columns = _column_values(Initiative)
    _insert_many(
        Initiative,
        [column for column, _value in columns],
        (tuple(value(i) for _column, value in columns) for i in initiatives),
    )
    table = connection.ops.quote_name(Initiative._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f"SELECT slug, id FROM {table} WHERE slug = ANY(%s)"
    else:
        sql = f"SELECT slug, id FROM {table} WHERE slug IN (SELECT value FROM json_each(%s))"
    with connection.cursor() as cursor:
        for chunk in _chunks(initiatives, BULK_BATCH_SIZE):
            slugs = [i.slug for i in chunk]
            cursor.execute(sql, [slugs if connection.vendor == "postgresql" else json.dumps(slugs)])
            ids = dict(cursor.fetchall())
            for initiative in chunk:
                initiative.pk = ids[initiative.slug]
                initiative._state.adding = False
                initiative._state.db = connection.alias


def _insert_many(model: type, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    bulk.insert_rows(model, columns, rows, batch_size=BULK_BATCH_SIZE)


def _link_many(
    through: type,
    target: str,
    initiatives: Sequence[Initiative],
    entries: Sequence[dict[str, Any]],
    field: str,
) -> None:
    _insert_many(
        through,
        ("initiative_id", target),
        (
            (initiative.pk, pk)
            for initiative, entry in zip(initiatives, entries, strict=True)
            for pk in dict.fromkeys(item.pk for item in entry.get(field, ()))
        ),
    )
