"""Partner organisations of an initiative: asked, accepted, declined, removed."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation
from hjulet.core import audit, changes
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.permissions import require

from ..models import Initiative, PartnerRole, Partnership, PartnershipStatus
from .permissions import answer_refused, can_answer_for, can_edit_initiative, edit_refused


def add_partner(
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
def partnership_set(
    *, actor: Any, initiative: Initiative, organisation: Organisation, role: str
) -> Partnership:
    """Ask an organisation to be a partner, or change a partner's role (the lead stays the
    lead). The organisation shows as a partner only once its administrators accept."""
    require(can_edit_initiative(actor, initiative), edit_refused())
    existing = initiative.partnerships.filter(organisation=organisation).first()
    if existing is not None and existing.role == PartnerRole.LEAD:
        raise ValidationError(_("The lead organisation's role cannot be changed."))
    partnership = add_partner(actor, initiative, organisation, role)
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
    _delete(actor, partnership, action="initiative.partner_decline")


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
    _delete(actor, partnership, action="initiative.partner_remove")


def _delete(actor: Any, partnership: Partnership, *, action: str) -> None:
    """Remove the partnership and record ``action`` on its initiative."""
    changes.delete(
        actor,
        partnership,
        action=action,
        target=partnership.initiative,
        changes={"partner": [partnership.organisation.name, None]},
    )
