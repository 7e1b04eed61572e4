"""A real worker killed mid fan-out; a new one finishes it with one notification per member."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count

from commonweal.members.models import Member
from commonweal.notifications.models import EmailDelivery, Event, Notification
from commonweal.notifications.services import notify

MEMBERS = 20_000
ROOT = Path(__file__).resolve().parents[3]


def worker(*extra: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "DJANGO_SETTINGS_MODULE": "commonweal.notifications.tests.worker_settings",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, timeout: float = 900) -> bool:
    """Poll until true; generous, because a loaded CI machine is slow (this is not a timing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_resumed_and_nobody_is_told_twice(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and a real worker process")
    Member.objects.bulk_create(
        [
            Member(
                email=f"m{i}@fanout.test",
                full_name=f"Member {i}",
                unit=(org.leeds, org.york, org.brighton)[i % 3],
                status=Member.Status.MEMBER,
                password="!",
            )
            for i in range(MEMBERS)
        ],
        batch_size=5000,
    )
    event = notify(kind="vote.opened", title="Everyone", units=[org.nation])
    first = worker()
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

    second = worker()
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
    assert EmailDelivery.objects.filter(event=event).count() == MEMBERS
