"""What every step shares: the permission check and the limits on titles and texts."""

from typing import Any

import rules
from django.utils.translation import gettext as _

from commonweal.core.errors import NotPermitted, Refused
from commonweal.core.markdown import clean_plain

MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_REFLECTION = 10_000
MAX_FEEDBACK = 5_000
MAX_CHOICES = 8
MAX_QUESTIONS = 20


def _require(actor: Any, perm: str, obj: Any, message: str) -> None:
    """The rule itself, not `has_perm`: a superuser passes `has_perm` for everything, and an
    administrator is no tutor, author or learner unless the rule says so."""
    if not rules.has_perm(perm, actor, obj):
        raise NotPermitted(message)


def _title(value: str, field: str = "title") -> str:
    title = clean_plain(value or "").strip()
    if not title:
        raise Refused(_("Give it a title."), field=field)
    if len(title) > MAX_TITLE:
        raise Refused(_("Keep the title under %(n)s characters.") % {"n": MAX_TITLE}, field=field)
    return title


def _text(value: str, field: str, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise Refused(_("Keep this under %(n)s characters.") % {"n": limit}, field=field)
    return text
