"""Describing and changing methods."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import changes
from hjulet.core.models import Term
from hjulet.core.permissions import require, require_signed_in

from ..indexing import index_method
from ..models import Method
from ._common import METHOD_FIELDS, check_terms, created_tags, unique_slug
from .permissions import can_edit_method, method_edit_refused


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
    method.slug = unique_slug(Method, method.title)
    method.full_clean()
    tags = {"challenges": challenges, "target_groups": target_groups, "sdgs": sdgs}
    check_terms(tags)
    method.save()
    changes.set_related(method, tags)
    method.organisations.set(organisations)
    index_method(method)
    changes.record_created(
        actor, method, METHOD_FIELDS, action="method.create", also=created_tags(tags)
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
    require(can_edit_method(actor, method), method_edit_refused())
    tags = {"challenges": challenges, "target_groups": target_groups, "sdgs": sdgs}
    with changes.edit(
        actor,
        method,
        METHOD_FIELDS,
        action="method.update",
        expected_version=expected_version,
        clean=False,
    ) as change:
        method = change.instance
        change.assign(fields)
        method.full_clean()
        check_terms(tags)
        change.also(changes.set_related(method, tags))
        change.also(changes.set_related(method, {"organisations": organisations}, label="name"))
    if change.changes:
        index_method(method)
    return method
