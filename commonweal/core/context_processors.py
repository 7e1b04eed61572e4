from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _main_nav() -> list[dict[str, str]]:
    """Each app offers its entry with a `nav = (order, url_name, label)` on its AppConfig."""
    items = []
    for config in apps.get_app_configs():
        entry = getattr(config, "nav", None)
        if entry is None:
            continue
        order, url_name, label = entry
        try:
            items.append((order, {"url": reverse(url_name), "label": str(label)}))
        except NoReverseMatch:
            continue
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def site(request):
    context = {"SITE_NAME": "Commonweal", "SITE_URL": settings.SITE_URL}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from commonweal.notifications.selectors import unread_count

        context["main_nav"] = _main_nav()
        context["unread_notifications"] = unread_count(user)
    return context
