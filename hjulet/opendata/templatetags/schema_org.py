"""``{% schema_org object %}`` writes the object's schema.org JSON-LD (``opendata/jsonld.py``);
``{% schema_org_website %}`` the start page's WebSite with its SearchAction."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from hjulet.opendata import jsonld

register = template.Library()


@register.simple_tag(takes_context=True)
def schema_org(context: dict[str, Any], obj: Any) -> SafeString:
    return jsonld.for_object(obj, context["request"])


@register.simple_tag(takes_context=True)
def schema_org_website(context: dict[str, Any]) -> SafeString:
    return jsonld.for_website(context["request"])
