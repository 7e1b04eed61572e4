from django.db import transaction
from django_tasks import task

from commonweal.core import clock

from .models import Event, Notification
from .selectors import recipients_of

BATCH = 5000


@task(queue_name="default")
def fan_out_event(event_id: int) -> int:
    """Write one notification per recipient in batches; safe to run again after a crash.

    Batches walk recipients by id and skip those already notified (unique
    constraint + ignore_conflicts), so a killed worker resumes without doubles.
    """
    event = Event.objects.get(pk=event_id)
    if event.fanned_out_at:
        return 0
    written = 0
    last_id = 0
    ids = recipients_of(event).order_by("pk").values_list("pk", flat=True)
    while True:
        batch = list(ids.filter(pk__gt=last_id)[:BATCH])
        if not batch:
            break
        now = clock.now()
        with transaction.atomic():
            Notification.objects.bulk_create(
                [Notification(event=event, recipient_id=pk, created_at=now) for pk in batch],
                ignore_conflicts=True,
            )
        written += len(batch)
        last_id = batch[-1]
    Event.objects.filter(pk=event_id).update(fanned_out_at=clock.now())
    return written
