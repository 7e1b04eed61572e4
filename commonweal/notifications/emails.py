"""Building notification emails: plain text first, HTML beside it, one-click unsubscribe."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.core.markdown import one_line

from .categories import BY_KEY
from .models import EmailDelivery, Notification
from .replies import reply_address
from .services import unsubscribe_token


def absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def _message(
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    to: str,
    categories: list[str],
    member_id: int,
    reply_to: str | None = None,
) -> EmailMultiAlternatives:
    unsubscribe_url = absolute(
        reverse(
            "notifications:unsubscribe",
            args=[unsubscribe_token(member_id=member_id, categories=categories)],
        )
    )
    context = {
        **context,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "categories": [BY_KEY[c].label for c in categories],
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=render_to_string(f"notifications/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string(f"notifications/email/{template}.html", context), "text/html"
    )
    return message


def event_email(notification: Notification) -> EmailMultiAlternatives:
    """The email sent straight away about one notification."""
    event = notification.event
    reply_to = reply_address(member_id=notification.recipient_id, event=event)
    subject = event.display_title
    if event.urgent:
        subject = _("Urgent: %(title)s") % {"title": event.display_title}
    return _message(
        subject=subject,
        template="event",
        context={
            "event": event,
            "member": notification.recipient,
            "link": absolute(event.link),
            "can_reply": reply_to is not None,
        },
        to=notification.recipient.email,
        categories=[event.category],
        member_id=notification.recipient_id,
        reply_to=reply_to,
    )


def digest_email(delivery: EmailDelivery) -> EmailMultiAlternatives:
    items = list(delivery.items.all())
    period = delivery.digest_key.split(":", 1)[0]
    subject = (
        _("Your daily digest: %(n)s new")
        if period == "daily"
        else _("Your weekly digest: %(n)s new")
    ) % {"n": len(items)}
    return _message(
        subject=subject,
        template="digest",
        context={
            "member": delivery.recipient,
            "items": [(n.event, absolute(n.event.link)) for n in items],
            "period": period,
        },
        to=delivery.recipient.email,
        categories=sorted({n.event.category for n in items}),
        member_id=delivery.recipient_id,
    )
