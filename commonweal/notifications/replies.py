"""Replying to a notification email: signed reply addresses and the handlers they reach.

A reply address is `reply+<member>-<event>-<signature>@<domain>`: short enough
for an address, only lowercase letters and digits (mail servers may fold case),
and signed over the member, the event and the event's thread, so neither can be
changed. An address works for NOTIFICATIONS_REPLY_DAYS (14) days after the event it
answers (only emails sent straight away carry one, so within minutes of it); a later
reply is refused with an answer saying so. Apps register a handler for the threads they own:

    replies.register("discussion", post_reply)   # threads "discussion:<id>"

A handler is called as `handler(*, member, thread, text)` and may raise
`Refused`; it checks the member may still post there.
"""

import hmac
import re
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Refused

SALT = "notifications.reply"
REPLY_DAYS = 14
_handlers: dict[str, Callable[..., Any]] = {}
_ADDRESS = re.compile(r"^reply\+(\d+)-(\d+)-([0-9a-f]{24})@(.+)$")
_QUOTE_HEADER = re.compile(r"^On .+wrote:\s*$")


def register(prefix: str, handler: Callable[..., Any]) -> None:
    _handlers[prefix] = handler


def unregister(prefix: str) -> None:
    _handlers.pop(prefix, None)


def handler_for(thread: str) -> Callable[..., Any] | None:
    if not thread:
        return None
    return _handlers.get(thread.split(":", 1)[0])


def reply_domain() -> str:
    configured = getattr(settings, "NOTIFICATIONS_REPLY_DOMAIN", "")
    return configured or settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >")


def reply_days() -> int:
    return getattr(settings, "NOTIFICATIONS_REPLY_DAYS", REPLY_DAYS)


def _signature(member_id: int, event_id: int, thread: str) -> str:
    return salted_hmac(SALT, f"{member_id}|{event_id}|{thread}", algorithm="sha256").hexdigest()[
        :24
    ]


def reply_address(*, member_id: int, event: Any) -> str | None:
    """The address a reply to this email goes to, if the event's thread takes replies."""
    if handler_for(event.thread) is None:
        return None
    signature = _signature(member_id, event.pk, event.thread)
    return f"reply+{member_id}-{event.pk}-{signature}@{reply_domain()}"


def token_in(address: str) -> tuple[int, int, str] | None:
    match = _ADDRESS.match(address.strip().lower())
    if match is None or match.group(4) != reply_domain().lower():
        return None
    return int(match.group(1)), int(match.group(2)), match.group(3)


def verify(token: tuple[int, int, str]) -> tuple[Any, Any]:
    """The member and event a reply address names; refused if anything was altered."""
    from commonweal.members.models import Member

    from .models import Event

    member_id, event_id, signature = token
    event = Event.objects.filter(pk=event_id).first()
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if (
        event is None
        or member is None
        or not hmac.compare_digest(signature, _signature(member_id, event_id, event.thread))
    ):
        raise Refused(_("The reply address is not valid: it was not issued by us or was altered."))
    days = reply_days()
    if clock.now() > event.created_at + timedelta(days=days):
        raise Refused(
            _(
                "This reply address has expired: replies by email are taken for %(days)d days "
                "after the message. Reply on the site instead."
            )
            % {"days": days}
        )
    if not member.is_member:
        raise Refused(_("Only members in good standing can reply by email."))
    return member, event


def reply_text(message: EmailMessage) -> str:
    """The new text of a reply: its plain-text part without the quoted message below it."""
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    lines = []
    for line in part.get_content().splitlines():
        if line.startswith(">") or _QUOTE_HEADER.match(line) or line.rstrip() == "-- ":
            break
        lines.append(line)
    return "\n".join(lines).strip()
