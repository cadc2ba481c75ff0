from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str) -> Any:
    return mapping.get(key)


@register.filter
def selected(filters: Any, name: str) -> list[str]:
    return getattr(filters, name, [])
