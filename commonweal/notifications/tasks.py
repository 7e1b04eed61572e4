"""Background work: fanning events out to members, sending emails, building digests.

Every task takes ids, walks its rows by id in batches (keyset pagination), and
keeps its progress in the database, so running it twice, or after a killed
worker, neither skips anyone nor tells anyone twice.
"""

import contextlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django_tasks import task

from commonweal.core import clock

from .categories import ALERTS, BY_KEY, DIGESTS, IMMEDIATE, NEVER
from .models import EmailDelivery, Event, Mute, Notification, Preference
from .selectors import recipients_of

logger = logging.getLogger(__name__)


def fan_out_batch() -> int:
    return getattr(settings, "NOTIFICATIONS_FAN_OUT_BATCH", 5000)


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
                _deliver(event, batch)
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


def _deliver(event: Event, ids: list[int]) -> None:
    """Notifications and email rows for one batch of recipients: a fixed number of queries."""
    low, high = ids[0], ids[-1]
    category = BY_KEY[event.category]
    chosen = dict(
        Preference.objects.filter(
            category=category.key, member_id__gte=low, member_id__lte=high
        ).values_list("member_id", "delivery")
    )
    muted: set[int] = set()
    if event.thread and event.category != ALERTS:
        muted = set(
            Mute.objects.filter(
                thread=event.thread, member_id__gte=low, member_id__lte=high
            ).values_list("member_id", flat=True)
        )
    now = clock.now()
    notifications = []
    immediate = []
    for pk in ids:
        delivery = NEVER if pk in muted else chosen.get(pk, category.default)
        notifications.append(
            Notification(
                event=event,
                recipient_id=pk,
                created_at=now,
                delivery=delivery,
                muted=pk in muted,
                read_at=now if pk in muted else None,
            )
        )
        if delivery == IMMEDIATE:
            immediate.append(pk)
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    if immediate:
        EmailDelivery.objects.bulk_create(
            [EmailDelivery(event=event, recipient_id=pk, created_at=now) for pk in immediate],
            ignore_conflicts=True,
        )
        send_event_emails.enqueue(event.pk, low - 1, high)


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


def _claim(deliveries) -> list[int]:
    """Take pending rows for this worker alone: they are sent at most once."""
    with transaction.atomic():
        ids = list(
            deliveries.filter(status=EmailDelivery.Status.PENDING)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        EmailDelivery.objects.filter(pk__in=ids).update(status=EmailDelivery.Status.SENDING)
    return ids


def _send(
    deliveries: Iterable[EmailDelivery], build: Callable[[EmailDelivery], EmailMultiAlternatives]
) -> tuple[int, int]:
    """Send each message on one connection; a refused message is recorded, never fatal."""
    sent: list[int] = []
    failed: dict[str, list[int]] = {}
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:  # any backend error is a failure to record
        connection = None
        opening_error = f"{type(exc).__name__}: {exc}"[:500]
    for delivery in deliveries:
        if connection is None:
            failed.setdefault(opening_error, []).append(delivery.pk)
            continue
        try:
            message = build(delivery)
            message.connection = connection
            message.send()
        except Exception as exc:  # a bounce must not stop the batch
            logger.warning(
                "Email %s to member %s failed: %s", delivery.pk, delivery.recipient_id, exc
            )
            failed.setdefault(f"{type(exc).__name__}: {exc}"[:500], []).append(delivery.pk)
        else:
            sent.append(delivery.pk)
    if connection is not None:
        with contextlib.suppress(Exception):  # closing a broken connection changes nothing
            connection.close()
    now = clock.now()
    EmailDelivery.objects.filter(pk__in=sent).update(status=EmailDelivery.Status.SENT, sent_at=now)
    for error, ids in failed.items():
        EmailDelivery.objects.filter(pk__in=ids).update(
            status=EmailDelivery.Status.FAILED, error=error
        )
    return len(sent), sum(len(ids) for ids in failed.values())


def _in_chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@task(queue_name="email")
def send_event_emails(event_id: int, after: int, up_to: int) -> dict[str, int]:
    """Send the pending emails of one event to recipients with ids in (after, up_to]."""
    ids = _claim(
        EmailDelivery.objects.filter(
            event_id=event_id, recipient_id__gt=after, recipient_id__lte=up_to
        )
    )
    from .emails import event_email

    totals = {"sent": 0, "failed": 0}
    for chunk in _in_chunks(ids, email_batch()):
        deliveries = EmailDelivery.objects.filter(pk__in=chunk).select_related("event", "recipient")
        sent, failed = _send(deliveries.order_by("recipient_id"), event_email)
        totals["sent"] += sent
        totals["failed"] += failed
    return totals


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
    ids = _claim(
        EmailDelivery.objects.filter(
            digest_key=key, recipient_id__gt=after, recipient_id__lte=up_to
        )
    )
    from .emails import digest_email

    totals = {"sent": 0, "failed": 0}
    items = Notification.objects.select_related("event").order_by("created_at", "id")
    for chunk in _in_chunks(ids, email_batch()):
        deliveries = (
            EmailDelivery.objects.filter(pk__in=chunk)
            .select_related("recipient")
            .prefetch_related(Prefetch("items", queryset=items))
        )
        sent, failed = _send(deliveries.order_by("recipient_id"), digest_email)
        totals["sent"] += sent
        totals["failed"] += failed
    return totals
