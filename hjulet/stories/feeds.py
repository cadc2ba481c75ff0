"""The published stories as an Atom feed (/berattelser/flode.atom)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Story

FEED_ITEMS = 50


class StoryFeed(Feed):
    feed_type = Atom1Feed
    title = _("Stories from practice – Hjulet")
    subtitle = _("Everyday heroes tell how initiatives and methods work where they live.")
    link = reverse_lazy("stories:story-list")

    def items(self):
        return selectors.published_stories()[:FEED_ITEMS]

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        return item.text

    def item_link(self, item: Story) -> str:
        return reverse("stories:story-detail", args=[item.pk])

    def item_author_name(self, item: Story) -> str:
        # The name the author chose to show, never the e-mail address.
        return item.author.display_name

    def item_pubdate(self, item: Story):
        return item.published_at

    def item_updateddate(self, item: Story):
        return item.updated_at
