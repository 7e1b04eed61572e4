"""Publishing news, posting and taking down notices, and private calendar addresses."""

import secrets
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.core.public_pages import public_content_changed
from commonweal.notifications.services import notify
from commonweal.organisation.models import Body, Unit
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current
from commonweal.search.services import index as search_index

from .models import CalendarFeed, NewsItem, Notice
from .selectors import calendar_secret_hash

MAX_BODY = 50_000
MAX_NOTICE = 5_000


def news_publish(
    *,
    author: Any,
    title: str,
    body: str,
    unit: Unit,
    body_scope: Body | None = None,
    is_public: bool = False,
    image_url: str = "",
    image_alt: str = "",
) -> NewsItem:
    """Publish news to a unit's subtree (or one body's members) and tell them."""
    title = clean_plain(title)[:200]
    body = (body or "").strip()
    image_alt = clean_plain(image_alt)[:300]
    if body_scope is not None:
        unit = body_scope.unit
    item = NewsItem(
        title=title,
        body=body,
        unit=unit,
        body_scope=body_scope,
        is_public=is_public,
        image_url=(image_url or "").strip(),
        image_alt=image_alt,
        author=author,
    )
    if not author.has_perm("news.add_newsitem", item):
        raise NotPermitted(
            _("Only officers of %(scope)s or of a unit above it may publish news to it.")
            % {"scope": body_scope or unit}
        )
    if not title:
        raise Refused(_("Give the news a title."), field="title")
    if not body:
        raise Refused(_("Write the news itself."), field="body")
    if len(body) > MAX_BODY:
        raise Refused(
            _("The text is too long (at most %(n)d characters).") % {"n": MAX_BODY}, field="body"
        )
    if item.image_url and (not item.image_url.startswith("/") or item.image_url.startswith("//")):
        raise Refused(
            _("Link an image from the library: its address on this site, starting with /."),
            field="image_url",
        )
    if item.image_url and not image_alt:
        raise Refused(_("Describe the image for people who cannot see it."), field="image_alt")
    rulebook = current()
    with transaction.atomic():
        item.published_at = clock.now()
        item.rulebook_version = rulebook.version
        item.save()
        search_index("news.newsitem", item.pk)
        record_append(
            kind="news.published",
            subject=item,
            actor=author,
            payload={
                "unit": unit.pk,
                "body": body_scope.pk if body_scope else None,
                "public": is_public,
            },
            rulebook_version=rulebook.version,
        )
        notify(
            kind="news.published",
            title=title,
            link=item.get_absolute_url(),
            units=[] if body_scope else [unit],
            bodies=[body_scope] if body_scope else [],
            actor=author,
            thread=f"news:{item.pk}",
        )
        if is_public:
            transaction.on_commit(public_content_changed)
    return item


def notice_post(*, author: Any, unit: Unit, title: str, text: str, expires_on: date) -> Notice:
    """A member puts a notice on the board of their unit or a unit above it."""
    if not author.has_perm("news.post_notice", unit):
        raise NotPermitted(
            _("Only members in %(unit)s may post on its board.") % {"unit": unit.name}
        )
    title = clean_plain(title)[:200]
    text = (text or "").strip()
    if not title:
        raise Refused(_("Give the notice a title."), field="title")
    if not text:
        raise Refused(_("Write what the notice says."), field="text")
    if len(text) > MAX_NOTICE:
        raise Refused(
            _("The text is too long (at most %(n)d characters).") % {"n": MAX_NOTICE},
            field="text",
        )
    if expires_on < clock.now().date():
        raise Refused(_("Choose a date that is not in the past."), field="expires_on")
    with transaction.atomic():
        notice = Notice.objects.create(
            unit=unit,
            title=title,
            text=text,
            expires_on=expires_on,
            author=author,
            posted_at=clock.now(),
        )
        record_append(
            kind="news.notice_posted", subject=notice, actor=author, payload={"unit": unit.pk}
        )
    return notice


def notice_take_down(*, notice: Notice, officer: Any, reason: str) -> Notice:
    """An officer removes a notice; the reason is kept and shown to its author."""
    if not officer.has_perm("news.take_down_notice", notice):
        raise NotPermitted(
            _("Only officers of %(unit)s may take notices down from its board.")
            % {"unit": notice.unit.name}
        )
    reason = clean_plain(reason)[:500]
    if not reason:
        raise Refused(_("Tell the author why the notice is taken down."), field="reason")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if notice.taken_down_at is not None:
            raise Conflict(_("This notice has already been taken down."))
        notice.taken_down_at = clock.now()
        notice.taken_down_by = officer
        notice.takedown_reason = reason
        notice.save(update_fields=["taken_down_at", "taken_down_by", "takedown_reason"])
        record_append(
            kind="news.notice_taken_down",
            subject=notice,
            actor=officer,
            payload={"unit": notice.unit_id},
        )
        if notice.author_id:
            notify(
                kind="news.notice_taken_down",
                title=_("Your notice “%(title)s” was taken down") % {"title": notice.title},
                text=reason,
                link=reverse("news:board", args=[notice.unit_id]),
                members=[notice.author_id],
                actor=officer,
            )
    return notice


def calendar_feed_renew(*, member: Any) -> tuple[CalendarFeed, str]:
    """Make a new private calendar address; the previous one stops working at once.

    Returns the feed and its secret, to be shown once: only the secret's hash is kept.
    """
    if not getattr(member, "is_member", False):
        raise NotPermitted(_("Only members have a calendar feed."))
    with transaction.atomic():
        CalendarFeed.objects.filter(member=member).delete()
        secret = secrets.token_urlsafe(32)
        feed = CalendarFeed.objects.create(
            member=member, secret_hash=calendar_secret_hash(secret), created_at=clock.now()
        )
    return feed, secret


def member_erase(member: Any) -> None:
    """News they published for the organisation stays (shown as by a former member); their
    own notices on the boards, which decide nothing and often say how to reach them, go
    with the feed address."""
    Notice.objects.filter(author=member).delete()
    CalendarFeed.objects.filter(member=member).delete()
