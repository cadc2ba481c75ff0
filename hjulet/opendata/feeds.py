"""Atom feeds of what is new. ``FEEDS`` lists them all: the open data page and the pages'
``<link rel="alternate">`` read it. To add a feed, write a ``Feed`` subclass in its
own app, route it in that app's urls.py and append a ``FeedLink`` here (as the stories feed
is)."""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hjulet.knowledge.models import Initiative
from hjulet.support.models import FundingCall

ITEMS = 50


@dataclass(frozen=True)
class FeedLink:
    title: str | Promise
    url: str | Promise


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class _AtomFeed(Feed):
    """An Atom feed of objects with a title, whose entries are updated with the objects."""

    feed_type = Atom1Feed

    def item_title(self, item) -> str:
        return item.title

    def item_updateddate(self, item) -> datetime.datetime:
        return item.updated_at


class NewInitiativesFeed(_AtomFeed):
    title = _("New initiatives on Hjulet")
    subtitle = _("Social innovation initiatives most recently added to the knowledge bank.")
    link = reverse_lazy("knowledge:initiative-list")
    feed_url = reverse_lazy("opendata:feed-initiatives")

    def items(self) -> QuerySet[Initiative]:
        return Initiative.objects.select_related("municipality").order_by("-created_at", "-pk")[
            :ITEMS
        ]

    def item_description(self, item: Initiative) -> str:
        return item.summary

    def item_link(self, item: Initiative) -> str:
        return reverse("knowledge:initiative-detail", args=[item.slug])

    def item_pubdate(self, item: Initiative) -> datetime.datetime:
        return item.created_at

    def item_categories(self, item: Initiative) -> list[str]:
        return [item.place_name] if item.place_name else []


class OpenCallsFeed(_AtomFeed):
    title = _("Open funding calls on Hjulet")
    subtitle = _("Funding calls open for applications now, the nearest deadline first.")
    link = reverse_lazy("support:call-list")
    feed_url = reverse_lazy("opendata:feed-calls")

    def items(self) -> QuerySet[FundingCall]:
        today = timezone.localdate()
        return (
            FundingCall.objects.select_related("funder")
            .filter(opens_on__lte=today, deadline__gte=today)
            .order_by("deadline", "title")[:ITEMS]
        )

    def item_description(self, item: FundingCall) -> str:
        return _("%(funder)s. Deadline %(deadline)s. %(purpose)s") % {
            "funder": item.funder.name,
            "deadline": item.deadline.isoformat(),
            "purpose": item.purpose,
        }

    def item_link(self, item: FundingCall) -> str:
        return reverse("support:call-detail", args=[item.slug])

    def item_author_name(self, item: FundingCall) -> str:
        return item.funder.name

    def item_pubdate(self, item: FundingCall) -> datetime.datetime:
        return max(item.created_at, _midnight(item.opens_on))


#: Every Atom feed on the site, in the order pages list them.
FEEDS: list[FeedLink] = [
    FeedLink(_("New initiatives"), reverse_lazy("opendata:feed-initiatives")),
    FeedLink(_("Open funding calls"), reverse_lazy("opendata:feed-calls")),
    FeedLink(_("Stories from practice"), reverse_lazy("stories:story-feed")),
]
