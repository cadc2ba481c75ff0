"""What a shared link shows (Open Graph and Twitter cards): addresses there must be whole."""

from django import template
from django.http import HttpRequest

register = template.Library()


@register.filter
def absolute_url(path: str, request: HttpRequest | None) -> str:
    """``path`` (``/initiativ/x/``) as a whole address on the site the page was asked from."""
    if request is None or not path:
        return path or ""
    return request.build_absolute_uri(path)
