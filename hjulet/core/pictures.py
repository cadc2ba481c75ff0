"""Pictures of initiatives, methods, challenges and ideas.

Core knows nothing of the apps' models: each app registers the kinds that may carry pictures
in its ``AppConfig.ready()`` with ``register(page_kind(...), …)``, saying who may change an
object's pictures (``can_edit``, the same right as editing the object), who may see them
(``can_see``, the same right as seeing the object; everyone by default) and where the
object's page is.

An upload is checked by its content (``hjulet.lib.images``), re-encoded into a few widths with
its metadata stripped, and kept through Django's storage API (``default_storage``), so that
moving files to object storage is a settings change. The files have no address of their own:
``picture_file`` (a view) hands them out after asking ``can_see``.

Every change goes through ``picture_add``, ``picture_replace`` or ``picture_remove``: the
permission check, a transaction and an audit entry on the object. Files are written before
the row and removed only after the transaction commits, so a failure loses nothing saved.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hjulet.lib import images

from . import audit
from .models import Picture
from .permissions import require, require_signed_in

MAX_BYTES = 10 * 1024 * 1024
#: Pictures one object may carry.
MAX_PER_OBJECT = 8
ALT_TEXT_MAX = 300


@dataclass(frozen=True)
class PictureKind:
    code: str
    model: type[models.Model]
    label: str | Promise
    can_edit: Callable[[Any, Any], bool]
    can_see: Callable[[Any, Any], bool]
    #: Where the object's own page is.
    url: Callable[[Any], str]


_KINDS: dict[str, PictureKind] = {}


def seen_by_everyone(actor: object, obj: object) -> bool:
    """``can_see`` for kinds whose objects are public (initiatives, methods, challenges, hubs)."""
    return True


def page_kind(
    code: str,
    model: type[models.Model],
    label: str | Promise,
    *,
    can_edit: Callable[[Any, Any], bool],
    url_name: str,
    url_arg: str = "slug",
    can_see: Callable[[Any, Any], bool] = seen_by_everyone,
) -> PictureKind:
    """The kind ``code`` of ``model``, whose objects' own page is the URL named ``url_name``
    with the object's ``url_arg`` (its slug, or "pk")."""

    def url(obj: Any) -> str:
        return reverse(url_name, args=[getattr(obj, url_arg)])

    return PictureKind(code, model, label, can_edit=can_edit, can_see=can_see, url=url)


def register(*kinds: PictureKind) -> None:
    for registered in kinds:
        _KINDS[registered.code] = registered


def registered_kinds() -> list[PictureKind]:
    return list(_KINDS.values())


def kind(code: str) -> PictureKind:
    """The registered kind ``code``; ``ObjectDoesNotExist`` for an unknown one."""
    try:
        return _KINDS[code]
    except KeyError:
        raise ObjectDoesNotExist(code) from None


def kind_of(target: models.Model) -> PictureKind:
    for registered in _KINDS.values():
        if isinstance(target, registered.model):
            return registered
    raise ObjectDoesNotExist(type(target).__name__)


def target_of(code: str, pk: int) -> tuple[PictureKind, models.Model]:
    registered = kind(code)
    return registered, registered.model._default_manager.get(pk=pk)


def pictures_of(target: models.Model) -> list[Picture]:
    return list(
        Picture.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk
        )
    )


def edit_refused() -> str:
    return _("Only those who may edit this can change its pictures.")


# --- checking an upload -------------------------------------------------------------------


def _image_message(error: images.ImageError) -> str:
    if error.code == "empty":
        return _("The file is empty. Choose the picture again.")
    if error.code == "too_large":
        return _("The picture may be at most %(megabytes)s MB.") % error.params
    if error.code == "too_many_pixels":
        return (
            _(
                "The picture has too many pixels (at most %(megapixels)s megapixels). Make it "
                "smaller and upload it again."
            )
            % error.params
        )
    if error.code == "too_small":
        return _("The picture is too small: at least %(pixels)s pixels on each side.") % (
            error.params
        )
    if error.code in ("not_image", "wrong_format"):
        return _("The picture must be a JPEG, PNG or WebP file.")
    return _(
        "The file could not be read as a picture: it is damaged or incomplete. Save it again "
        "as JPEG, PNG or WebP and upload it."
    )


