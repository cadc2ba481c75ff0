"""Every write to methods, initiatives, partnerships and adaptations.

Each function checks permissions, validates, runs in a transaction, records an audit entry
and keeps the search index in step with the database.
"""

import json
import operator
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation, User
from hjulet.core import audit, bulk
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.core.services import check_version
from hjulet.regions.permissions import require_can_coordinate

from . import indexing
from .indexing import index_initiative, index_method
from .models import (
    Adaptation,
    Initiative,
    InitiativeEditor,
    Method,
    PartnerRole,
    Partnership,
    PartnershipStatus,
)
from .selectors import forget_facet_counts

ENTRY_FIELDS = ("title", "summary", "evidence", "links", "language")
METHOD_FIELDS = (*ENTRY_FIELDS, "what", "how", "why", "requirements")
INITIATIVE_FIELDS = (
    *ENTRY_FIELDS,
    "description",
    "municipality",
    "country",
    "place",
    "address",
    "stage",
    "start_date",
    "end_date",
    "participants_reached",
    "results",
    "contact_name",
    "contact_email",
)
TAGS = {
    "challenges": Vocabulary.CHALLENGE,
    "target_groups": Vocabulary.TARGET_GROUP,
    "sdgs": Vocabulary.SDG,
}


# --- permissions ------------------------------------------------------------------------


def _member_of(actor: Any, organisation_ids: Iterable[int]) -> bool:
    return Membership.objects.filter(
        user=actor, organisation_id__in=list(organisation_ids)
    ).exists()


def lead_admin_memberships(initiative: Any) -> QuerySet[Membership]:
    """The administrator memberships of the organisation that leads ``initiative`` (an
    initiative or an ``OuterRef`` to one)."""
    return Membership.objects.filter(
        role=MembershipRole.ADMIN,
        organisation__partnerships__initiative=initiative,
        organisation__partnerships__role=PartnerRole.LEAD,
    )


def is_lead_admin(actor: Any, initiative: Initiative) -> bool:
    return is_signed_in(actor) and lead_admin_memberships(initiative).filter(user=actor).exists()


def can_edit_initiative(actor: Any, initiative: Initiative) -> bool:
    """Coordinators, the lead organisation's administrators and the named editors edit an
    initiative and follow up its impact. Partner organisations' members do not, unless they
    are named editors."""
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator:
        return True
    return Initiative.objects.filter(
        Exists(InitiativeEditor.objects.filter(initiative=OuterRef("pk"), user=actor))
        | Exists(lead_admin_memberships(OuterRef("pk")).filter(user=actor)),
        pk=initiative.pk,
    ).exists()


def can_manage_initiative(actor: Any, initiative: Initiative) -> bool:
    """Naming editors and publishing or withdrawing the impact report speak for the lead
    organisation: its administrators and coordinators only."""
    if not is_signed_in(actor):
        return False
    return actor.is_coordinator or is_lead_admin(actor, initiative)


def can_follow_initiative(actor: Any, initiative: Initiative) -> bool:
    """Who may read the unpublished work on an initiative (drafts of its impact follow-up):
    those who edit it and the members of the lead and of the partners that accepted."""
    if not is_signed_in(actor):
        return False
    if can_edit_initiative(actor, initiative):
        return True
    return _member_of(
        actor,
        Partnership.objects.accepted()
        .filter(initiative=initiative)
        .values_list("organisation_id", flat=True),
    )


def can_answer_for(actor: Any, organisation: Organisation) -> bool:
    """Who accepts or declines a partnership on an organisation's behalf: its
    administrators, and coordinators."""
    if not is_signed_in(actor):
        return False
    return (
        actor.is_coordinator
        or Membership.objects.filter(
            user=actor, organisation=organisation, role=MembershipRole.ADMIN
        ).exists()
    )


def edit_refused() -> str:
    return _(
        "Only the lead organisation's administrators, the people they named editors, or "
        "coordinators can change this initiative."
    )


