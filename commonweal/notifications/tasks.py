"""Background work: fanning events out to members, sending emails, building digests.

Every task takes ids, walks its rows by id in batches (keyset pagination), and
keeps its progress in the database, so running it twice, or after a killed
worker, neither skips anyone nor tells anyone twice.
"""

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_tasks import task

from commonweal.core import clock

from .categories import ALERTS, BY_KEY, DIGESTS, IMMEDIATE, NEVER
from .models import EmailDelivery, EmailStatus, Event, Notification
from .selectors import recipients_of

logger = logging.getLogger(__name__)


def fan_out_batch() -> int:
    return getattr(settings, "NOTIFICATIONS_FAN_OUT_BATCH", 20000)


def fan_out_lease() -> timedelta:
    """How long a fan-out may go without progress before another worker takes it over."""
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_FAN_OUT_LEASE", 120))


def email_batch() -> int:
    return getattr(settings, "NOTIFICATIONS_EMAIL_BATCH", 500)


@task(queue_name="fanout")
def fan_out_event(event_id: int) -> int:
    """Write one notification per recipient, and queue their emails, batch after batch.

    Each batch commits its notifications, email rows and the event's checkpoint
    (the last recipient id done) together, under a lock on the event, so a
    worker killed mid-run leaves a consistent checkpoint to resume from.
    """
    written = 0
    while True:
        with transaction.atomic():
            event = Event.objects.select_for_update().filter(pk=event_id).first()
            if event is None or event.fanned_out_at:
                return written
            batch = list(
                recipients_of(event)
                .filter(pk__gt=event.fan_out_after)
                .order_by("pk")
                .values_list("pk", flat=True)[: fan_out_batch()]
            )
            if batch:
                _deliver(event, after=event.fan_out_after, up_to=batch[-1])
                event.fan_out_after = batch[-1]
                event.recipient_count += len(batch)
            else:
                event.fanned_out_at = clock.now()
            event.fan_out_heartbeat = timezone.now()
            event.save(
                update_fields=[
                    "fan_out_after",
                    "recipient_count",
                    "fanned_out_at",
                    "fan_out_heartbeat",
                ]
            )
        written += len(batch)


def _insert_select(model, columns: list[str], rows: QuerySet) -> int:
    """INSERT ... SELECT: the rows are computed and written by the database, not Python.

    `rows` is a values_list of expressions in the order of `columns`; rows that
    already exist (a batch run twice) are skipped by the unique constraints.
    Returns how many rows were written.
    """
    sql, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) {sql} ON CONFLICT DO NOTHING",
            params,
        )
        return cursor.rowcount


def _deliver(event: Event, *, after: int, up_to: int) -> None:
    """Notifications for the recipients with ids in (after, up_to], in one statement.

    Each member's email delivery (their preference for the category, or its
    default; none for a muted thread) is worked out in the same query that picks
    the recipients, joined to preferences and mutes, so no member is touched in
    Python; those to be emailed straight away are written already queued
    (`email` pending), and one task per batch sends them.
    """
    category = BY_KEY[event.category]
    now = clock.now()
    members = (
        recipients_of(event)
        .filter(pk__gt=after, pk__lte=up_to)
        .annotate(
            choice=FilteredRelation(
                "notification_preferences",
                condition=Q(notification_preferences__category=category.key),
            )
        )
    )
    delivery: Any = Coalesce(F("choice__delivery"), Value(category.default))
    is_muted: Any = Value(False, output_field=BooleanField())
    read_at: Any = Value(None, output_field=DateTimeField())
    if event.thread and event.category != ALERTS:
        members = members.annotate(
            mute=FilteredRelation(
                "notification_mutes", condition=Q(notification_mutes__thread=event.thread)
            )
        )
        muted = Q(mute__id__isnull=False)
        delivery = Case(When(muted, then=Value(NEVER)), default=delivery)
        is_muted = ExpressionWrapper(muted, output_field=BooleanField())
        read_at = Case(When(muted, then=Value(now)), default=None, output_field=DateTimeField())
    rows = members.annotate(
        n_recipient=F("pk"),
        n_event=Value(event.pk, output_field=BigIntegerField()),
        n_created=Value(event.created_at, output_field=DateTimeField()),
        n_delivery=delivery,
        n_muted=is_muted,
        n_read=read_at,
    ).annotate(
        n_email=Case(
            When(n_delivery=IMMEDIATE, then=Value(EmailStatus.PENDING)), default=Value("")
        ),
        n_error=Value(""),
    )
    _insert_select(
        Notification,
        [
            "recipient",
            "event",
            "created_at",
            "delivery",
            "muted",
            "read_at",
            "email",
            "email_error",
        ],
        rows.values_list(
            "n_recipient",
            "n_event",
            "n_created",
            "n_delivery",
            "n_muted",
            "n_read",
            "n_email",
            "n_error",
        ).order_by(),
    )
    if (
        Notification.objects.filter(
            event=event, recipient_id__gt=after, recipient_id__lte=up_to, email=EmailStatus.PENDING
        )
        .order_by()
        .exists()
    ):
        send_event_emails.enqueue(event.pk, after, up_to)


