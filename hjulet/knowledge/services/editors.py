"""The people named to edit an initiative, and review and featuring by coordinators."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import User
from hjulet.core import audit, changes
from hjulet.core.permissions import require
from hjulet.regions.permissions import require_can_coordinate

from ..models import Initiative, InitiativeEditor, Method, Partnership
from .permissions import can_manage_initiative, manage_refused


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
    changes.create(
        actor,
        editor,
        action="initiative.editor_add",
        target=initiative,
        also={"editor": [None, user.email]},
    )
    return editor


@transaction.atomic
def initiative_editor_remove(*, actor: Any, editor: InitiativeEditor) -> None:
    require(can_manage_initiative(actor, editor.initiative), manage_refused())
    changes.delete(
        actor,
        editor,
        action="initiative.editor_remove",
        target=editor.initiative,
        changes={"editor": [editor.user.email, None]},
    )


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