def can_edit_method(actor: Any, method: Method) -> bool:
    if not is_signed_in(actor):
        return False
    if actor.is_coordinator:
        return True
    organisation_ids = list(method.organisations.values_list("pk", flat=True))
    if organisation_ids:
        return _member_of(actor, organisation_ids)
    return method.created_by_id == actor.pk


# --- shared helpers ---------------------------------------------------------------------


# Addresses under /initiativ/ and /metoder/ that pages use; no entry may take them.
RESERVED_SLUGS = frozenset({"nytt", "ny", "liknande", "import", "partner", "redaktor", "export"})


def _unique_slug(model: type, title: str, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200] or model._meta.model_name
    slug, counter = base, 2
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _check_terms(tags: dict[str, Sequence[Term] | None]) -> None:
    errors = {}
    for field, terms in tags.items():
        if terms is None:
            continue
        slug = TAGS.get(field, Vocabulary.STAGE)
        wrong = [term for term in terms if term.vocabulary.slug != slug]
        if wrong:
            errors[field] = _("%(terms)s cannot be used here.") % {
                "terms": ", ".join(term.label for term in wrong)
            }
    if errors:
        raise ValidationError(errors)


def _set_tags(entry: Any, tags: dict[str, Sequence[Term] | None]) -> dict[str, list]:
    changes = {}
    for field, terms in tags.items():
        if terms is None:
            continue
        before = sorted(getattr(entry, field).values_list("code", flat=True))
        after = sorted(term.code for term in terms)
        if before != after:
            getattr(entry, field).set(terms)
            changes[field] = [before, after]
    return changes


def _snapshot_tags(entry: Any) -> dict[str, list[str]]:
    return {field: sorted(getattr(entry, field).values_list("code", flat=True)) for field in TAGS}


# --- methods ----------------------------------------------------------------------------


@transaction.atomic
def method_create(
    *,
    actor: Any,
    challenges: Sequence[Term] = (),
    target_groups: Sequence[Term] = (),
    sdgs: Sequence[Term] = (),
    organisations: Sequence[Organisation] = (),
    **fields: Any,
) -> Method:
    """Describe a method. Anyone signed in who belongs to an organisation, or a coordinator."""
    require_signed_in(actor)
    require(
        actor.is_coordinator or actor.memberships.exists(),
        _("Join or register an organisation before you describe a method."),
    )
    method = Method(created_by=actor, **{k: v for k, v in fields.items() if k in METHOD_FIELDS})
    method.slug = _unique_slug(Method, method.title)
    method.full_clean()
    tags = {"challenges": challenges, "target_groups": target_groups, "sdgs": sdgs}
    _check_terms(tags)
    method.save()
    _set_tags(method, tags)
    method.organisations.set(organisations)
    index_method(method)
    forget_facet_counts()
    audit.record(
        actor=actor,
        action="method.create",
        target=method,
        changes={
            **audit.created(method, METHOD_FIELDS),
            **{k: [None, sorted(t.code for t in v)] for k, v in tags.items()},
        },
    )
    return method


@transaction.atomic
def method_update(
    *,
    actor: Any,
    method: Method,
    expected_version: int | None = None,
    challenges: Sequence[Term] | None = None,
    target_groups: Sequence[Term] | None = None,
    sdgs: Sequence[Term] | None = None,
    organisations: Sequence[Organisation] | None = None,
    **fields: Any,
) -> Method:
    require(
        can_edit_method(actor, method),
        _("Only members of the organisations behind the method, or coordinators, can change it."),
    )
    method = Method.objects.select_for_update().get(pk=method.pk)
    check_version(method, expected_version)
    before = audit.snapshot(method, METHOD_FIELDS)
    for name, value in fields.items():
        if name in METHOD_FIELDS:
            setattr(method, name, value)
    method.full_clean()
    tags = {"challenges": challenges, "target_groups": target_groups, "sdgs": sdgs}
    _check_terms(tags)
    changes = audit.diff(before, audit.snapshot(method, METHOD_FIELDS))
    changes.update(_set_tags(method, tags))
    if organisations is not None:
        old = sorted(method.organisations.values_list("name", flat=True))
        new = sorted(o.name for o in organisations)
        if old != new:
            method.organisations.set(organisations)
            changes["organisations"] = [old, new]
    if changes:
        method.version += 1
        method.save()
        index_method(method)
        forget_facet_counts()
        audit.record(actor=actor, action="method.update", target=method, changes=changes)
    return method


