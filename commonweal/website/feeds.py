"""Atom feeds of the organisation's public news, published policies and record checkpoints."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from . import selectors

FEED_ITEMS = 30


class PublicNewsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Commonweal news")
    subtitle = _("News the organisation publishes.")
    link = reverse_lazy("news:public_list")

    def items(self):
        return selectors.public_news()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body_html

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.unit.name


class PoliciesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Commonweal policies")
    subtitle = _("Policies the members have approved and published.")

    def link(self):
        return reverse("website:home")

    def items(self):
        return selectors.published_policies().order_by("-published_at")[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


class CheckpointsFeed(Feed):
    """Each item holds a checkpoint's signed text: a feed reader keeps them for the member."""

    feed_type = Atom1Feed
    title = _("Commonweal record checkpoints")
    link = reverse_lazy("website:checkpoints")

    def subtitle(self):
        return _("Signed checkpoints of the record. Public key (Ed25519): %(key)s") % {
            "key": selectors.record_public_key()
        }

    def items(self):
        return selectors.record_checkpoints()

    def item_title(self, item):
        return _("%(n)s entries") % {"n": item["checkpoint"].entries}

    def item_description(self, item):
        return f"<pre>{escape(item['text'])}</pre>"

    def item_link(self, item):
        return f"{reverse('website:checkpoints')}#checkpoint-{item['checkpoint'].pk}"

    def item_pubdate(self, item):
        return item["checkpoint"].made_at

    def item_updateddate(self, item):
        return item["checkpoint"].made_at
