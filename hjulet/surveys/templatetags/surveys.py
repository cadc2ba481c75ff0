from django import template
from django.utils.translation import get_language

from hjulet.lib.grammar import genitive as _genitive

register = template.Library()


@register.filter
def genitive(name: str) -> str:
    """The name in the genitive of the language being rendered ("Fritidsbanken Umeås")."""
    return _genitive(str(name or ""), get_language() or "sv")
