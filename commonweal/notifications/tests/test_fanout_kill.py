"""A real worker killed mid fan-out; a new one finishes it with one notification per member."""

import signal

import pytest
from django.db import connection
from django.db.models import Count

from commonweal.core.tests.processes import many_members, start_worker, wait_for
from commonweal.members.models import Member
from commonweal.notifications.models import EmailStatus, Event, Notification
from commonweal.notifications.services import notify

MEMBERS = 20_000
WORKER_SETTINGS = "commonweal.notifications.tests.worker_settings"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_resumed_and_nobody_is_told_twice(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and a real worker process")
    many_members([org.leeds, org.york, org.brighton], MEMBERS, "fanout.test")
    event = notify(kind="vote.opened", title="Everyone", units=[org.nation])
    first = start_worker(settings_module=WORKER_SETTINGS)
    try:
        assert wait_for(lambda: Notification.objects.filter(event=event).count() >= 2000)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    event.refresh_from_db()
    written = Notification.objects.filter(event=event).count()
    assert event.fanned_out_at is None, "the worker finished before it was killed"
    assert 0 < written < MEMBERS
    assert event.fan_out_after > 0

    second = start_worker(settings_module=WORKER_SETTINGS)
    try:
        assert wait_for(
            lambda: Event.objects.filter(pk=event.pk, fanned_out_at__isnull=False).exists()
        )
    finally:
        second.kill()
        second.wait(timeout=30)

    assert Notification.objects.filter(event=event).count() == MEMBERS
    assert not (
        Notification.objects.filter(event=event)
        .values("recipient")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    assert set(
        Notification.objects.filter(event=event).values_list("recipient_id", flat=True)
    ) == set(Member.objects.filter(email__endswith="@fanout.test").values_list("pk", flat=True))
    queued = Notification.objects.filter(event=event).exclude(email="")
    assert queued.count() == MEMBERS, "every member's email is queued (or already sent) once"
    assert not queued.filter(email=EmailStatus.FAILED).exists()
