from django.conf import settings


def site(request):
    """The site's name and address; the menu and its counts come from `members` and
    `notifications` (core imports no app above it)."""
    return {"SITE_NAME": "Commonweal", "SITE_URL": settings.SITE_URL}
