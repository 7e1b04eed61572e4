"""Kinds of event grouped into the handful of categories members choose delivery for.

An event's kind is `<prefix>.<what>` (`decision.recorded`, `vote.opened`); the
prefix says which category it falls in. Urgent alerts are their own category
whatever their kind, so a member can refuse them only by unsubscribing from it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

IMMEDIATE = "immediate"
DAILY = "daily"
WEEKLY = "weekly"
NEVER = "never"
DELIVERY_CHOICES = [
    (IMMEDIATE, _("email me straight away")),
    (DAILY, _("in a daily digest")),
    (WEEKLY, _("in a weekly digest")),
    (NEVER, _("no email (in the app only)")),
]
DIGESTS = (DAILY, WEEKLY)


@dataclass(frozen=True)
class Category:
    key: str
    label: str | Promise
    prefixes: tuple[str, ...]
    default: str
    choices: tuple[str, ...] = (IMMEDIATE, DAILY, WEEKLY, NEVER)


ALERTS = "alerts"
OTHER = "other"
CATEGORIES = [
    Category(ALERTS, _("Urgent alerts from officers"), ("alert",), IMMEDIATE, (IMMEDIATE, NEVER)),
    Category("votes", _("Votes and elections"), ("vote", "ballot", "election"), IMMEDIATE),
    Category("meetings", _("Meetings and e-conferences"), ("meeting", "econference"), IMMEDIATE),
    Category(
        "membership",
        _("Membership, offices and referrals"),
        ("membership", "member", "mandate", "body", "referral", "unit"),
        IMMEDIATE,
    ),
    Category(
        "decisions",
        _("Decisions and minutes"),
        ("decision", "minutes", "action", "constitution"),
        DAILY,
    ),
    Category("policy", _("Policy proposals and drafts"), ("policy", "proposal", "draft"), DAILY),
    Category("discussion", _("Discussions and replies"), ("discussion", "debate"), DAILY),
    Category("news", _("News, notices and documents"), ("news", "bulletin", "library"), WEEKLY),
    Category(OTHER, _("Everything else"), (), DAILY),
]
BY_KEY = {c.key: c for c in CATEGORIES}
_BY_PREFIX = {prefix: c for c in CATEGORIES for prefix in c.prefixes}


def category_of(kind: str, *, urgent: bool = False) -> Category:
    if urgent:
        return BY_KEY[ALERTS]
    return _BY_PREFIX.get(kind.split(".", 1)[0], BY_KEY[OTHER])