# --- initiatives ------------------------------------------------------------------------


def _check_lead(actor: Any, lead: Organisation) -> None:
    require(
        actor.is_coordinator or Membership.objects.filter(user=actor, organisation=lead).exists(),
        _("You can register initiatives for organisations you are a member of."),
    )


@transaction.atomic
def initiative_create(
    *,
    actor: Any,
    lead: Organisation,
    partners: Sequence[tuple[Organisation, str]] = (),
    methods: Sequence[Method] = (),
    challenges: Sequence[Term] = (),
    target_groups: Sequence[Term] = (),
    sdgs: Sequence[Term] = (),
    **fields: Any,
) -> Initiative:
    """Register an initiative led by an organisation the actor belongs to."""
    require_signed_in(actor)
    _check_lead(actor, lead)
    initiative = Initiative(
        created_by=actor, **{k: v for k, v in fields.items() if k in INITIATIVE_FIELDS}
    )
    initiative.slug = _unique_slug(Initiative, initiative.title)
    initiative.full_clean()
    tags = {"challenges": challenges, "target_groups": target_groups, "sdgs": sdgs}
    _check_terms({**tags, "stage": [initiative.stage]})
    initiative.save()
    Partnership.objects.create(
        initiative=initiative,
        organisation=lead,
        role=PartnerRole.LEAD,
        status=PartnershipStatus.ACCEPTED,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    # Whoever registers an initiative edits it, whatever their role in the lead.
    InitiativeEditor.objects.create(initiative=initiative, user=actor, added_by=actor)
    for organisation, role in partners:
        _add_partner(actor, initiative, organisation, role)
    initiative.methods.set(methods)
    _set_tags(initiative, tags)
    index_initiative(initiative)
    forget_facet_counts()
    audit.record(
        actor=actor,
        action="initiative.create",
        target=initiative,
        changes={
            **audit.created(initiative, INITIATIVE_FIELDS),
            "partners": [None, sorted(p.organisation.name for p in initiative.partnerships.all())],
            "methods": [None, sorted(m.title for m in methods)],
            **{k: [None, sorted(t.code for t in v)] for k, v in tags.items()},
        },
    )
    return initiative


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
    """``_unique_slug`` for many new entries at once, in a few queries: the first free
    "base", "base-2", "base-3" … for each title in turn."""
    bases = [slugify(title)[:200] or model._meta.model_name for title in titles]
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
    """``_check_terms`` for many entries, by vocabulary id (one query, not one per term)."""
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
    _check_lead(actor, lead)
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
    forget_facet_counts()
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
                    **{k: [None, sorted(t.code for t in entry.get(k, ()))] for k in TAGS},
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


def _add_partner(
    actor: Any, initiative: Initiative, organisation: Organisation, role: str
) -> Partnership:
    """Ask ``organisation`` to be a partner, or change the role of one that is already.

    A new partner waits for its administrators to accept (they are mailed) unless the
    actor answers for it (is one of them, or a coordinator). A role change keeps the
    status: an organisation that disagrees leaves with ``partnership_remove``."""
    if role not in PartnerRole.values or role == PartnerRole.LEAD:
        raise ValidationError({"partners": _("Unknown partner role '%(role)s'.") % {"role": role}})
    partnership = (
        Partnership.objects.select_for_update()
        .filter(initiative=initiative, organisation=organisation)
        .first()
    )
    if partnership is not None:
        if partnership.role != role:
            partnership.role = role
            partnership.save(update_fields=["role"])
        return partnership
    consents = can_answer_for(actor, organisation)
    partnership = Partnership(
        initiative=initiative,
        organisation=organisation,
        role=role,
        status=PartnershipStatus.ACCEPTED if consents else PartnershipStatus.PENDING,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    partnership.full_clean()
    partnership.save()
    if not consents:
        _mail_partnership_request(partnership)
    return partnership


def _mail_partnership_request(partnership: Partnership) -> None:
    """Tell the organisation's administrators that they are asked to be a partner."""
    admins = Membership.objects.filter(
        organisation=partnership.organisation, role=MembershipRole.ADMIN
    ).select_related("user")
    url = absolute_url(
        reverse("accounts:organisation-detail", args=[partnership.organisation.slug])
        + "#partnership-requests"
    )
    for membership in admins:
        send_templated_mail(
            to=membership.user.email,
            template="knowledge/email/partnership_request",
            language=membership.user.language,
            context={
                "partnership": partnership,
                "initiative": partnership.initiative,
                "organisation": partnership.organisation,
                "requester": partnership.requested_by,
                "url": url,
                "initiative_url": absolute_url(
                    reverse("knowledge:initiative-detail", args=[partnership.initiative.slug])
                ),
            },
        )


@transaction.atomic
def initiative_update(
    *,
    actor: Any,
    initiative: Initiative,
    expected_version: int | None = None,
    methods: Sequence[Method] | None = None,
    challenges: Sequence[Term] | None = None,
    target_groups: Sequence[Term] | None = None,
    sdgs: Sequence[Term] | None = None,
    **fields: Any,
) -> Initiative:
    require(
        can_edit_initiative(actor, initiative),
        edit_refused(),
    )
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    check_version(initiative, expected_version)
    before = audit.snapshot(initiative, INITIATIVE_FIELDS)
    for name, value in fields.items():
        if name in INITIATIVE_FIELDS:
            setattr(initiative, name, value)
    if "municipality" not in fields and initiative.is_international:
        initiative.municipality = None  # moved abroad: a Swedish kommun no longer applies
    initiative.full_clean()
    tags = {"challenges": challenges, "target_groups": target_groups, "sdgs": sdgs}
    _check_terms({**tags, "stage": [initiative.stage]})
    changes = audit.diff(before, audit.snapshot(initiative, INITIATIVE_FIELDS))
    changes.update(_set_tags(initiative, tags))
    if methods is not None:
        old = sorted(initiative.methods.values_list("title", flat=True))
        new = sorted(m.title for m in methods)
        if old != new:
            initiative.methods.set(methods)
            changes["methods"] = [old, new]
    if changes:
        initiative.version += 1
        initiative.save()
        index_initiative(initiative)
        forget_facet_counts()
        audit.record(actor=actor, action="initiative.update", target=initiative, changes=changes)
    return initiative


@transaction.atomic
def partnership_set(
    *, actor: Any, initiative: Initiative, organisation: Organisation, role: str
) -> Partnership:
    """Ask an organisation to be a partner, or change a partner's role (the lead stays the
    lead). The organisation shows as a partner only once its administrators accept."""
    require(can_edit_initiative(actor, initiative), edit_refused())
    existing = initiative.partnerships.filter(organisation=organisation).first()
    if existing is not None and existing.role == PartnerRole.LEAD:
        raise ValidationError(_("The lead organisation's role cannot be changed."))
    partnership = _add_partner(actor, initiative, organisation, role)
    forget_facet_counts()
    audit.record(
        actor=actor,
        action="initiative.partner_set",
        target=initiative,
        changes={
            "partner": [None, organisation.name],
            "role": [existing.role if existing else None, role],
            **({} if existing else {"status": [None, partnership.status]}),
        },
    )
    return partnership


def answer_refused() -> str:
    return _("Only the organisation's administrators, or coordinators, can answer this request.")


def _locked_pending(partnership: Partnership) -> Partnership:
    locked = (
        Partnership.objects.select_for_update()
        .select_related("initiative", "organisation")
        .filter(pk=partnership.pk)
        .first()
    )
    if locked is None or not locked.is_pending:
        raise ValidationError(
            _("This request is already answered or withdrawn."), code="not_pending"
        )
    return locked


@transaction.atomic
def partnership_accept(*, actor: Any, partnership: Partnership) -> Partnership:
    """The organisation agrees to be shown as a partner of the initiative."""
    require(can_answer_for(actor, partnership.organisation), answer_refused())
    partnership = _locked_pending(partnership)
    partnership.status = PartnershipStatus.ACCEPTED
    partnership.save(update_fields=["status"])
    forget_facet_counts()
    audit.record(
        actor=actor,
        action="initiative.partner_accept",
        target=partnership.initiative,
        changes={
            "partner": [None, partnership.organisation.name],
            "status": [PartnershipStatus.PENDING, PartnershipStatus.ACCEPTED],
        },
    )
    return partnership


@transaction.atomic
def partnership_decline(*, actor: Any, partnership: Partnership) -> None:
    """The organisation does not want to be a partner: the request is removed."""
    require(can_answer_for(actor, partnership.organisation), answer_refused())
    partnership = _locked_pending(partnership)
    audit.record(
        actor=actor,
        action="initiative.partner_decline",
        target=partnership.initiative,
        changes={"partner": [partnership.organisation.name, None]},
    )
    partnership.delete()
    forget_facet_counts()


@transaction.atomic
def partnership_remove(*, actor: Any, partnership: Partnership) -> None:
    """The initiative's editors remove a partner (or withdraw a request); the partner's own
    administrators may leave the initiative."""
    require(
        can_edit_initiative(actor, partnership.initiative)
        or can_answer_for(actor, partnership.organisation),
        edit_refused(),
    )
    if partnership.role == PartnerRole.LEAD:
        raise ValidationError(_("The lead organisation cannot be removed."))
    audit.record(
        actor=actor,
        action="initiative.partner_remove",
        target=partnership.initiative,
        changes={"partner": [partnership.organisation.name, None]},
    )
    partnership.delete()
    forget_facet_counts()


# --- named editors -----------------------------------------------------------------------


def editor_candidates(initiative: Initiative) -> QuerySet[User]:
    """Who may be named editor: members of the lead and of the partners that accepted (a
    list to choose from, so naming someone never tells whether an address has an account)."""
    organisations = Partnership.objects.accepted().filter(initiative=initiative)
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation__in=organisations.values("organisation_id"),
        )
        .exclude(initiative_editor_roles__initiative=initiative)
        .distinct()
        .order_by("name", "email")
    )


