"""The organisers' side of an action once people answer it: the numbers (over time, by
unit), who may be seen by name, attendance at the event, and messages to signers.

Everyone the action's organisers may see is counted; a signer is shown by name only if
they let this action's campaign (or, for the officers of their own branch, the local
branch) contact them. A message reaches only those who gave its purpose and have not
withdrawn it, checked again when the email is sent.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.core.ratelimit import check_rate
from commonweal.record.services import record_append

from . import selectors
from .models import ActionPage, Consent, Signup

# What one organiser can cost the signers: a few messages a day per action.
MESSAGES_PER_DAY = "5/d"
SUBJECT_MAX = 150
MESSAGE_MAX = 5000
# One check-in batch: an event's worth of marks made while offline.
BATCH_MAX = 2000
# Purposes an organiser may write for: the campaign, or the local branch's invitation.
WRITABLE = (Consent.Purpose.ACTION, Consent.Purpose.CAMPAIGN, Consent.Purpose.BRANCH)


def _may_see(actor: Any, action: ActionPage) -> None:
    if not actor.has_perm("mobilisation.view_signups", action):
        raise NotPermitted(_("Only the action's organisers may see who answered it."))


# ----------------------------------------------------------------------------- reads


def signups_per_day(action: ActionPage) -> list[tuple[date, int]]:
    """Confirmed sign-ups per day, every day from the first to the last (zeros included)."""
    rows = dict(
        selectors.confirmed_signups(action)
        .annotate(day=TruncDate("confirmed_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    if not rows:
        return []
    first, last = min(rows), max(rows)
    return [
        (first + timedelta(days=i), rows.get(first + timedelta(days=i), 0))
        for i in range((last - first).days + 1)
    ]


def cumulative(per_day: Iterable[tuple[date, int]]) -> list[tuple[date, int]]:
    total, out = 0, []
    for day, n in per_day:
        total += n
        out.append((day, total))
    return out


def _consent(purpose: str) -> Exists:
    return Exists(Consent.objects.filter(signup=OuterRef("pk"), purpose=purpose, withdrawn_at=None))


def visible_signups(actor: Any, action: ActionPage) -> QuerySet[Signup]:
    """Confirmed sign-ups with `shown`: whether the actor may see this signer's details
    (they consented to the campaign, or to their local branch and the actor is an officer
    of that branch or above)."""
    _may_see(actor, action)
    return (
        selectors.confirmed_signups(action)
        .filter(erased_at=None)
        .annotate(
            campaign_ok=_consent(Consent.Purpose.CAMPAIGN),
            branch_ok=_consent(Consent.Purpose.BRANCH),
        )
        .select_related("unit", "shift")
        .order_by("confirmed_at", "pk")
    )


def shown(actor: Any, signup: Signup) -> bool:
    from commonweal.organisation.rules import is_officer_of_unit

    if getattr(signup, "campaign_ok", False):
        return True
    return bool(
        getattr(signup, "branch_ok", False)
        and signup.unit is not None
        and is_officer_of_unit(actor, signup.unit)
    )


def csv_rows(actor: Any, action: ActionPage) -> Iterable[list[Any]]:
    """One row per confirmed sign-up: details only where `shown`, else the numbers."""
    for signup in visible_signups(actor, action).iterator(chunk_size=500):
        see = shown(actor, signup)
        yield [
            signup.confirmed_at.isoformat(),
            signup.unit.name if signup.unit else "",
            signup.shift.role if signup.shift else "",
            signup.name if see else "",
            signup.email if see else "",
            signup.postcode if see else "",
            signup.place if see else "",
            signup.phone if see else "",
            signup.attended_at.isoformat() if signup.attended_at else "",
        ]


CSV_HEADER = [
    _("confirmed at"),
    _("unit"),
    _("role"),
    _("name"),
    _("email"),
    _("postcode"),
    _("place"),
    _("phone"),
    _("attended at"),
]


def checkin_list(actor: Any, action: ActionPage) -> QuerySet[Signup]:
    """The people expected at an event, for the organiser taking attendance."""
    if not actor.has_perm("mobilisation.view_signups", action):
        raise NotPermitted(_("Only the action's organisers may take attendance."))
    return (
        selectors.confirmed_signups(action)
        .filter(erased_at=None)
        .select_related("shift")
        .order_by("name", "pk")
    )


def attended_count(action: ActionPage) -> int:
    return action.signups.filter(attended_at__isnull=False).count()


# ---------------------------------------------------------------------------- writes


def attendance_mark(*, actor: Any, action: ActionPage, signup_ids: Iterable[int]) -> int:
    """Mark people present, a batch at a time (marks made offline arrive together). The
    same batch sent twice changes nothing the second time; returns how many were new."""
    if not actor.has_perm("mobilisation.view_signups", action):
        raise NotPermitted(_("Only the action's organisers may take attendance."))
    if not action.is_event:
        raise Refused(_("Only events and demonstrations have attendance."))
    ids = sorted({int(i) for i in signup_ids})
    if len(ids) > BATCH_MAX:
        raise Refused(_("Too many people in one batch."))
    with transaction.atomic():
        marked = (
            Signup.objects.filter(action=action, pk__in=ids, attended_at=None, erased_at=None)
            .exclude(confirmed_at=None)
            .update(attended_at=clock.now())
        )
        if marked:
            record_append(
                kind="mobilisation.attendance_taken",
                subject=action,
                actor=actor,
                payload={"marked": marked},
            )
    return marked


def _text(subject: str, text: str) -> tuple[str, str]:
    subject = clean_plain(subject or "")
    text = (text or "").strip()
    if not subject or not text:
        raise Refused(
            _("Write a subject and a message."), field="subject" if not subject else "text"
        )
    if len(subject) > SUBJECT_MAX:
        raise Refused(_("The subject is too long."), field="subject")
    if len(text) > MESSAGE_MAX:
        raise Refused(_("The message is too long."), field="text")
    return subject, text


def signers_message(
    *, actor: Any, action: ActionPage, purpose: str, subject: str, text: str
) -> int:
    """Write to the signers who consented to `purpose` (and only them); returns how many
    it will reach. Each email is sent by the worker, which checks the consent again."""
    _may_see(actor, action)
    if purpose not in WRITABLE:
        raise Refused(_("Choose whom to write to."), field="purpose")
    subject, text = _text(subject, text)
    check_rate(f"mobilisation.message:{action.pk}", account=actor, limit=MESSAGES_PER_DAY)
    return _send(actor=actor, action=action, purpose=purpose, subject=subject, text=text)


def thanks_send(*, actor: Any, action: ActionPage, subject: str, text: str) -> int:
    """Thank the people marked present at the event, once the event has begun."""
    _may_see(actor, action)
    if not action.is_event:
        raise Refused(_("Only events and demonstrations have attendance."))
    if action.starts_at is None or action.starts_at > clock.now():
        raise Conflict(_("Thanks can be sent once the event has begun."))
    subject, text = _text(subject, text)
    check_rate(f"mobilisation.message:{action.pk}", account=actor, limit=MESSAGES_PER_DAY)
    return _send(
        actor=actor,
        action=action,
        purpose=Consent.Purpose.ACTION,
        subject=subject,
        text=text,
        present_only=True,
    )


def recipients(action: ActionPage, purpose: str, *, present_only: bool = False) -> QuerySet[Signup]:
    people = selectors.consented(action, purpose).distinct()
    if present_only:
        people = people.filter(attended_at__isnull=False)
    return people


def _send(
    *,
    actor: Any,
    action: ActionPage,
    purpose: str,
    subject: str,
    text: str,
    present_only: bool = False,
) -> int:
    from .organising_tasks import email_message

    ids = list(recipients(action, purpose, present_only=present_only).values_list("pk", flat=True))
    with transaction.atomic():
        record_append(
            kind="mobilisation.thanks_sent" if present_only else "mobilisation.signers_written",
            subject=action,
            actor=actor,
            payload={"purpose": purpose, "recipients": len(ids)},
        )
        for signup_id in ids:
            transaction.on_commit(
                lambda s=signup_id: email_message.enqueue(s, purpose, subject, text)
            )
    return len(ids)
