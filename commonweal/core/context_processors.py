from typing import Any

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _main_nav(counts: dict[str, int]) -> list[dict[str, Any]]:
    """Each app offers its entry with a `nav = (order, url_name, label)` on its AppConfig;
    `count` is how many of the member's needs fall under it (members.needs)."""
    items = []
    for config in apps.get_app_configs():
        entry = getattr(config, "nav", None)
        if entry is None:
            continue
        order, url_name, label = entry
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            (
                order,
                {
                    "url": url,
                    "label": str(label),
                    "key": url_name.replace(":", "-"),
                    "count": counts.get(url_name, 0),
                },
            )
        )
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def site(request):
    context = {"SITE_NAME": "Commonweal", "SITE_URL": settings.SITE_URL}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from commonweal.members.needs import remembered_counts
        from commonweal.notifications.selectors import unread_count

        # What the member's home last counted (a minute at most): a page never asks every
        # app itself; when nothing is remembered, the menu fetches the counts (htmx).
        counts = remembered_counts(user)
        context["main_nav"] = _main_nav(counts or {})
        context["home_count"] = (counts or {}).get("members:home", 0)
        context["need_counts_pending"] = counts is None and user.is_member
        context["unread_notifications"] = unread_count(user)
    return context