def manage_refused() -> str:
    return _(
        "Only the lead organisation's administrators, or coordinators, can name the "
        "initiative's editors."
    )


@transaction.atomic
def initiative_editor_add(*, actor: Any, initiative: Initiative, user: User) -> InitiativeEditor:
    """Name a person editor of the initiative: they edit it and follow up its impact."""
    require(can_manage_initiative(actor, initiative), manage_refused())
    if InitiativeEditor.objects.filter(initiative=initiative, user=user).exists():
        raise ValidationError({"user": _("%(name)s is already an editor.") % {"name": user}})
    if not editor_candidates(initiative).filter(pk=user.pk).exists():
        raise ValidationError(
            {
                "user": _(
                    "Only members of the lead organisation or of a partner that has accepted "
                    "can be named editors."
                )
            }
        )
    editor = InitiativeEditor(initiative=initiative, user=user, added_by=actor)
    editor.full_clean()
    editor.save()
    audit.record(
        actor=actor,
        action="initiative.editor_add",
        target=initiative,
        changes={"editor": [None, user.email]},
    )
    return editor


@transaction.atomic
def initiative_editor_remove(*, actor: Any, editor: InitiativeEditor) -> None:
    require(can_manage_initiative(actor, editor.initiative), manage_refused())
    audit.record(
        actor=actor,
        action="initiative.editor_remove",
        target=editor.initiative,
        changes={"editor": [editor.user.email, None]},
    )
    editor.delete()


