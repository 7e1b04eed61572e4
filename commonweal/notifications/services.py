"""The one way any app tells people something happened, and members' choices about it."""

from collections.abc import Iterable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from typing import Any, TypedDict

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import NotPermitted, Refused
from commonweal.core.markdown import clean_plain, one_line
from commonweal.members.models import Member
from commonweal.organisation.rules import is_officer_of_body, is_officer_of_unit
from commonweal.organisation.selectors import (
    body_member_count,
    member_count_in_scope,
    officer_ids_of_body,
    officers_of_unit,
)
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import current

from . import replies
from .categories import BY_KEY, NEVER, category_of
from .models import NAMED as NAMED
from .models import EmailDelivery, Event, Mute, Notification, Preference, Reminder

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
MAX_THREAD = 120


def notify(
    *,
    kind: str,
    title: str,
    link: str = "",
    text: str = "",
    members: Iterable[Any] = (),
    bodies: Iterable[Any] = (),
    units: Iterable[Any] = (),
    actor: Any = None,
    named: Any = None,
    urgent: bool = False,
    thread: str = "",
) -> Event:
    """Record an event and fan it out after commit, on the worker.

    A title that names a member puts `NAMED` where the name goes and passes them as
    `named`: the name is filled in when shown, so their erasure reaches it.
    `members`, `bodies` and `units` (objects or ids) say who is concerned: a body
    means its current members, a unit means every member in its subtree. The `actor`
    (the member whose action this is) is never told, even when in scope: callers pass
    whoever acted. Each recipient's email delivery follows their preference for the
    event's category.
    """
    event = Event.objects.create(
        kind=kind,
        title=one_line(title)[:300],
        text=text,
        link=link,
        urgent=urgent,
        actor=actor,
        named=named,
        member_ids=sorted({getattr(m, "pk", m) for m in members}),
        body_ids=sorted({getattr(b, "pk", b) for b in bodies}),
        unit_ids=sorted({getattr(u, "pk", u) for u in units}),
        thread=thread[:MAX_THREAD],
        category=category_of(kind, urgent=urgent).key,
        created_at=clock.now(),
    )
    transaction.on_commit(lambda: _enqueue_fan_out(event.pk))
    return event


def remind_once(
    *,
    subject: Any,
    step: str,
    due_at: Any,
    kind: str,
    title: str,
    link: str,
    members: Iterable[Any],
    named: Any = None,
    rulebook_version: int | None = None,
) -> Reminder | None:
    """Tell `members` that something is due or overdue, once for this subject and step.

    The platform's clock calls this from the sweeps; nobody acted, so no one is left out
    as the actor. The `Reminder` row is inserted first, in its own savepoint: a second run
    (or a second worker at the same moment, which waits for the first's commit) finds it
    there and returns None without telling or recording anything. Only members in good
    standing are told (not a suspended officer). The record holds the step, the deadline
    and the ids of those told.
    """
    told = sorted(
        Member.objects.filter(
            pk__in={getattr(m, "pk", m) for m in members},
            status=Member.Status.MEMBER,
            is_active=True,
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    subject=subject_of(subject), step=step, due_at=due_at, sent_at=clock.now()
                )
        except IntegrityError:
            return None
        event = None
        if told:
            event = notify(kind=kind, title=title, link=link, members=told, named=named)
            reminder.event = event
            reminder.save(update_fields=["event"])
        record_append(
            kind=kind,
            subject=subject,
            payload={"step": step, "due": due_at.isoformat(), "told": told},
            rulebook_version=rulebook_version,
        )
    return reminder


class Reach(TypedDict, total=False):
    """Whom to tell, as `notify`'s `units`, `bodies` and `members` (ids), to pass as **."""

    units: list[int]
    bodies: list[int]
    members: list[int]


def member_reach(*, actor: Any, units: Iterable[Any] = (), bodies: Iterable[Any] = ()) -> Reach:
    """Whom one member's action may tell in these units and bodies: `notify`'s arguments.

    A unit or body of at most the rulebook's `notifications.member_reach` members hears it
    all, and so does a wider one from its own officers (or those above); from anyone else a
    wider one's officers alone are told, so no member can write a notification for
    everyone in a region or the nation by posting once.
    """
    limit = current()["notifications.member_reach"]
    told: Reach = {"units": [], "bodies": [], "members": []}
    for unit in units:
        if is_officer_of_unit(actor, unit) or member_count_in_scope(unit) <= limit:
            told["units"].append(unit.pk)
        else:
            told["members"] += officers_of_unit(unit).values_list("pk", flat=True)
    for body in bodies:
        officer = is_officer_of_body(actor, body) or is_officer_of_unit(actor, body.unit)
        if officer or body_member_count(body) <= limit:
            told["bodies"].append(body.pk)
        else:
            told["members"] += officer_ids_of_body(body)
    return told


def _enqueue_fan_out(event_id: int) -> None:
    from .tasks import fan_out_event, watch_fan_out

    fan_out_event.enqueue(event_id)
    watch_fan_out(event_id)


def urgent_alert_send(*, unit: Any, title: str, text: str, sent_by: Any) -> Event:
    """An officer alerts every member of their unit's subtree by email, now.

    Urgent alerts skip digests and mutes; only members who unsubscribed from
    urgent alerts get them in the app alone.
    """
    if not sent_by.has_perm("notifications.send_alert", unit):
        raise NotPermitted(
            _("Only officers of %(unit)s or of a unit above it may alert its members.")
            % {"unit": unit}
        )
    title = clean_plain(title)
    text = (text or "").strip()
    if not title:
        raise Refused(_("Give the alert a title."), field="title")
    if not text:
        raise Refused(_("Say what the alert is about."), field="text")
    with transaction.atomic():
        event = notify(
            kind="alert.urgent",
            title=title,
            text=text[:10_000],
            units=[unit],
            actor=sent_by,
            urgent=True,
        )
        record_append(
            kind="alert.sent",
            subject=event,
            actor=sent_by,
            payload={"unit": unit.pk},
            rulebook_version=current().version,
        )
    return event


def preferences_set(*, member: Any, choices: dict[str, str]) -> None:
    """Store a member's delivery choice for each category named in `choices`."""
    for key, delivery in choices.items():
        category = BY_KEY.get(key)
        if category is None:
            raise Refused(_("There is no category called %(key)s.") % {"key": key}, field=key)
        if delivery not in category.choices:
            raise Refused(
                _("“%(delivery)s” is not a choice for %(category)s.")
                % {"delivery": delivery, "category": category.label},
                field=key,
            )
    with transaction.atomic():
        for key, delivery in choices.items():
            Preference.objects.update_or_create(
                member=member, category=key, defaults={"delivery": delivery}
            )


def unsubscribe_token(*, member_id: int, categories: Iterable[str]) -> str:
    return signing.dumps({"m": member_id, "c": sorted(set(categories))}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[Any, list[str]]:
    """Who and which categories a one-click unsubscribe link is for; refused if altered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        member = Member.objects.get(pk=int(data["m"]), is_active=True)
        categories = [c for c in data["c"] if c in BY_KEY]
    except (signing.BadSignature, KeyError, TypeError, ValueError, Member.DoesNotExist) as exc:
        raise Refused(
            _("This unsubscribe link is not valid. Change your choices in the app.")
        ) from exc
    if not categories:
        raise Refused(_("This unsubscribe link is not valid. Change your choices in the app."))
    return member, categories


def unsubscribe(*, token: str) -> tuple[Any, list[str]]:
    """One-click unsubscribe: no more email for the link's categories, no login needed."""
    member, categories = unsubscribe_read(token)
    preferences_set(member=member, choices=dict.fromkeys(categories, NEVER))
    return member, categories


def thread_mute(*, member: Any, thread: str) -> Mute:
    thread = (thread or "").strip()
    if not thread or len(thread) > MAX_THREAD:
        raise Refused(_("Say which discussion or proposal to mute."), field="thread")
    mute, _created = Mute.objects.get_or_create(
        member=member, thread=thread, defaults={"created_at": clock.now()}
    )
    return mute


def thread_unmute(*, member: Any, thread: str) -> None:
    Mute.objects.filter(member=member, thread=thread).delete()


def notification_mark_read(*, member: Any, notification_id: int) -> None:
    """Mark one of the member's notifications read; someone else's is not found."""
    updated = Notification.objects.filter(pk=notification_id, recipient=member).update(
        read_at=clock.now()
    )
    if not updated:
        raise Refused(_("There is no such notification."))


def notifications_mark_all_read(*, member: Any) -> int:
    return Notification.objects.filter(recipient=member, read_at=None).update(read_at=clock.now())


def reply_receive(*, raw: bytes) -> Any:
    """Post a reply that came by email into its thread, or refuse it and change nothing.

    The reply address names the member and the event they were told about and
    is signed, so it cannot be forged or altered; the sender must also be that
    member's own address.
    """
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    token = None
    for header in ("Delivered-To", "X-Original-To", "To", "Cc"):
        for _name, address in getaddresses(message.get_all(header, [])):
            token = token or replies.token_in(address)
    if token is None:
        raise Refused(_("The message is not addressed to a reply address."))
    member, event = replies.verify(token)
    senders = [addr.lower() for _name, addr in getaddresses(message.get_all("From", []))]
    if senders != [member.email.lower()]:
        raise Refused(_("The reply did not come from the address it was sent to."))
    handler = replies.handler_for(event.thread)
    if handler is None:
        raise Refused(_("Replies to this kind of message cannot be posted."))
    text = replies.reply_text(message)
    if not text:
        raise Refused(_("The reply is empty."))
    return handler(member=member, thread=event.thread, text=text)


# Kinds whose titles held the member's name itself before titles named members by `named`.
NAME_IN_TITLE_KINDS = (
    "membership.application",
    "mandate.granted",
    "discussion.contribution",
    "discussion.reply",
)


def member_erase(member: Any) -> None:
    """Delete what the member was told and how: notifications, choices, emails, and the
    events told to them alone (a suspension's reason ...). Titles that name them show a
    former member from now on; older titles that hold the name itself lose it."""
    Event.objects.filter(member_ids=[member.pk], body_ids=[], unit_ids=[]).delete()
    if member.full_name:
        for event in Event.objects.filter(
            named=None, kind__in=NAME_IN_TITLE_KINDS, title__contains=member.full_name
        ).iterator():
            event.title = event.title.replace(member.full_name, NAMED)
            event.named = member
            event.save(update_fields=["title", "named"])
    Notification.objects.filter(recipient=member).delete()
    EmailDelivery.objects.filter(recipient=member).delete()
    Preference.objects.filter(member=member).delete()
    Mute.objects.filter(member=member).delete()
