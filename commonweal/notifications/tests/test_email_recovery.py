"""Emails a dead worker had claimed are put back and sent; nothing else is touched."""

from datetime import timedelta

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from commonweal.notifications.models import EmailDelivery, EmailStatus, Notification
from commonweal.notifications.services import notify
from commonweal.notifications.tasks import (
    email_lease,
    fan_out_event,
    recover_emails,
    send_digests,
)

pytestmark = pytest.mark.django_db


def to(outbox, member):
    return [m for m in outbox if m.to == [member.email]]


def claimed_ago(rows, age: timedelta, *, digest: bool = False) -> None:
    """What a worker killed after claiming these rows leaves behind."""
    if digest:
        rows.update(status=EmailStatus.SENDING, claimed_at=timezone.now() - age)
    else:
        rows.update(email=EmailStatus.SENDING, email_claimed_at=timezone.now() - age)


def test_an_email_claimed_longer_ago_than_the_lease_is_sent_once_and_a_fresh_one_left(
    org, make_member, run_worker, outbox, caplog
):
    lost = make_member(unit=org.leeds)
    busy = make_member(unit=org.leeds)
    event = notify(kind="vote.opened", title="Vote on the bus campaign", units=[org.leeds])
    fan_out_event.call(event.pk)
    claimed_ago(Notification.objects.filter(recipient=lost), email_lease() + timedelta(minutes=1))
    claimed_ago(Notification.objects.filter(recipient=busy), email_lease() - timedelta(minutes=1))
    run_worker()
    assert outbox == []

    assert recover_emails.call() == {"event_emails": 1, "digests": 0}
    assert "Recovered 1 event emails and 0 digests" in caplog.text
    run_worker()
    assert recover_emails.call() == {"event_emails": 0, "digests": 0}
    run_worker()

    [message] = outbox
    assert message.to == [lost.email]
    assert message.subject == "Vote on the bus campaign"
    mine = Notification.objects.get(recipient=lost)
    assert mine.email == EmailStatus.SENT
    assert mine.email_claimed_at is not None
    assert Notification.objects.get(recipient=busy).email == EmailStatus.SENDING


def test_a_digest_claimed_longer_ago_than_the_lease_is_sent_once(
    org, make_member, run_worker, outbox
):
    member = make_member(unit=org.leeds)
    notify(kind="decision.recorded", title="The bus campaign is decided", units=[org.leeds])
    run_worker()
    send_digests.call("daily")
    claimed_ago(EmailDelivery.objects.all(), email_lease() + timedelta(minutes=1), digest=True)
    run_worker()
    assert outbox == []

    assert recover_emails.call() == {"event_emails": 0, "digests": 1}
    run_worker()
    recover_emails.call()
    run_worker()

    [digest] = to(outbox, member)
    assert "The bus campaign is decided" in digest.body
    assert EmailDelivery.objects.get(recipient=member).status == EmailStatus.SENT


def test_sent_and_failed_emails_are_never_touched_however_old_their_claim(
    org, make_member, run_worker, outbox
):
    sent = make_member(unit=org.leeds)
    failed = make_member(unit=org.leeds)
    notify(kind="vote.opened", title="Vote", units=[org.leeds])
    run_worker()
    Notification.objects.filter(recipient=failed).update(
        email=EmailStatus.FAILED, email_error="550 mailbox unavailable"
    )
    a_day_ago = timezone.now() - timedelta(days=1)
    Notification.objects.update(email_claimed_at=a_day_ago)
    emailed_at = Notification.objects.get(recipient=sent).emailed_at
    outbox.clear()

    assert recover_emails.call() == {"event_emails": 0, "digests": 0}
    run_worker()

    assert outbox == []
    mine = Notification.objects.get(recipient=sent)
    assert (mine.email, mine.emailed_at, mine.email_claimed_at) == (
        EmailStatus.SENT,
        emailed_at,
        a_day_ago,
    )
    assert Notification.objects.get(recipient=failed).email == EmailStatus.FAILED


class RecoveringBackend(EmailBackend):
    """The test outbox, with the clock's recovery running while each message goes out."""

    recovered: list[dict] = []

    def send_messages(self, messages):
        RecoveringBackend.recovered.append(recover_emails.call())
        return super().send_messages(messages)


def test_a_batch_being_sent_is_left_to_its_worker(org, make_member, run_worker, outbox, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RecoveringBackend"
    RecoveringBackend.recovered = []
    members = [make_member(unit=org.leeds) for _ in range(3)]
    notify(kind="vote.opened", title="Vote", units=[org.leeds])
    run_worker()
    assert RecoveringBackend.recovered == [{"event_emails": 0, "digests": 0}] * 3
    assert [len(to(outbox, member)) for member in members] == [1, 1, 1]


def test_a_range_larger_than_a_batch_is_sent_batch_after_batch_once_each(
    org, make_member, run_worker, outbox, settings
):
    settings.NOTIFICATIONS_EMAIL_BATCH = 2
    members = [make_member(unit=org.leeds) for _ in range(5)]
    notify(kind="vote.opened", title="Vote", units=[org.leeds])
    notify(kind="decision.recorded", title="Decided", units=[org.leeds])
    run_worker()
    send_digests.call("daily")
    run_worker()
    assert [len(to(outbox, member)) for member in members] == [2] * 5
    assert not Notification.objects.exclude(email__in=["", EmailStatus.SENT]).exists()
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
