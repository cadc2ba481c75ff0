"""Writes to vocabularies and notifications. Every function checks permissions, validates, runs in a
transaction and records an audit entry."""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import audit, changes
from .changes import (  # noqa: F401 (their public home for the apps)
    MISSING_VERSION,
    MissingVersion,
    PreconditionRequired,
    check_version,
)
from .mail import absolute_url, send_templated_mail
from .models import (
    FormSubmission,
    Frequency,
    Notification,
    NotificationPreference,
    SearchSynonym,
    Term,
    Vocabulary,
)
from .permissions import is_signed_in, require, require_coordinator, require_signed_in

TERM_FIELDS = (
    "code",
    "label_sv",
    "label_en",
    "description_sv",
    "description_en",
    "position",
    "is_active",
)


def submission_claim(*, token: Any, actor: Any) -> Any | None:
    """Note that the form ``token`` is being sent, inside the caller's transaction. When it
    was sent before, return what that made (a second request waits here for the first to
    commit); None when this is the first time."""
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token, user=actor if is_signed_in(actor) else None)
        return None
    except IntegrityError:
        pass
    earlier = FormSubmission.objects.get(token=token)
    if earlier.user_id is not None and earlier.user_id != getattr(actor, "pk", None):
        # Someone else's token: never hand them what another person made.
        raise ValidationError(_("This form has already been sent."), code="sent")
    model = apps.get_model(earlier.target_type) if earlier.target_type else None
    found = model._default_manager.filter(pk=earlier.target_id).first() if model else None
    if found is None:
        raise ValidationError(_("This form has already been sent."), code="sent")
    return found


def submission_done(*, token: Any, result: Any) -> None:
    if isinstance(result, models.Model):
        FormSubmission.objects.filter(token=token).update(
            target_type=result._meta.label_lower, target_id=str(result.pk)
        )


def submit_once(*, token: Any, actor: Any, save: Callable[[], Any]) -> tuple[Any, bool]:
    """Call ``save()`` once per ``token``: ``(result, True)`` the first time, ``(what the
    first sending made, False)`` after that. Without a token, just ``save()``. A
    ValidationError from ``save`` rolls the claim back, so the corrected form can be sent."""
    if token is None:
        return save(), True
    with transaction.atomic():
        earlier = submission_claim(token=token, actor=actor)
        if earlier is not None:
            return earlier, False
        result = save()
        submission_done(token=token, result=result)
        return result, True


@transaction.atomic
def term_create(*, actor: Any, vocabulary: Vocabulary, **fields: Any) -> Term:
    require_coordinator(actor)
    term = Term(vocabulary=vocabulary, **{k: v for k, v in fields.items() if k in TERM_FIELDS})
    if not term.position:
        last = vocabulary.terms.order_by("-position").values_list("position", flat=True).first()
        term.position = (last or 0) + 1
    changes.create(actor, term, ("vocabulary", *TERM_FIELDS), action="term.create")
    return term


@transaction.atomic
def term_update(
    *, actor: Any, term: Term, expected_version: int | None = None, **fields: Any
) -> Term:
    require_coordinator(actor)
    return changes.update(
        actor, term, TERM_FIELDS, fields, action="term.update", expected_version=expected_version
    ).instance


# --- search synonyms (coordinators) ------------------------------------------------------

SYNONYM_FIELDS = ("words", "note")


def _clean_synonym(synonym: SearchSynonym) -> None:
    """Words one to a comma, each a single word, at least two different ones; stored
    lowercase and in a tidy form ("äldre, seniorer, pensionärer")."""
    from hjulet.lib.text import analyse

    from .search.synonyms import split_words

    words = list(dict.fromkeys(word.lower() for word in split_words(synonym.words or "")))
    errors = []
    several = [word for word in words if len(analyse(word)) != 1]
    if several:
        errors.append(
            _("Write one word between the commas (not: %(words)s).") % {"words": ", ".join(several)}
        )
    elif len(words) < 2:
        errors.append(_("Write at least two words that mean about the same, separated by commas."))
    if errors:
        raise ValidationError({"words": errors})
    synonym.words = ", ".join(words)


@transaction.atomic
def synonym_create(*, actor: Any, **fields: Any) -> SearchSynonym:
    require_coordinator(actor)
    synonym = SearchSynonym(**{k: v for k, v in fields.items() if k in SYNONYM_FIELDS})
    _clean_synonym(synonym)
    changes.create(actor, synonym, SYNONYM_FIELDS, action="search_synonym.create")
    transaction.on_commit(forget_synonyms)
    return synonym