@task(queue_name="default")
def fan_out_watch(event_id: int) -> str:
    """Restart a fan-out whose worker died; keep watching until it is done."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None or event.fanned_out_at:
        return "done"
    last = event.fan_out_heartbeat or event.created_at
    if timezone.now() - last >= fan_out_lease():
        fan_out_event.enqueue(event_id)
        logger.warning(
            "Fan-out of event %s stalled at %s; restarted.", event_id, event.fan_out_after
        )
        watch_fan_out(event_id)
        return "restarted"
    watch_fan_out(event_id)
    return "watching"


def watch_fan_out(event_id: int) -> None:
    """Look at the fan-out again once a lease has passed (a deferred task any worker runs)."""
    fan_out_watch.using(run_after=timezone.now() + fan_out_lease()).enqueue(event_id)


class EmailFields(NamedTuple):
    """The names of an email queue's fields: notifications and digests spell them apart."""

    status: str
    claimed_at: str
    sent_at: str
    error: str


EVENT_EMAIL = EmailFields("email", "email_claimed_at", "emailed_at", "email_error")
DIGEST_EMAIL = EmailFields("status", "claimed_at", "sent_at", "error")


def _claim(rows: QuerySet, fields: EmailFields) -> tuple[list[int], int | None]:
    """Take the next batch of pending rows, in recipient order, for this worker alone.

    The claim is stamped with the real time (a lease is real time, as the fan-out's
    heartbeat), so `recover_emails` can tell a batch whose worker died. Returns the
    ids and, when the batch is full, the last recipient's id, for the caller to queue
    the rest in the same transaction: a task never holds more than one batch.
    """
    claimed = list(
        rows.filter(**{fields.status: EmailStatus.PENDING})
        .order_by("recipient_id")
        .select_for_update(skip_locked=True)
        .values_list("pk", "recipient_id")[: email_batch()]
    )
    ids = [pk for pk, _recipient in claimed]
    rows.model.objects.filter(pk__in=ids).update(
        **{fields.status: EmailStatus.SENDING, fields.claimed_at: timezone.now()}
    )
    return ids, claimed[-1][1] if len(claimed) == email_batch() else None


