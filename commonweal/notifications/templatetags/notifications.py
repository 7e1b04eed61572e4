"""How often open pages ask for new notifications (htmx polling)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def poll_every() -> str:
    """The htmx trigger for polling; NOTIFICATIONS_POLL_SECONDS (30) sets its pace."""
    return f"every {getattr(settings, 'NOTIFICATIONS_POLL_SECONDS', 30)}s"
