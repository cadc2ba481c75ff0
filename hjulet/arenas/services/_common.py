"""What several parts of the arenas' services share."""

from hjulet.core.slugs import unique_slug


def _unique_slug(model: type, text: str, fallback: str) -> str:
    return unique_slug(model, text, fallback=fallback, reserved={"ny"})
