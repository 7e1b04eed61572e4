"""What the public website shows: its texts, public news, policies and events."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import render

from .models import SiteText, SiteTextRevision

HOME_NEWS = 5
HOME_POLICIES = 6
HOME_EVENTS = 5

EDITABLE_TEXTS = {
    "about": (
        _("What we are"),
        _(
            "We are a democratic membership organisation. Our members make policy from the "
            "bottom up, elect their leaders and can recall them, and see every decision and "
            "minute of the bodies that concern them."
        ),
    ),
    "join": (
        _("How to join"),
        _(
            "Anyone who shares our aims can join. Choose the branch nearest to where you live "
            "or work; its officers will welcome you and decide on your application."
        ),
    ),
}


@dataclass
class PublicText:
    slug: str
    title: str
    body: str
    body_html: str


def site_text(slug: str) -> PublicText:
    """The saved text of a page, or the built-in one until an officer has written it."""
    saved = SiteText.objects.filter(slug=slug).first()
    if saved is not None:
        return PublicText(slug=slug, title=saved.title, body=saved.body, body_html=saved.body_html)
    title, body = EDITABLE_TEXTS[slug]
    return PublicText(slug=slug, title=str(title), body=str(body), body_html=render(str(body)))


def site_text_history(slug: str) -> QuerySet[SiteTextRevision]:
    return SiteTextRevision.objects.filter(site_text__slug=slug).select_related("edited_by")


def public_news() -> QuerySet[Any]:
    from commonweal.news.selectors import public_news as news

    return news()


def published_policies() -> QuerySet[Any]:
    from commonweal.policy.selectors import published_policies as policies

    return policies()


def upcoming_public_events() -> list[Any]:
    from commonweal.meetings.selectors import public_upcoming

    return list(public_upcoming()[:HOME_EVENTS])


def home_news() -> list[Any]:
    return list(public_news()[:HOME_NEWS])


def home_policies() -> list[Any]:
    return list(published_policies().order_by("-published_at")[:HOME_POLICIES])


RECORD_CHECKPOINTS = 30


def record_checkpoints() -> list[dict[str, Any]]:
    """The latest signed checkpoints of the record, each as the text a member keeps."""
    from commonweal.record.selectors import checkpoint_statement, checkpoints

    return [
        {
            "checkpoint": checkpoint,
            "text": f"{checkpoint_statement(checkpoint)}signature: {checkpoint.signature}\n",
        }
        for checkpoint in checkpoints()[:RECORD_CHECKPOINTS]
    ]


def record_public_key() -> str:
    from commonweal.record.keys import public_key

    return public_key()
