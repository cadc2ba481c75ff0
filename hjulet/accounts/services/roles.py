"""Platform roles (coordinator, moderator, researcher, administrator), given by administrators."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hjulet.core import audit
from hjulet.core.permissions import require_admin

from ..models import Role, RoleGrant, User


@transaction.atomic
def role_grant(*, actor: User, user: User, role: str) -> RoleGrant:
    require_admin(actor)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")}, code="invalid_role")
    grant, created = RoleGrant.objects.get_or_create(
        user=user, role=role, defaults={"granted_by": actor}
    )
    if created:
        audit.record(actor=actor, action="role.grant", target=user, changes={"role": [None, role]})
    return grant


@transaction.atomic
def role_revoke(*, actor: User, user: User, role: str) -> None:
    require_admin(actor)
    if role == Role.ADMIN and user.pk == actor.pk:
        raise ValidationError(_("You cannot remove your own administrator role."), code="own_admin")
    deleted, _details = RoleGrant.objects.filter(user=user, role=role).delete()
    if deleted:
        audit.record(actor=actor, action="role.revoke", target=user, changes={"role": [role, None]})
