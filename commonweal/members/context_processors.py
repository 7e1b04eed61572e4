"""The main menu, with how many of the member's needs fall under each link."""

from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .needs import remembered_counts


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


def home_links(user: Any) -> list[dict[str, str]]:
    """The places the menu has no room for, on the member's home page: each app offers
    `home_link = (order, url_name, label, permission or None)` on its AppConfig, and the
    member sees those whose permission they hold (members sits below them and imports none)."""
    links = []
    for config in apps.get_app_configs():
        entry = getattr(config, "home_link", None)
        if entry is None:
            continue
        order, url_name, label, permission = entry
        if permission is not None and not user.has_perm(permission):
            continue
        try:
            links.append((order, {"url": reverse(url_name), "label": str(label)}))
        except NoReverseMatch:
            continue
    return [link for _, link in sorted(links, key=lambda pair: pair[0])]


def menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # What the member's home last counted (a minute at most): a page never asks every
    # app itself; when nothing is remembered, the menu fetches the counts (htmx).
    counts = remembered_counts(user)
    return {
        "main_nav": _main_nav(counts or {}),
        "home_count": (counts or {}).get("members:home", 0),
        "need_counts_pending": counts is None and user.is_member,
    }
