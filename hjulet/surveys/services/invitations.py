"""Sending a survey: invitations with one-time links, their preview and reminders."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Membership, MembershipRole, Organisation, canonical_or_none
from hjulet.core import audit
from hjulet.core.mail import absolute_url, render_templated_mail, send_templated_mail

from ..models import Invitation, Survey, hash_token, new_token
from ._common import require_manage

MAX_INVITATIONS = 2000


def _answer_url(token: str) -> str:
    return absolute_url(reverse("surveys:answer", args=[token]))


def _mail_context(survey: Survey, organisation: Organisation | None, sender: Any, url: str):
    return {
        "survey": survey,
        "owner": survey.organisation,
        "organisation": organisation,
        "sender": sender,
        "url": url,
    }


def _send_invitation(invitation: Invitation, token: str, template: str) -> None:
    send_templated_mail(
        to=invitation.email,
        template=template,
        context=_mail_context(
            invitation.survey, invitation.organisation, invitation.invited_by, _answer_url(token)
        ),
    )


def invitation_preview(
    *, actor: Any, survey: Survey, organisation: Organisation | None = None
) -> tuple[str, str]:
    """The invitation's subject and body as a recipient would get them (from ``actor``, for
    ``organisation`` when given), with a stand-in for the personal link. Nothing is sent."""
    require_manage(actor, survey)
    url = absolute_url(reverse("surveys:answer", args=[_("your-personal-link")]))
    return render_templated_mail(
        template="surveys/email/invitation",
        context=_mail_context(survey, organisation, actor, url),
    )


@transaction.atomic
def invitations_send(
    *,
    actor: Any,
    survey: Survey,
    emails: Sequence[str] = (),
    organisations: Sequence[Organisation] = (),
    send_email: bool = True,
) -> list[Invitation]:
    """Invite people (by address) and member organisations (at their contact address, or
    their administrators when they have none) with one-time links. Addresses already invited
    are skipped. Only an open survey can be sent. Each new invitation carries its link's
    secret in ``.token`` (never stored); ``send_email`` False registers without mailing."""
    require_manage(actor, survey)
    if not survey.accepts_answers:
        raise ValidationError(_("Open the survey (with a deadline in the future) before sending."))
    targets: dict[str, Organisation | None] = {e.strip().lower(): None for e in emails if e.strip()}
    for organisation in organisations:
        addresses = (
            [organisation.email]
            if organisation.email
            else list(
                Membership.objects.filter(
                    organisation=organisation, role=MembershipRole.ADMIN
                ).values_list("user__email", flat=True)
            )
        )
        if not addresses:
            raise ValidationError(
                _("%(name)s has no administrator or contact address to send to.")
                % {"name": organisation.name}
            )
        for email in addresses:
            targets[email.lower()] = organisation
    if len(targets) > MAX_INVITATIONS:
        raise ValidationError(_("Send at most 2000 invitations at a time."))
    already = set(survey.invitations.values_list("email", flat=True))
    created = []
    for email, organisation in targets.items():
        if email in already:
            continue
        if organisation is None:
            membership = Membership.objects.filter(
                user__email_canonical=canonical_or_none(email)
            ).first()
            organisation = membership.organisation if membership else None
        token = new_token()
        invitation = Invitation(
            survey=survey,
            email=email,
            organisation=organisation,
            token_hash=hash_token(token),
            invited_by=actor,
        )
        invitation.full_clean()
        invitation.save()
        if send_email:
            _send_invitation(invitation, token, "surveys/email/invitation")
        invitation.token = token
        created.append(invitation)
    audit.record(
        actor=actor,
        action="survey.invite",
        target=survey,
        changes={"invitations": [None, [i.email for i in created]]},
    )
    return created


@transaction.atomic
def invitations_remind(*, actor: Any | None, survey: Survey) -> int:
    """Send a fresh link to everyone who has not submitted yet (the old link stops working,
    as only its hash is kept; a saved draft answer follows the invitation). ``actor`` None is
    the scheduled reminder command."""
    if actor is not None:
        require_manage(actor, survey)
    if not survey.accepts_answers:
        raise ValidationError(_("The survey is not open, so no reminders are sent."))
    count = 0
    for invitation in survey.invitations.select_for_update().filter(used_at__isnull=True):
        token = new_token()
        invitation.token_hash = hash_token(token)
        invitation.reminder_count += 1
        invitation.reminded_at = timezone.now()
        invitation.save(update_fields=["token_hash", "reminder_count", "reminded_at"])
        _send_invitation(invitation, token, "surveys/email/reminder")
        count += 1
    audit.record(actor=actor, action="survey.remind", target=survey, changes={"sent": [0, count]})
    return count