@transaction.atomic
def synonym_update(
    *, actor: Any, synonym: SearchSynonym, expected_version: int | None = None, **fields: Any
) -> SearchSynonym:
    require_coordinator(actor)
    with changes.edit(
        actor,
        synonym,
        SYNONYM_FIELDS,
        action="search_synonym.update",
        expected_version=expected_version,
    ) as change:
        change.assign(fields)
        _clean_synonym(change.instance)
    if change.changes:
        transaction.on_commit(forget_synonyms)
    return change.instance


@transaction.atomic
def synonym_delete(*, actor: Any, synonym: SearchSynonym) -> None:
    require_coordinator(actor)
    synonym = SearchSynonym.objects.select_for_update().get(pk=synonym.pk)
    changes.delete(
        actor, synonym, action="search_synonym.delete", changes={"words": [synonym.words, None]}
    )
    transaction.on_commit(forget_synonyms)


def forget_synonyms() -> None:
    from .search.synonyms import forget

    forget()


# --- notifications ----------------------------------------------------------------------

DIGEST_INTERVAL = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}


def frequency_of(user: Any) -> str:
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref.frequency if pref else Frequency.DAILY


def notify(users: Iterable[Any], text: Callable[[], Any], url: str, *, email: bool = True) -> int:
    """Tell each person once: an entry under their bell, in their language; an e-mail now
    for those who chose it, the rest in their digest. ``email=False`` when the caller sends
    its own e-mail for the event (one e-mail per event and person). Returns how many."""
    told: set[int] = set()
    for user in users:
        if user is None or user.pk in told or not user.is_active:
            continue
        told.add(user.pk)
        with translation.override(user.language):
            message = str(text())
        immediately = email and frequency_of(user) == Frequency.IMMEDIATELY
        Notification.objects.create(
            user=user,
            text=message[:300],
            url=url,
            emailed_at=timezone.now() if (immediately or not email) else None,
        )
        if immediately:
            send_templated_mail(
                to=user.email,
                template="core/email/notification",
                context={"text": message, "url": absolute_url(url)},
                language=user.language,
            )
    return len(told)


@transaction.atomic
def notification_preference_set(*, actor: Any, frequency: str) -> NotificationPreference:
    require_signed_in(actor)
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose immediately, daily or weekly.")})
    pref, _created = NotificationPreference.objects.get_or_create(user=actor)
    before = pref.frequency if not _created else None
    pref.frequency = frequency
    pref.save(update_fields=["frequency"])
    audit.record(
        actor=actor,
        action="notification.preference",
        target=actor,
        changes={"frequency": [before, frequency]},
    )
    return pref


@transaction.atomic
def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of one's own notifications as read (again: nothing changes)."""
    require_signed_in(actor)
    require(notification.user_id == actor.pk, _("You can only read your own notifications."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit.record(
            actor=actor,
            action="notification.read",
            target=notification,
            changes={"read": [False, True]},
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark all of one's unread notifications as read; how many there were."""
    require_signed_in(actor)
    count = Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        audit.record(
            actor=actor,
            action="notification.read_all",
            target=actor,
            changes={"unread": [count, 0]},
        )
    return count


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """E-mail each person whose digest is due what has not yet been e-mailed; once."""
    now = now or timezone.now()
    sent = 0
    pending_users = (
        Notification.objects.filter(emailed_at__isnull=True)
        .values_list("user", flat=True)
        .distinct()
    )
    for user in get_user_model().objects.filter(pk__in=list(pending_users), is_active=True):
        with transaction.atomic():
            pref, _created = NotificationPreference.objects.select_for_update().get_or_create(
                user=user
            )
            interval = DIGEST_INTERVAL.get(pref.frequency)
            if (
                interval is not None
                and pref.last_digest_at
                and now - pref.last_digest_at < interval
            ):
                continue
            pending = list(
                Notification.objects.select_for_update().filter(user=user, emailed_at__isnull=True)
            )
            if not pending:
                continue
            send_templated_mail(
                to=user.email,
                template="core/email/digest",
                context={
                    "notifications": [
                        {"text": n.text, "url": absolute_url(n.url)} for n in reversed(pending)
                    ],
                    "weekly": pref.frequency == Frequency.WEEKLY,
                },
                language=user.language,
            )
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            pref.last_digest_at = now
            pref.save(update_fields=["last_digest_at"])
            sent += 1
    return sent