def _read(upload: Any) -> Any:
    if upload is None:
        raise ValidationError({"image": _("Choose a picture to upload.")})
    if upload.size > MAX_BYTES:
        raise ValidationError(
            {"image": _("The picture may be at most %(megabytes)s MB.") % {"megabytes": 10}}
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    try:
        return images.read_image(data, max_bytes=MAX_BYTES)
    except images.ImageError as error:
        raise ValidationError({"image": _image_message(error)}) from error


def _description(alt_text: str, is_decorative: bool) -> str:
    alt_text = " ".join((alt_text or "").split())
    if "\x00" in alt_text:
        raise ValidationError({"alt_text": _("The description contains a character not allowed.")})
    if is_decorative and alt_text:
        raise ValidationError(
            {
                "alt_text": _(
                    "A decorative picture has no description. Either describe the picture or "
                    "mark it as decorative, not both."
                )
            }
        )
    if not is_decorative and not alt_text:
        raise ValidationError(
            {
                "alt_text": _(
                    "Describe what the picture shows, for those who cannot see it. Only if it "
                    "shows nothing that matters (a pattern, a mood), mark it as decorative."
                )
            }
        )
    if len(alt_text) > ALT_TEXT_MAX:
        raise ValidationError(
            {
                "alt_text": _("The description may be at most %(count)s characters.")
                % {"count": ALT_TEXT_MAX}
            }
        )
    return alt_text


def _store(image: Any, token: str) -> list[dict]:
    stored = []
    for rendition in images.renditions(image):
        name = default_storage.save(
            f"pictures/{token[:2]}/{token}-{rendition.width}.{images.EXTENSION}",
            ContentFile(rendition.data),
        )
        stored.append({"width": rendition.width, "height": rendition.height, "name": name})
    return stored


def _remove_files(renditions: list[dict]) -> None:
    for rendition in renditions:
        default_storage.delete(rendition["name"])


def _remove_files_after_commit(renditions: list[dict]) -> None:
    transaction.on_commit(lambda: _remove_files(renditions))


@receiver(post_delete, sender=Picture)
def _picture_deleted(sender: Any, instance: Picture, **kwargs: Any) -> None:
    """Also when an object with pictures is deleted (the generic relation cascades)."""
    _remove_files_after_commit(list(instance.renditions))


# --- services -----------------------------------------------------------------------------


def _require_edit(actor: Any, target: models.Model) -> PictureKind:
    registered = kind_of(target)
    require_signed_in(actor)
    require(registered.can_edit(actor, target), edit_refused())
    return registered


def _audit(actor: Any, action: str, target: models.Model, picture: Picture, **changes: Any) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=target,
        changes={"picture": [None, picture.token], **changes},
    )


def picture_add(
    *,
    actor: Any,
    target: models.Model,
    upload: Any,
    alt_text: str = "",
    is_decorative: bool = False,
) -> Picture:
    """Add a picture to ``target`` (last in its order)."""
    _require_edit(actor, target)
    alt_text = _description(alt_text, is_decorative)
    content_type = ContentType.objects.get_for_model(target)
    existing = Picture.objects.filter(content_type=content_type, object_id=target.pk)
    if existing.count() >= MAX_PER_OBJECT:
        raise ValidationError(
            {"image": _("At most %(count)s pictures per page.") % {"count": MAX_PER_OBJECT}}
        )
    image = _read(upload)
    token = secrets.token_hex(16)
    renditions = _store(image, token)
    try:
        with transaction.atomic():
            last = existing.order_by("-position").values_list("position", flat=True).first()
            picture = Picture.objects.create(
                content_type=content_type,
                object_id=target.pk,
                token=token,
                alt_text=alt_text,
                is_decorative=is_decorative,
                position=0 if last is None else last + 1,
                width=image.width,
                height=image.height,
                renditions=renditions,
                created_by=actor,
            )
            _audit(actor, "picture.add", target, picture, alt_text=[None, alt_text])
    except Exception:
        _remove_files(renditions)
        raise
    return picture


def picture_replace(
    *,
    actor: Any,
    picture: Picture,
    upload: Any = None,
    alt_text: str = "",
    is_decorative: bool = False,
) -> Picture:
    """Give ``picture`` a new file (when ``upload`` is given) and description; its address
    changes with its file."""
    target = picture.target
    _require_edit(actor, target)
    alt_text = _description(alt_text, is_decorative)
    image = _read(upload) if upload is not None else None
    token = secrets.token_hex(16) if image is not None else picture.token
    renditions = _store(image, token) if image is not None else None
    try:
        with transaction.atomic():
            locked = Picture.objects.select_for_update().get(pk=picture.pk)
            old_renditions, old_token, old_alt = locked.renditions, locked.token, locked.alt_text
            locked.alt_text, locked.is_decorative = alt_text, is_decorative
            if image is not None:
                locked.token, locked.renditions = token, renditions
                locked.width, locked.height = image.width, image.height
            locked.save()
            changes = {"alt_text": [old_alt, alt_text]} if old_alt != alt_text else {}
            audit.record(
                actor=actor,
                action="picture.replace" if image is not None else "picture.describe",
                target=target,
                changes={"picture": [old_token, locked.token], **changes},
            )
            if image is not None:
                _remove_files_after_commit(old_renditions)
    except Exception:
        if renditions:
            _remove_files(renditions)
        raise
    return locked


@transaction.atomic
def picture_remove(*, actor: Any, picture: Picture) -> None:
    target = picture.target
    _require_edit(actor, target)
    audit.record(
        actor=actor,
        action="picture.remove",
        target=target,
        changes={"picture": [picture.token, None], "alt_text": [picture.alt_text, None]},
    )
    picture.delete()
