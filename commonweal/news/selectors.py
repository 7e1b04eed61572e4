"""Reading news, boards and calendar feeds."""

import hashlib
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse

from commonweal.core import clock
from commonweal.organisation.models import BodyMembership, Unit
from commonweal.organisation.selectors import officer_unit_paths

from . import calendar
from .models import CalendarFeed, NewsItem, Notice


def _line_paths(unit: Unit | None) -> list[str]:
    """Paths of a unit and every unit above it, computed from its own path without a query."""
    if unit is None:
        return []
    return [unit.path[: i * Unit.steplen] for i in range(1, len(unit.path) // Unit.steplen + 1)]


def _with_relations(queryset: QuerySet[NewsItem]) -> QuerySet[NewsItem]:
    return queryset.select_related("unit", "body_scope", "author")


def news_for_member(member: Any) -> QuerySet[NewsItem]:
    """The news of the member's unit, the units above it and the bodies they belong to.

    Applicants and external participants are not members yet: they see the public news.
    """
    if not getattr(member, "is_member", False):
        return public_news()
    body_ids = BodyMembership.objects.filter(member=member, until=None).values("body_id")
    in_line = Q(body_scope=None, unit__path__in=_line_paths(getattr(member, "unit", None)))
    return _with_relations(NewsItem.objects.filter(in_line | Q(body_scope__in=body_ids)))


def visible_news(member: Any) -> QuerySet[NewsItem]:
    """Every item the member may open (`news.view_newsitem`): their news, the public news
    and, while a member in good standing, what they published themselves."""
    if not getattr(member, "is_member", False):
        return NewsItem.objects.filter(is_public=True)
    return NewsItem.objects.filter(
        Q(pk__in=news_for_member(member).values("pk")) | Q(is_public=True) | Q(author=member)
    )


def public_news() -> QuerySet[NewsItem]:
    return _with_relations(NewsItem.objects.filter(is_public=True))


def news_item(pk: int) -> QuerySet[NewsItem]:
    return _with_relations(NewsItem.objects.filter(pk=pk))


def boards_for_member(member: Any) -> QuerySet[Unit]:
    """The unit boards on a member's line up the tree, and those of units they are officers of."""
    paths = set(_line_paths(getattr(member, "unit", None))) | set(officer_unit_paths(member))
    return Unit.objects.filter(path__in=paths).order_by("path")


def board_notices(unit: Unit, viewer: Any) -> QuerySet[Notice]:
    """Current notices; the viewer also sees their own notices that were taken down, and why."""
    shown = Q(taken_down_at=None, expires_on__gte=clock.now().date())
    if getattr(viewer, "pk", None):
        shown |= Q(author=viewer, taken_down_at__isnull=False)
    return unit.notices.filter(shown).select_related("author", "taken_down_by")


def calendar_feed_of(member: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(member=member).first()


def calendar_secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def member_for_calendar_secret(secret: str) -> Any:
    feed = (
        CalendarFeed.objects.select_related("member__unit")
        .filter(secret_hash=calendar_secret_hash(secret))
        .first()
    )
    if feed is None or not feed.member.is_member:
        return None
    return feed.member


def calendar_entries(member: Any) -> list[dict[str, Any]]:
    """The member's upcoming meetings and deadlines, as calendar events, and what the apps
    above register (`news.calendar`: a cohort's sessions)."""
    from commonweal.meetings.selectors import meetings_for_member
    from commonweal.policy.selectors import deadlines_for_member

    entries = [
        {
            "uid": f"meeting-{meeting.pk}",
            "summary": meeting.title,
            "description": meeting.body.name,
            "start": meeting.opens_at,
            "end": meeting.closes_at,
            "url": reverse("meetings:detail", args=[meeting.pk]),
        }
        for meeting in meetings_for_member(member).select_related("body")
    ]
    entries += [
        {
            "uid": "deadline-"
            + hashlib.sha256(
                f"{deadline['url']}|{deadline['due'].isoformat()}".encode()
            ).hexdigest()[:24],
            "summary": deadline["title"],
            "description": "",
            "start": deadline["due"],
            "end": None,
            "url": deadline["url"],
        }
        for deadline in deadlines_for_member(member)
    ]
    return entries + calendar.entries(member)


def member_export(member: Any) -> dict[str, Any]:
    return {
        "news_published": [
            {"title": n.title, "unit": n.unit.name, "published_at": n.published_at.isoformat()}
            for n in member.news_items.select_related("unit")
        ],
        "notices": [
            {
                "board": n.unit.name,
                "title": n.title,
                "text": n.text,
                "posted_at": n.posted_at.isoformat(),
                "expires_on": n.expires_on.isoformat(),
                "takedown_reason": n.takedown_reason,
            }
            for n in member.notices.select_related("unit")
        ],
        "calendar_feed": CalendarFeed.objects.filter(member=member).exists(),
    }


def publishable_scopes(member: Any) -> tuple[list[Unit], list[Any]]:
    """Units and bodies an officer can pick when publishing news.

    Their own units and the units one level below them (a national officer reaches
    the regions; a unit further down is reached through its own officers), and the
    bodies they are an officer of.
    """
    from commonweal.organisation.models import Body
    from commonweal.organisation.selectors import officer_body_ids

    if getattr(member, "is_superuser", False):
        paths = list(Unit.objects.filter(depth=1).values_list("path", flat=True))
    else:
        paths = officer_unit_paths(member)
    units = Q(pk__in=[])
    for path in paths:
        units |= Q(path=path) | Q(path__startswith=path, depth=len(path) // Unit.steplen + 1)
    unit_list = list(Unit.objects.filter(units).order_by("path")) if paths else []
    bodies = list(
        Body.objects.filter(pk__in=officer_body_ids(member))
        .exclude(kind__in=[Body.Kind.ASSEMBLY, Body.Kind.LEADERSHIP])
        .order_by("name")
    )
    return unit_list, bodies
