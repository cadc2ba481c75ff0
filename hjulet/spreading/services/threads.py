"""The message thread between a place adapting something and the original team."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from hjulet.core import changes
from hjulet.core.mail import absolute_url, send_templated_mail
from hjulet.core.permissions import require, require_signed_in
from hjulet.core.services import notify

from ..models import AdaptationDraft, Message
from .permissions import can_use_thread, original_team


@transaction.atomic
def message_post(*, actor: Any, draft: AdaptationDraft, body: str) -> Message:
    """A message in the thread; the other side is told under the bell and by e-mail, with a
    link to the thread (an answer is written on the site: replies by e-mail do not arrive)."""
    require_signed_in(actor)
    require(
        can_use_thread(actor, draft),
        _("Only the people adapting this and the original team can write in this thread."),
    )
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > 5000:
        raise ValidationError({"body": _("Keep the message under 5,000 characters.")})
    message = Message(draft=draft, author=actor, body=body)
    changes.create(
        actor, message, action="message.create", target=draft, also={"message": [None, body[:200]]}
    )
    team = original_team(draft)
    from_team = any(p.pk == actor.pk for p in team)
    if from_team:
        recipients = [draft.owner]
    else:
        recipients = team + ([draft.owner] if draft.owner_id != actor.pk else [])
    recipients = [p for p in {p.pk: p for p in recipients}.values() if p.pk != actor.pk]
    url = reverse("spreading:draft-thread", args=[draft.pk])
    author = actor.display_name

    def text() -> str:
        return _("%(author)s wrote about adapting %(source)s.") % {
            "author": author,
            "source": draft.source.title,
        }

    notify(recipients, text, url, email=False)
    for person in recipients:
        if person.is_active and person.email:
            send_templated_mail(
                to=person.email,
                template="spreading/email/message",
                context={
                    "author": author,
                    "source": draft.source.title,
                    "body": body,
                    "url": absolute_url(url),
                },
                language=person.language,
            )
    return message
