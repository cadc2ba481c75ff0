"""``{% related_summaries terms %}``: the science shop's published knowledge summaries that
share a societal challenge with a knowledge-bank entry, for the knowledge bank's pages."""

from collections.abc import Iterable

from django import template

from hjulet.core.models import Term

from .. import selectors

register = template.Library()


@register.inclusion_tag("scienceshop/_related_summaries.html")
def related_summaries(terms: Iterable[Term], limit: int = 3) -> dict:
    codes = [term.code for term in terms]
    summaries = list(selectors.summaries_for_challenges(codes)[:limit]) if codes else []
    return {"summaries": summaries}
