"""``{% feed_links %}``: a ``<link rel="alternate">`` per Atom feed, for feed readers."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from hjulet.opendata.feeds import FEEDS

register = template.Library()


@register.simple_tag
def feed_links() -> SafeString:
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}">',
        ((feed.title, feed.url) for feed in FEEDS),
    )
