"""Pictures for the demo content: drawn with Pillow (``hjulet.lib.illustrations``) and added
through the pictures service, each with a Swedish description of what it shows.

Core knows the kinds that carry pictures only through their registry, so this works on every
registered kind: an object gets the motif its title speaks of (a sports library gets shelves
of balls and skis), and objects whose titles speak of none keep no picture, as real content
would. Objects that already have pictures are left alone, so loading again adds nothing."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from hjulet.lib import illustrations

from . import pictures
from .models import Picture

#: Words in a title (lower case) and the motif they call for; the first that matches wins.
MOTIF_WORDS = [
    ("fritidsbank", "sports"),
    ("fotboll", "sports"),
    ("fritid", "sports"),
    ("lanthandel", "shop"),
    ("språkcafé", "talk"),
    ("hälsoguid", "talk"),
    ("samtal", "talk"),
    ("forskarverkstad", "books"),
    ("innovationsverkstad", "ideas"),
    ("hack", "ideas"),
    ("överenskommelse", "agreement"),
    ("iop", "agreement"),
    ("rörelse", "path"),
    ("fixarverkstad", "tools"),
    ("fixarverkstäder", "tools"),
    ("lagningsverkstad", "tools"),
    ("digital", "screens"),
    ("teknikfika", "screens"),
    ("innovationslabb", "houses"),
    ("bostadsområde", "houses"),
]


def motif_for(title: str) -> str | None:
    lowered = title.lower()
    return next((motif for word, motif in MOTIF_WORDS if word in lowered), None)


def _has_pictures(target: Any) -> bool:
    return Picture.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).exists()


def load(users: dict[str, Any]) -> int:
    """Add a drawn picture to each demo object whose title has a motif; return how many."""
    coordinator = users["koordinator@exempel.se"]
    drawn: dict[str, bytes] = {}
    added = 0
    for kind in pictures.registered_kinds():
        for target in kind.model._default_manager.order_by("pk"):
            motif = motif_for(str(target))
            if motif is None or _has_pictures(target):
                continue
            actor = getattr(target, "author", None) or coordinator
            if not kind.can_edit(actor, target):
                continue
            if motif not in drawn:
                drawn[motif] = illustrations.draw(motif)
            pictures.picture_add(
                actor=actor,
                target=target,
                upload=SimpleUploadedFile(f"{motif}.png", drawn[motif]),
                alt_text=illustrations.MOTIFS[motif].description,
            )
            added += 1
    return added