def _send(
    items: QuerySet, build: Callable[[Any], EmailMultiAlternatives], fields: EmailFields
) -> tuple[int, int]:
    """Send each message on one connection; a refused message is recorded, never fatal.

    Each message is marked sent as soon as the server has taken it, so a worker killed
    mid-batch leaves at most that one message to be sent again after recovery.
    """
    rows = items.model.objects
    sent = 0
    failed: dict[str, list[int]] = {}
    backend = get_connection(fail_silently=False)
    mail: BaseEmailBackend | None = backend
    try:
        backend.open()
    except Exception as exc:  # any backend error is a failure to record
        mail = None
        opening_error = f"{type(exc).__name__}: {exc}"[:500]
    with _commits_not_waiting_for_disk():
        for item in items:
            if mail is None:
                failed.setdefault(opening_error, []).append(item.pk)
                continue
            try:
                message = build(item)
                message.connection = mail
                message.send()
            except Exception as exc:  # a bounce must not stop the batch
                logger.warning("Email %s to member %s failed: %s", item.pk, item.recipient_id, exc)
                failed.setdefault(f"{type(exc).__name__}: {exc}"[:500], []).append(item.pk)
            else:
                rows.filter(pk=item.pk).update(
                    **{fields.status: EmailStatus.SENT, fields.sent_at: clock.now()}
                )
                sent += 1
        for error, ids in failed.items():
            rows.filter(pk__in=ids).update(
                **{fields.status: EmailStatus.FAILED, fields.error: error}
            )
    if mail is not None:
        with contextlib.suppress(Exception):  # closing a broken connection changes nothing
            mail.close()
    return sent, sum(len(ids) for ids in failed.values())


