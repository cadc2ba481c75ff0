"""Arenas, the organisations taking part and their partnership agreements."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation, User
from hjulet.core import audit, changes
from hjulet.core.permissions import require, require_signed_in
from hjulet.core.uploads import check_pdf

from ..models import (
    MAX_DOCUMENT_BYTES,
    MAX_DOCUMENT_PAGES,
    Arena,
    ArenaOrganisation,
    ArenaPerson,
    ArenaRole,
    PartnershipAgreement,
)
from ._common import _unique_slug
from .permissions import _is_member_of_any, can_manage_arena

ARENA_FIELDS = ("name", "purpose", "municipality")

AGREEMENT_FIELDS = ("title", "kind", "purpose", "starts_on", "ends_on", "status")


@transaction.atomic
def arena_create(
    *,
    actor: Any,
    organisations: Sequence[tuple[Organisation, str]],
    people: Sequence[tuple[User, str]] = (),
    **fields: Any,
) -> Arena:
    """Start an arena: coordinators, or a member of one of its lead organisations."""
    require_signed_in(actor)
    leads = [org for org, role in organisations if role == ArenaRole.LEAD]
    require(
        actor.is_coordinator or _is_member_of_any(actor, [o.pk for o in leads]),
        _("Only coordinators, or members of a lead organisation, can start an arena."),
    )
    if not leads:
        raise ValidationError({"organisations": _("Choose at least one lead organisation.")})
    arena = Arena(created_by=actor, **{k: v for k, v in fields.items() if k in ARENA_FIELDS})
    arena.slug = _unique_slug(Arena, arena.name, "arena")
    changes.create(
        actor,
        arena,
        ARENA_FIELDS,
        action="arena.create",
        also={
            "organisations": [None, sorted(o.name for o, _role in organisations)],
        },
    )
    for organisation, role in organisations:
        ArenaOrganisation.objects.get_or_create(
            arena=arena, organisation=organisation, defaults={"role": role}
        )
    for user, role in people:
        ArenaPerson.objects.get_or_create(arena=arena, user=user, defaults={"role": role})
    return arena


@transaction.atomic
def arena_add_organisation(
    *, actor: Any, arena: Arena, organisation: Organisation, role: str = ArenaRole.PARTNER
) -> ArenaOrganisation:
    require(can_manage_arena(actor, arena), _("Only the arena's coordinators can change it."))
    if role not in ArenaRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    link, created = ArenaOrganisation.objects.get_or_create(
        arena=arena, organisation=organisation, defaults={"role": role}
    )
    if not created:
        raise ValidationError(
            {"organisation": _("%(name)s already takes part.") % {"name": organisation.name}}
        )
    audit.record(
        actor=actor,
        action="arena.add_organisation",
        target=arena,
        changes={"organisation": [None, organisation.name], "role": [None, role]},
    )
    return link


def _check_document(document: Any) -> None:
    if document:
        check_pdf(
            document,
            field="document",
            max_bytes=MAX_DOCUMENT_BYTES,
            max_pages=MAX_DOCUMENT_PAGES,
        )


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    arena: Arena,
    parties: Sequence[Organisation],
    document: Any = None,
    **fields: Any,
) -> PartnershipAgreement:
    require(
        can_manage_arena(actor, arena),
        _("Only the arena's coordinators can register its agreements."),
    )
    if len(parties) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    _check_document(document)
    agreement = PartnershipAgreement(
        arena=arena, **{k: v for k, v in fields.items() if k in AGREEMENT_FIELDS}
    )
    if document:
        agreement.document = document
    changes.create(
        actor,
        agreement,
        AGREEMENT_FIELDS,
        action="agreement.create",
        also={
            "parties": [None, sorted(p.name for p in parties)],
        },
    )
    agreement.parties.set(parties)
    return agreement
