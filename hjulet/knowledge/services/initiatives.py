"""Registering and changing initiatives."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from hjulet.accounts.models import Organisation
from hjulet.core import changes
from hjulet.core.models import Term
from hjulet.core.permissions import require, require_signed_in

from ..indexing import index_initiative
from ..models import (
    Initiative,
    InitiativeEditor,
    Method,
    PartnerRole,
    Partnership,
    PartnershipStatus,
)
from ._common import (
    INITIATIVE_FIELDS,
    check_lead,
    check_terms,
    created_tags,
    unique_slug,
)
from .partnerships import add_partner
from .permissions import can_edit_initiative, edit_refused


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
    check_lead(actor, lead)
    initiative = Initiative(
        created_by=actor, **{k: v for k, v in fields.items() if k in INITIATIVE_FIELDS}
    )
    initiative.slug = unique_slug(Initiative, initiative.title)
    initiative.full_clean()
    tags = {"challenges": challenges, "target_groups": target_groups, "sdgs": sdgs}
    check_terms({**tags, "stage": [initiative.stage]})
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
        add_partner(actor, initiative, organisation, role)
    initiative.methods.set(methods)
    changes.set_related(initiative, tags)
    index_initiative(initiative)
    changes.record_created(
        actor,
        initiative,
        INITIATIVE_FIELDS,
        action="initiative.create",
        also={
            "partners": [None, sorted(p.organisation.name for p in initiative.partnerships.all())],
            "methods": [None, sorted(m.title for m in methods)],
            **created_tags(tags),
        },
    )
    return initiative


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
    tags = {"challenges": challenges, "target_groups": target_groups, "sdgs": sdgs}
    with changes.edit(
        actor,
        initiative,
        INITIATIVE_FIELDS,
        action="initiative.update",
        expected_version=expected_version,
        clean=False,
    ) as change:
        initiative = change.instance
        change.assign(fields)
        if "municipality" not in fields and initiative.is_international:
            initiative.municipality = None  # moved abroad: a Swedish kommun no longer applies
        initiative.full_clean()
        check_terms({**tags, "stage": [initiative.stage]})
        change.also(changes.set_related(initiative, tags))
        change.also(changes.set_related(initiative, {"methods": methods}, label="title"))
    if change.changes:
        index_initiative(initiative)
    return initiative