@contextlib.contextmanager
def _commits_not_waiting_for_disk():
    """Let this connection's commits return before the write-ahead log reaches the disk.

    Each message is marked sent in a commit of its own; waiting for the disk at each
    one took longer than sending the message (3 to 6 ms a mark, against about 0.5 ms
    not waiting). A killed worker still leaves its marks in the database; only a crash
    of the database server itself may lose the last fraction of a second of them, and
    those messages are sent again after recovery.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


@task(queue_name="email")
def send_event_emails(event_id: int, after: int, up_to: int) -> dict[str, int]:
    """Send the next batch of one event's pending emails to recipients with ids in (after, up_to].

    The batch is claimed and a task for the rest queued in one transaction, so a worker
    killed at any later point leaves every other email queued, and this batch to
    `recover_emails`.
    """
    with transaction.atomic():
        ids, last = _claim(
            Notification.objects.filter(
                event_id=event_id, recipient_id__gt=after, recipient_id__lte=up_to
            ),
            EVENT_EMAIL,
        )
        if last is not None:
            send_event_emails.enqueue(event_id, last, up_to)
    from .emails import event_email

    notifications = Notification.objects.filter(pk__in=ids).select_related(
        "event__named", "recipient"
    )
    sent, failed = _send(notifications.order_by("recipient_id"), event_email, EVENT_EMAIL)
    return {"sent": sent, "failed": failed}


def digest_key(period: str, moment: datetime) -> str:
    """One digest per member per day, or per ISO week."""
    local = timezone.localtime(moment)
    if period == "daily":
        return f"daily:{local.date().isoformat()}"
    year, week, _day = local.isocalendar()
    return f"weekly:{year}-W{week:02d}"


@task(queue_name="default")
def send_digests(period: str) -> int:
    """Gather each member's undigested notifications into one digest email each.

    Members are walked in id order in batches; one batch inserts the digest rows,
    attaches the notifications to them and queues their sending, in one
    transaction. Run twice in the same period, it only adds what is new.
    """
    if period not in DIGESTS:
        raise ValueError(f"period must be one of {DIGESTS}")
    key = digest_key(period, clock.now())
    undigested = Notification.objects.filter(delivery=period, digest=None)
    after, queued = 0, 0
    while True:
        ids = list(
            undigested.filter(recipient_id__gt=after)
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()[: fan_out_batch()]
        )
        if not ids:
            return queued
        now = clock.now()
        with transaction.atomic():
            EmailDelivery.objects.bulk_create(
                [EmailDelivery(recipient_id=pk, digest_key=key, created_at=now) for pk in ids],
                ignore_conflicts=True,
            )
            undigested.filter(recipient_id__gte=ids[0], recipient_id__lte=ids[-1]).update(
                digest=Subquery(
                    EmailDelivery.objects.filter(
                        recipient_id=OuterRef("recipient_id"),
                        digest_key=key,
                        status=EmailDelivery.Status.PENDING,
                    ).values("pk")[:1]
                )
            )
            send_digest_emails.enqueue(key, ids[0] - 1, ids[-1])
        queued += len(ids)
        after = ids[-1]


@task(queue_name="email")
def send_digest_emails(key: str, after: int, up_to: int) -> dict[str, int]:
    """Send the next batch of a period's digests to recipients with ids in (after, up_to].

    Claimed batch by batch as `send_event_emails` does, for the same reasons.
    """
    with transaction.atomic():
        ids, last = _claim(
            EmailDelivery.objects.filter(
                digest_key=key, recipient_id__gt=after, recipient_id__lte=up_to
            ),
            DIGEST_EMAIL,
        )
        if last is not None:
            send_digest_emails.enqueue(key, last, up_to)
    from .emails import digest_email

    items = Notification.objects.select_related("event__named").order_by("created_at", "id")
    deliveries = (
        EmailDelivery.objects.filter(pk__in=ids)
        .select_related("recipient")
        .prefetch_related(Prefetch("items", queryset=items))
    )
    sent, failed = _send(deliveries.order_by("recipient_id"), digest_email, DIGEST_EMAIL)
    return {"sent": sent, "failed": failed}


def email_lease() -> timedelta:
    """How long an email may stay claimed before its worker is taken to have died.

    Longer than a batch (`email_batch()` messages) can take to send: a worker still
    sending when its lease runs out would see the rest of its batch sent a second time.
    """
    return timedelta(seconds=getattr(settings, "NOTIFICATIONS_EMAIL_LEASE", 15 * 60))


@task(queue_name="default")
def recover_emails() -> dict[str, int]:
    """Put back to pending the emails a dead worker had claimed, and queue their sending.

    A worker killed while sending leaves its batch "sending"; nothing else would ever
    send it. The clock runs this every few minutes; rows claimed more than a lease ago
    go back to pending and one task per event (per digest period) is queued for them.
    The price: a worker killed after the mail server took a message and before the row
    was marked sent (the very next statement) leaves that one message to be sent twice.
    Every other email is still sent exactly once.
    """
    cutoff = timezone.now() - email_lease()
    recovered = {
        "event_emails": _recover(
            Notification.objects.all(), EVENT_EMAIL, cutoff, key="event_id", send=send_event_emails
        ),
        "digests": _recover(
            EmailDelivery.objects.all(),
            DIGEST_EMAIL,
            cutoff,
            key="digest_key",
            send=send_digest_emails,
        ),
    }
    if any(recovered.values()):
        logger.warning(
            "Recovered %(event_emails)s event emails and %(digests)s digests claimed by "
            "a worker that died; queued to be sent again.",
            recovered,
        )
    return recovered


def _recover(rows: QuerySet, fields: EmailFields, cutoff: datetime, *, key: str, send) -> int:
    """Return rows claimed before `cutoff` to pending and queue `send` for each key's range."""
    with transaction.atomic():
        stale = list(
            rows.filter(**{fields.status: EmailStatus.SENDING, f"{fields.claimed_at}__lt": cutoff})
            .select_for_update(skip_locked=True)
            .values_list("pk", key, "recipient_id")
        )
        rows.filter(pk__in=[pk for pk, _key, _recipient in stale]).update(
            **{fields.status: EmailStatus.PENDING, fields.claimed_at: None}
        )
        ranges: dict[Any, tuple[int, int]] = {}
        for _pk, value, recipient in stale:
            low, high = ranges.get(value, (recipient, recipient))
            ranges[value] = (min(low, recipient), max(high, recipient))
        for value, (low, high) in ranges.items():
            send.enqueue(value, low - 1, high)
    return len(stale)
