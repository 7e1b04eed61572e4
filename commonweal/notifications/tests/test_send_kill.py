"""A real worker killed (SIGKILL) in the middle of sending emails; recovery sends the rest.

The worker's mail server stand-in writes each message to a file and hangs at one address,
in the sixth batch of 50, where the test kills the worker. The batch it had claimed stays
"sending"; the test moves those claims back past the lease instead of waiting it out, the
platform's clock enqueues the recovery, and a new worker sends what is left. Killed before
the server took the message, every email arrives exactly once; killed after it took the
message and before the worker marked it sent, that one message, and no other, arrives twice.
"""

import io
import signal
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from commonweal.core.tests.processes import many_members, start_worker, wait_for
from commonweal.notifications.models import EmailDelivery, EmailStatus, Notification
from commonweal.notifications.services import notify
from commonweal.notifications.tasks import email_lease, fan_out_event, send_digests

from .stalling_mail import delivered

MEMBERS = 500
WORKER_SETTINGS = "commonweal.notifications.tests.send_kill_settings"


def kill_at_the_stall(mail, monkeypatch, *, stall: str) -> None:
    """Start a worker that hangs as `stall` says, and SIGKILL it there."""
    monkeypatch.setenv("COMMONWEAL_TEST_MAIL_DIR", str(mail))
    monkeypatch.setenv("COMMONWEAL_TEST_STALL", stall)
    worker = start_worker(settings_module=WORKER_SETTINGS)
    try:
        assert wait_for(lambda: (mail / "stalled").exists()), "the worker never reached the stall"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()


def recover_and_finish(claims, claimed_at: str, done) -> None:
    """Move the dead worker's claims past the lease, run the clock and a new worker until done."""
    claims.update(**{claimed_at: timezone.now() - email_lease() - timedelta(minutes=1)})
    call_command("schedule", stdout=io.StringIO())
    worker = start_worker(settings_module=WORKER_SETTINGS)
    try:
        assert wait_for(done)
    finally:
        worker.kill()
        worker.wait(timeout=30)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_leaves_no_email_unsent_and_none_sent_twice(
    org, tmp_path, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and a real worker process")
    many_members([org.leeds, org.york, org.brighton], MEMBERS, "send.test")
    event = notify(kind="vote.opened", title="Vote on the bus campaign", units=[org.nation])
    fan_out_event.call(event.pk)
    emails = Notification.objects.filter(event=event).exclude(email="")
    addresses = list(emails.order_by("recipient_id").values_list("recipient__email", flat=True))
    assert len(addresses) >= MEMBERS

    kill_at_the_stall(tmp_path, monkeypatch, stall=f"before:{addresses[275]}")
    sent = set(emails.filter(email=EmailStatus.SENT).values_list("recipient__email", flat=True))
    claims = emails.filter(email=EmailStatus.SENDING)
    assert 0 < len(sent) < len(addresses), "the kill did not fall in the middle of the sending"
    assert claims.filter(recipient__email=addresses[275]).exists()
    assert emails.filter(email=EmailStatus.PENDING).exists()
    assert delivered(tmp_path) == Counter(sent), "every message taken was marked sent"

    recover_and_finish(
        claims, "email_claimed_at", lambda: not emails.exclude(email=EmailStatus.SENT).exists()
    )
    assert delivered(tmp_path) == Counter(addresses)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_between_the_server_and_the_status_sends_that_one_digest_twice(
    org, tmp_path, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and a real worker process")
    many_members([org.leeds, org.york, org.brighton], MEMBERS, "digest-send.test")
    event = notify(kind="policy.published", title="A policy is published", units=[org.nation])
    fan_out_event.call(event.pk)
    send_digests.call("daily")
    digests = EmailDelivery.objects.all()
    addresses = list(digests.order_by("recipient_id").values_list("recipient__email", flat=True))
    assert len(addresses) >= MEMBERS
    twice = addresses[275]

    kill_at_the_stall(tmp_path, monkeypatch, stall=f"after:{twice}")
    claims = digests.filter(status=EmailStatus.SENDING)
    assert claims.filter(recipient__email=twice).exists()
    assert delivered(tmp_path)[twice] == 1

    recover_and_finish(
        claims, "claimed_at", lambda: not digests.exclude(status=EmailStatus.SENT).exists()
    )
    assert delivered(tmp_path) == Counter(addresses) + Counter([twice])