# --- review and featuring (coordinators) -------------------------------------------------


@transaction.atomic
def entry_review(
    *, actor: Any, entry: Method | Initiative, reviewed: bool = True, featured: bool | None = None
) -> Method | Initiative:
    """Coordinators review and feature; a regional hub's coordinators the initiatives of its
    area (a method has no place: national coordinators only)."""
    require_can_coordinate(actor, entry)
    changes = {}
    if entry.is_reviewed != reviewed:
        changes["is_reviewed"] = [entry.is_reviewed, reviewed]
        entry.is_reviewed = reviewed
        entry.reviewed_at = timezone.now() if reviewed else None
        entry.reviewed_by = actor if reviewed else None
    if featured is not None and entry.is_featured != featured:
        changes["is_featured"] = [entry.is_featured, featured]
        entry.is_featured = featured
    if changes:
        entry.save(
            update_fields=["is_reviewed", "reviewed_at", "reviewed_by", "is_featured", "updated_at"]
        )
        audit.record(
            actor=actor, action=f"{entry._meta.model_name}.review", target=entry, changes=changes
        )
    return entry


# --- adaptations ------------------------------------------------------------------------


@transaction.atomic
def adaptation_create(
    *,
    actor: Any,
    initiative: Initiative,
    what_changed: str,
    why: str = "",
    source_method: Method | None = None,
    source_initiative: Initiative | None = None,
) -> Adaptation:
    """Record that ``initiative`` adapted a method or another initiative."""
    require(
        can_edit_initiative(actor, initiative),
        edit_refused(),
    )
    if (source_method is None) == (source_initiative is None):
        raise ValidationError(
            _("Choose either a method or an initiative that was adapted."), code="one_source"
        )
    if source_initiative is not None and source_initiative.pk == initiative.pk:
        raise ValidationError(_("An initiative cannot adapt itself."), code="self")
    if source_initiative is not None and _adapts_from(source_initiative, initiative):
        raise ValidationError(
            _("%(source)s already builds on %(initiative)s; an adaptation cannot go in a circle.")
            % {"source": source_initiative, "initiative": initiative},
            code="cycle",
        )
    adaptation = Adaptation(
        initiative=initiative,
        source_method=source_method,
        source_initiative=source_initiative,
        what_changed=what_changed,
        why=why,
        created_by=actor,
    )
    if Adaptation.objects.filter(
        initiative=initiative, source_method=source_method, source_initiative=source_initiative
    ).exists():
        raise ValidationError(_("This adaptation is already recorded."), code="duplicate")
    adaptation.full_clean()
    adaptation.save()
    audit.record(
        actor=actor,
        action="adaptation.create",
        target=initiative,
        changes={"adapted": [None, str(adaptation.source)], "what_changed": [None, what_changed]},
    )
    return adaptation


def _adapts_from(initiative: Initiative, ancestor: Initiative) -> bool:
    """Whether ``initiative`` (directly or through others) adapted ``ancestor``."""
    seen: set[int] = set()
    frontier = [initiative.pk]
    while frontier:
        sources = list(
            Adaptation.objects.filter(
                initiative_id__in=frontier, source_initiative__isnull=False
            ).values_list("source_initiative_id", flat=True)
        )
        if ancestor.pk in sources:
            return True
        seen.update(frontier)
        frontier = [pk for pk in sources if pk not in seen]
    return False


@transaction.atomic
def adaptation_delete(*, actor: Any, adaptation: Adaptation) -> None:
    require(
        can_edit_initiative(actor, adaptation.initiative),
        edit_refused(),
    )
    audit.record(
        actor=actor,
        action="adaptation.delete",
        target=adaptation.initiative,
        changes={"adapted": [str(adaptation.source), None]},
    )
    adaptation.delete()
