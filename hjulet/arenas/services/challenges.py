"""Challenges, their events and the places at them."""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hjulet.accounts.models import Organisation
from hjulet.core import audit, changes
from hjulet.core.models import Term, Vocabulary
from hjulet.core.permissions import require, require_signed_in
from hjulet.core.services import notify

from .. import searching
from ..models import (
    Arena,
    Challenge,
    Event,
    Follow,
    Registration,
    RegistrationStatus,
)
from ._common import _unique_slug
from .permissions import can_manage_challenge, can_post_challenge

CHALLENGE_FIELDS = (
    "title",
    "problem",
    "affected",
    "municipality",
    "ideas_from",
    "develop_from",
    "test_from",
    "evaluate_from",
    "ends_on",
)

EVENT_FIELDS = ("kind", "title", "starts_at", "place", "capacity")


def _check_terms(field: str, terms: Sequence[Term], slug: str) -> None:
    wrong = [t for t in terms if t.vocabulary.slug != slug]
    if wrong:
        raise ValidationError(
            {field: _("%(terms)s cannot be used here.") % {"terms": ", ".join(map(str, wrong))}}
        )


@transaction.atomic
def challenge_create(
    *,
    actor: Any,
    arena: Arena | None = None,
    organisation: Organisation | None = None,
    challenges: Sequence[Term] = (),
    sdgs: Sequence[Term] = (),
    **fields: Any,
) -> Challenge:
    """Post a challenge in an arena's or an organisation's name."""
    require_signed_in(actor)
    if arena is None and organisation is None:
        raise ValidationError({"organisation": _("Choose an arena or an organisation.")})
    require(
        can_post_challenge(actor, arena=arena, organisation=organisation),
        _("You can post challenges for arenas you coordinate or organisations you belong to."),
    )
    _check_terms("challenges", challenges, Vocabulary.CHALLENGE)
    _check_terms("sdgs", sdgs, Vocabulary.SDG)
    challenge = Challenge(
        arena=arena,
        organisation=organisation,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in CHALLENGE_FIELDS},
    )
    challenge.slug = _unique_slug(Challenge, challenge.title, "utmaning")
    changes.create(actor, challenge, CHALLENGE_FIELDS, action="challenge.create")
    challenge.challenges.set(challenges)
    challenge.sdgs.set(sdgs)
    searching.index_challenge(challenge)
    Follow.objects.create(user=actor, challenge=challenge)
    return challenge


@transaction.atomic
def challenge_set_open(*, actor: Any, challenge: Challenge, is_open: bool) -> Challenge:
    require(
        can_manage_challenge(actor, challenge),
        _("Only the challenge's owners can open or close it."),
    )
    changes.update(
        actor,
        challenge,
        ("is_open",),
        {"is_open": is_open},
        action="challenge.open" if is_open else "challenge.close",
        lock=False,
        clean=False,
        save_fields=["is_open", "updated_at"],
    )
    return challenge


@transaction.atomic
def event_create(*, actor: Any, challenge: Challenge, **fields: Any) -> Event:
    require(
        can_manage_challenge(actor, challenge),
        _("Only the challenge's owners can arrange events for it."),
    )
    event = Event(challenge=challenge, **{k: v for k, v in fields.items() if k in EVENT_FIELDS})
    changes.create(actor, event, EVENT_FIELDS, action="event.create")
    return event


@transaction.atomic
def event_register(*, actor: Any, event: Event) -> Registration:
    """A place if one is free, otherwise the waiting list."""
    require_signed_in(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.starts_at < timezone.now():
        raise ValidationError(_("The event has already taken place."))
    registration = Registration.objects.filter(event=event, user=actor).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationError(_("You are already registered for this event."), code="duplicate")
    taken = event.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    status = RegistrationStatus.REGISTERED if taken < event.capacity else RegistrationStatus.WAITING
    if registration is None:
        registration = Registration(event=event, user=actor)
    registration.status = status
    registration.created_at = timezone.now()
    registration.save()
    audit.record(
        actor=actor,
        action="event.register",
        target=event,
        changes={"status": [None, status]},
    )
    return registration


@transaction.atomic
def registration_cancel(*, actor: Any, event: Event) -> Registration:
    """Cancel one's place; the first on the waiting list gets it."""
    require_signed_in(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    registration = Registration.objects.filter(
        event=event,
        user=actor,
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING],
    ).first()
    if registration is None:
        raise ValidationError(_("You are not registered for this event."))
    had_place = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    audit.record(actor=actor, action="event.cancel", target=event)
    if had_place:
        first = event.registrations.filter(status=RegistrationStatus.WAITING).first()
        if first is not None:
            first.status = RegistrationStatus.REGISTERED
            first.save(update_fields=["status"])
            audit.record(
                actor=None,
                action="event.promote",
                target=event,
                changes={"user": [None, first.user_id]},
            )
            notify(
                [first.user],
                lambda: _("You got a place at %(title)s.") % {"title": event.title},
                reverse("arenas:challenge-detail", args=[event.challenge.slug]),
            )
    return registration
