"""A real worker killed (SIGKILL) in the middle of building the daily digests.

The worker is caught inside its third batch (a lock this test holds on one member's
notifications), after two batches have committed. Killed there, the third batch's transaction
dies with it. The platform's clock enqueues the digest run again within the hour (the test moves
the killed job's time back instead of waiting); a new worker finishes: every member gets exactly
one digest, every notification is in one, and every digest is sent.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django_tasks_db.models import DBTaskResult

from commonweal.core import clock
from commonweal.core.tests.processes import (
    kill_when_blocked,
    many_members,
    side_connection,
    start_worker,
    wait_for,
)
from commonweal.notifications.models import EmailDelivery, Notification
from commonweal.notifications.services import notify
from commonweal.notifications.tasks import fan_out_event, send_digests

MEMBERS = 500
WORKER_SETTINGS = "commonweal.notifications.tests.worker_settings"  # batches of 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_digest_run_killed_midway_sends_each_member_one_digest_after_restart(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and a real worker process")
    many_members([org.leeds, org.york, org.brighton], MEMBERS, "digest.test")
    for title in ("A policy is published", "A draft is open for comment"):
        event = notify(kind="policy.published", title=title, units=[org.nation])
        fan_out_event.call(event.pk)
    daily = Notification.objects.filter(delivery="daily", digest=None)
    recipients = sorted(set(daily.values_list("recipient_id", flat=True)))
    assert len(recipients) == MEMBERS
    DBTaskResult.objects.all().delete()
    send_digests.enqueue("daily")

    locker, watcher = side_connection(), side_connection(autocommit=True)
    locker.execute(
        "SELECT id FROM notifications_notification WHERE recipient_id = %s FOR UPDATE",
        [recipients[250]],
    )
    kill_when_blocked(
        start_worker(settings_module=WORKER_SETTINGS),
        locker=locker,
        watcher=watcher,
        statement='UPDATE "notifications_notification"',
    )
    built = EmailDelivery.objects.count()
    assert 0 < built < MEMBERS, "the kill did not fall in the middle of the run"

    DBTaskResult.objects.filter(task_path=send_digests.module_path).update(
        enqueued_at=clock.now() - timedelta(hours=2)
    )
    call_command("schedule", stdout=io.StringIO())
    second = start_worker(settings_module=WORKER_SETTINGS)
    try:
        assert wait_for(
            lambda: (
                not daily.exists()
                and EmailDelivery.objects.count() == MEMBERS
                and not EmailDelivery.objects.exclude(status=EmailDelivery.Status.SENT).exists()
            )
        )
    finally:
        second.kill()
        second.wait(timeout=30)

    assert not (
        EmailDelivery.objects.values("recipient", "digest_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    assert set(EmailDelivery.objects.values_list("recipient_id", flat=True)) == set(recipients)
    per_digest = EmailDelivery.objects.annotate(n=Count("items")).values_list("n", flat=True)
    assert set(per_digest) == {2}
