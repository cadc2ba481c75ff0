"""Writes to vocabularies. Every function checks permissions, validates, runs in a
transaction and records an audit entry."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .models import Term, Vocabulary
from .permissions import require_coordinator

TERM_FIELDS = (
    "code",
    "label_sv",
    "label_en",
    "description_sv",
    "description_en",
    "position",
    "is_active",
)


def check_version(instance: Any, expected_version: int | None) -> None:
    """Refuse a write based on a stale copy, so two editors never overwrite each other."""
    if expected_version is not None and expected_version != instance.version:
        raise ValidationError(
            _(
                "Someone else changed this while you were editing. Reload the page to see "
                "their changes, then make yours again."
            ),
            code="conflict",
        )


@transaction.atomic
def term_create(*, actor: Any, vocabulary: Vocabulary, **fields: Any) -> Term:
    require_coordinator(actor)
    term = Term(vocabulary=vocabulary, **{k: v for k, v in fields.items() if k in TERM_FIELDS})
    if not term.position:
        last = vocabulary.terms.order_by("-position").values_list("position", flat=True).first()
        term.position = (last or 0) + 1
    term.full_clean()
    term.save()
    audit.record(
        actor=actor,
        action="term.create",
        target=term,
        changes=audit.created(term, ("vocabulary", *TERM_FIELDS)),
    )
    return term


@transaction.atomic
def term_update(
    *, actor: Any, term: Term, expected_version: int | None = None, **fields: Any
) -> Term:
    require_coordinator(actor)
    term = Term.objects.select_for_update().get(pk=term.pk)
    check_version(term, expected_version)
    before = audit.snapshot(term, TERM_FIELDS)
    for name, value in fields.items():
        if name in TERM_FIELDS:
            setattr(term, name, value)
    term.full_clean()
    changes = audit.diff(before, audit.snapshot(term, TERM_FIELDS))
    if changes:
        term.version += 1
        term.save()
        audit.record(actor=actor, action="term.update", target=term, changes=changes)
    return term
