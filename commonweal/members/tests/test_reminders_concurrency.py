"""Sweeps running at the same moment on two workers tell people once (real threads on
PostgreSQL: the second insert of a reminder waits for the first and then fails)."""

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from commonweal.core import clock
from commonweal.members import services
from commonweal.members.services.reminders import applications_sweep
from commonweal.notifications.models import Event, Reminder

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APPLIED = date(2027, 1, 4)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")


def test_four_sweeps_at_once_escalate_an_application_once(org, make_officer):
    make_officer(org.leeds)
    make_officer(org.north)
    with clock.frozen(timezone.make_aware(datetime.combine(APPLIED, time(9)))):
        services.member_apply(
            email="ana@example.org",
            full_name="Ana Costa",
            unit=org.leeds,
            password="correct horse battery",
        )
    n = 4
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(applications_sweep())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    late = timezone.make_aware(datetime.combine(APPLIED + timedelta(days=15), time(12)))
    with clock.frozen(late):
        threads = [threading.Thread(target=run) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert sum(r["escalated"] for r in results) == 1
    assert Reminder.objects.filter(step="escalation").count() == 1
    assert Event.objects.filter(kind="membership.application_overdue").count() == 1
