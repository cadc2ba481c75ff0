"""What several parts of the arenas' services share."""

from django.utils.text import slugify


def _unique_slug(model: type, text: str, fallback: str) -> str:
    base = slugify(text)[:200] or fallback
    slug, counter = base, 2
    while slug in {"ny"} or model.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug
