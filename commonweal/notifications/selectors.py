"""Reading notifications, who an event concerns, and members' choices."""

from typing import Any

from django.db.models import CharField, Exists, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from commonweal.members.models import Member
from commonweal.organisation.models import BodyMembership, Unit

from .categories import BY_KEY, CATEGORIES, Category
from .models import EmailDelivery, Event, Mute, Notification, Preference, Reminder


def recipients_of(event: Event) -> QuerySet[Member]:
    """Every active member the event concerns, as one query, except its actor: nobody is
    told of what they did themselves (their proposal, comment, meeting or news item).

    Units become a literal list of unit ids (none at all when the scope is the
    whole tree), so PostgreSQL sees how much of the membership is in scope:
    a national event walks the members' primary key in order, batch after
    batch, while a branch's event uses the unit index.
    """
    condition = Q(pk__in=event.member_ids)
    if event.body_ids:
        condition |= Q(
            pk__in=BodyMembership.objects.filter(body_id__in=event.body_ids, until=None).values(
                "member_id"
            )
        )
    paths = Q()
    for path in Unit.objects.filter(pk__in=event.unit_ids).values_list("path", flat=True):
        paths |= Q(path__startswith=path)
    active = Member.objects.filter(status=Member.Status.MEMBER, is_active=True)
    if event.actor_id is not None:
        active = active.exclude(pk=event.actor_id)
    if paths:
        unit_ids = list(Unit.objects.filter(paths).values_list("pk", flat=True))
        if len(unit_ids) == Unit.objects.count():
            return active.exclude(unit=None) | active.filter(condition)
        condition |= Q(unit_id__in=unit_ids)
    return active.filter(condition)


def unread_count(member: Member) -> int:
    return Notification.objects.filter(recipient=member, read_at=None).count()


def notifications_for(
    member: Member, *, category: str = "", unread: bool = False
) -> QuerySet[Notification]:
    found = Notification.objects.filter(recipient=member)
    if category in BY_KEY:
        found = found.filter(event__category=category)
    if unread:
        found = found.filter(read_at=None)
    return found.select_related("event__named").order_by("-created_at", "-id")


def latest_notification_id(member: Member) -> int:
    """Where a page's live updates start from: anything newer than this is new to it."""
    return Notification.objects.filter(recipient=member).aggregate(m=Max("pk"))["m"] or 0


def preferences_of(member: Member) -> list[tuple[Category, str]]:
    """Each category with the member's choice, or its default."""
    chosen = dict(Preference.objects.filter(member=member).values_list("category", "delivery"))
    return [(c, chosen.get(c.key, c.default)) for c in CATEGORIES]


def mutes_of(member: Member) -> QuerySet[Mute]:
    return Mute.objects.filter(member=member).order_by("-created_at")


def is_muted(member: Member, thread: str) -> bool:
    return bool(thread) and Mute.objects.filter(member=member, thread=thread).exists()


def member_export(member: Member) -> dict[str, Any]:
    return {
        "preferences": {c.key: delivery for c, delivery in preferences_of(member)},
        "muted_threads": list(mutes_of(member).values_list("thread", flat=True)),
        "notifications": [
            {
                "title": n.event.display_title,
                "kind": n.event.kind,
                "link": n.event.link,
                "at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "email": n.delivery,
                "emailed": n.email,
                "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None,
            }
            for n in notifications_for(member).iterator()
        ],
        "digests": [
            {
                "digest": d.digest_key,
                "status": d.status,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in EmailDelivery.objects.filter(recipient=member).order_by("created_at")
        ],
    }


def reminders_sent(subjects: list[str]) -> set[tuple[str, str]]:
    """(subject, step) of the reminders and escalations already sent about these subjects
    (`app.model:pk`), so a sweep passes over them without trying each again."""
    return set(Reminder.objects.filter(subject__in=subjects).values_list("subject", "step"))


def not_reminded(rows: QuerySet, step: str) -> QuerySet:
    """Those of `rows` about which no reminder of this step has been sent, in the same
    query (the unique index on subject and step answers it), so a backlog already
    escalated does not stand in front of what is new."""
    sent = Reminder.objects.filter(
        step=step,
        subject=Concat(
            Value(f"{rows.model._meta.label_lower}:"),
            Cast(OuterRef("pk"), CharField()),
            output_field=CharField(),
        ),
    )
    return rows.exclude(Exists(sent))
