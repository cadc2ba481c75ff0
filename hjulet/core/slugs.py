"""One way to choose the address name (slug) of a new row, for every app."""

from collections.abc import Collection

from django.db import models
from django.utils.text import slugify


def slug_base(text: str, fallback: str) -> str:
    """``text`` as an address name of 200 characters at most; ``fallback`` when nothing is
    left of it (a title of only punctuation)."""
    return slugify(text)[:200] or fallback


def unique_slug(
    model: type[models.Model],
    text: str,
    *,
    fallback: str | None = None,
    reserved: Collection[str] = (),
    exclude_pk: int | None = None,
) -> str:
    """The first free "base", "base-2", "base-3" … for ``text`` (``fallback``, by default the
    model's name, when nothing is left of it): not one of the app's own address words
    (``reserved``, such as "ny") and not used by another row of ``model`` (``exclude_pk``:
    the row itself, when it is renamed)."""
    base = slug_base(text, fallback or model._meta.model_name)
    others = model.objects.all() if exclude_pk is None else model.objects.exclude(pk=exclude_pk)
    slug, counter = base, 2
    while slug in reserved or others.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
