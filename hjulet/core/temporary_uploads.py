"""A temporary store for uploads between a preview and its confirmation.

An upload used to wait in the session, which every request of that person reads and writes
(a 4.8 MB form made a 6.5 MB session row and every page 14 times slower). Here it waits in its
own row, named by a random key that the preview page carries. The key is no capability on
its own: an upload is found only for the person who made it and for the purpose it was made
for, so a key seen by someone else (a shared screen, a log) opens nothing. Uploads expire
after ``LIFETIME``; expired ones are removed whenever one is kept and by
``manage.py purge_temporary_uploads``, and each person keeps at most ``MAX_PER_PERSON`` per
purpose (the oldest go first), so repeated uploads cannot fill the database."""

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import TemporaryUpload

LIFETIME = datetime.timedelta(hours=1)
MAX_PER_PERSON = 5


class UploadGone(ValidationError):
    """The key names no upload of this person for this purpose (any more); the message
    says why and what to do."""


@transaction.atomic
def keep(
    *,
    user: Any,
    purpose: str,
    content: bytes,
    filename: str = "",
    meta: dict[str, Any] | None = None,
) -> str:
    """Keep ``content`` for ``user`` and return the key to find it again."""
    purge_expired()
    now = timezone.now()
    upload = TemporaryUpload.objects.create(
        key=secrets.token_urlsafe(32),
        user=user,
        purpose=purpose,
        filename=filename[:255],
        content=content,
        meta=meta or {},
        created_at=now,
        expires_at=now + LIFETIME,
    )
    older = TemporaryUpload.objects.filter(user=user, purpose=purpose).order_by(
        "-created_at", "-pk"
    )
    TemporaryUpload.objects.filter(
        pk__in=list(older.values_list("pk", flat=True)[MAX_PER_PERSON:])
    ).delete()
    return upload.key


def take(*, user: Any, purpose: str, key: str) -> TemporaryUpload:
    """The upload ``key`` names, if ``user`` made it for ``purpose`` and it has not expired."""
    upload = TemporaryUpload.objects.filter(
        key=key or "", user_id=getattr(user, "pk", None), purpose=purpose
    ).first()
    if upload is None:
        raise UploadGone(
            _(
                "The uploaded file was not found: it has already been used or removed, or it "
                "was uploaded from another account. Upload the file again."
            ),
            code="upload_unknown",
        )
    if upload.expires_at <= timezone.now():
        upload.delete()
        raise UploadGone(
            _(
                "The preview has expired (an uploaded file is kept for an hour). Upload the "
                "file again."
            ),
            code="upload_expired",
        )
    return upload


def discard(*, user: Any, key: str) -> None:
    TemporaryUpload.objects.filter(key=key or "", user_id=getattr(user, "pk", None)).delete()


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Remove every expired upload; returns how many."""
    deleted, _details = TemporaryUpload.objects.filter(
        expires_at__lte=now or timezone.now()
    ).delete()
    return deleted
