"""Funding calls, and following one for a reminder before its deadline."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import audit, changes
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.models import County, Municipality, Term, Vocabulary
from hjulet.core.permissions import is_signed_in, require, require_signed_in
from hjulet.core.slugs import unique_slug

from .. import searching
from ..models import Audience, CallFollow, FundingCall
from ._common import _flags, _is_member, _save_in_area, _set_choices

CALL_FIELDS = (
    "title",
    "purpose",
    "scope",
    "eligibility",
    "amount_min",
    "amount_max",
    "co_financing",
    "opens_on",
    "deadline",
    "link",
)


REMIND_DAYS_BEFORE = 7


RESERVED_SLUGS = frozenset({"ny", "export", "for-initiativ"})


def can_edit_call(actor: Any, call: FundingCall) -> bool:
    if not is_signed_in(actor):
        return False
    return actor.is_coordinator or _is_member(actor, call.funder_id)


def _check_themes(challenges: Sequence[Term] | None, sdgs: Sequence[Term] | None) -> None:
    errors = {}
    for field, terms, slug in (
        ("challenges", challenges, Vocabulary.CHALLENGE),
        ("sdgs", sdgs, Vocabulary.SDG),
    ):
        wrong = [t for t in terms or [] if t.vocabulary.slug != slug]
        if wrong:
            errors[field] = _("%(terms)s cannot be used here.") % {
                "terms": ", ".join(t.label for t in wrong)
            }
    if errors:
        raise ValidationError(errors)


def _save_call(
    call: FundingCall,
    audiences: Sequence[str] | None,
    counties: Sequence[County] | None,
    municipalities: Sequence[Municipality] | None,
) -> dict[str, list]:
    _set_choices(call, "audiences", "for_", audiences, Audience.values)
    errors: dict[str, Any] = {}
    if not call.audiences:
        errors["audiences"] = _("Choose at least one group that may apply.")
    return _save_in_area(call, errors, counties, municipalities, searching.index_call)


@transaction.atomic
def call_create(
    *,
    actor: Any,
    funder: Organisation,
    audiences: Sequence[str] = (),
    counties: Sequence[County] = (),
    municipalities: Sequence[Municipality] = (),
    challenges: Sequence[Term] = (),
    sdgs: Sequence[Term] = (),
    **fields: Any,
) -> FundingCall:
    """Publish a call for the funder the actor belongs to (or any, for coordinators)."""
    require_signed_in(actor)
    require(
        actor.is_coordinator or _is_member(actor, funder.pk),
        _("You can publish calls for organisations you are a member of."),
    )
    call = FundingCall(
        funder=funder, created_by=actor, **{k: v for k, v in fields.items() if k in CALL_FIELDS}
    )
    call.slug = unique_slug(FundingCall, call.title, fallback="utlysning", reserved=RESERVED_SLUGS)
    _check_themes(challenges, sdgs)
    _save_call(call, audiences, counties, municipalities)
    changes.set_related(call, {"challenges": challenges, "sdgs": sdgs})
    changes.record_created(
        actor,
        call,
        ("funder", *CALL_FIELDS),
        action="funding_call.create",
        also={
            "audiences": [None, call.audiences],
            "challenges": [None, sorted(t.code for t in challenges)],
            "sdgs": [None, sorted(t.code for t in sdgs)],
        },
    )
    return call


@transaction.atomic
def call_update(
    *,
    actor: Any,
    call: FundingCall,
    expected_version: int | None = None,
    audiences: Sequence[str] | None = None,
    counties: Sequence[County] | None = None,
    municipalities: Sequence[Municipality] | None = None,
    challenges: Sequence[Term] | None = None,
    sdgs: Sequence[Term] | None = None,
    **fields: Any,
) -> FundingCall:
    require(
        can_edit_call(actor, call),
        _("Only the funder's members, or coordinators, can change this call."),
    )
    with changes.edit(
        actor,
        call,
        CALL_FIELDS,
        action="funding_call.update",
        expected_version=expected_version,
        clean=False,  # _save_call validates (and saves the fields)
        extra_state=_flags,
        save_fields=["updated_at"],
    ) as change:
        change.assign(fields)
        _check_themes(challenges, sdgs)
        change.also(_save_call(change.instance, audiences, counties, municipalities))
        change.also(changes.set_related(change.instance, {"challenges": challenges, "sdgs": sdgs}))
    if "deadline" in change.changes:
        # a new deadline deserves a new reminder
        CallFollow.objects.filter(call=change.instance).update(reminded_at=None)
    return change.instance


@transaction.atomic
def call_follow(*, actor: Any, call: FundingCall) -> CallFollow:
    """Follow a call to get a reminder before its deadline."""
    require_signed_in(actor)
    if call.deadline < timezone.localdate():
        raise ValidationError(_("The deadline of this call has passed."), code="closed")
    if CallFollow.objects.filter(user=actor, call=call).exists():
        raise ValidationError(_("You already follow this call."), code="duplicate")
    follow = CallFollow.objects.create(user=actor, call=call)
    audit.record(actor=actor, action="funding_call.follow", target=call)
    return follow


@transaction.atomic
def call_unfollow(*, actor: Any, call: FundingCall) -> None:
    require_signed_in(actor)
    deleted, _rows = CallFollow.objects.filter(user=actor, call=call).delete()
    if not deleted:
        raise ValidationError(_("You do not follow this call."), code="not_following")
    audit.record(actor=actor, action="funding_call.unfollow", target=call)


def call_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind each follower once, in the week before the deadline. Safe to run often and in
    parallel: a follow is claimed by setting ``reminded_at`` before its e-mail is queued."""
    today = today or timezone.localdate()
    due = CallFollow.objects.filter(
        reminded_at__isnull=True,
        call__deadline__gte=today,
        call__deadline__lte=today + datetime.timedelta(days=REMIND_DAYS_BEFORE),
        user__is_active=True,
    ).select_related("user", "call")
    sent = 0
    for follow in due:
        with transaction.atomic():
            claimed = CallFollow.objects.filter(pk=follow.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            send_templated_mail(
                to=follow.user.email,
                template="support/email/call_reminder",
                language=follow.user.language,
                context={
                    "call": follow.call,
                    "days_left": (follow.call.deadline - today).days,
                    "url": absolute_url(reverse("support:call-detail", args=[follow.call.slug])),
                },
            )
            audit.record(
                actor=None,
                action="funding_call.reminder",
                target=follow.call,
                changes={"follower": [None, follow.user_id]},
            )
            sent += 1
    return sent
