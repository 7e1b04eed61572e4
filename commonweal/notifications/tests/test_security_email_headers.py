"""A line break in a title reaches no email header: every recipient still gets their email.

Django refuses a header with a line break in it. An event's title (often built from a
member's name) is every recipient's subject, so one line break failed the email for all
of them.
"""

import pytest

from commonweal.notifications.models import EmailStatus, Event, Notification
from commonweal.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_a_title_with_a_line_break_is_sent_to_every_recipient_on_one_line(
    org, make_member, run_worker, outbox
):
    members = [make_member(unit=org.leeds) for _ in range(3)]

    notify(kind="vote.opened", title="Vote on buses\r\nBcc: all@example.org", units=[org.leeds])
    run_worker()

    assert sorted(m.to[0] for m in outbox) == sorted(m.email for m in members)
    assert {m.subject for m in outbox} == {"Vote on buses Bcc: all@example.org"}
    assert not any(m.bcc for m in outbox)
    assert set(Notification.objects.values_list("email", flat=True)) == {EmailStatus.SENT}


def test_an_event_stored_with_a_line_break_before_the_fix_still_reaches_everyone(
    org, make_member, run_worker, outbox
):
    members = [make_member(unit=org.leeds) for _ in range(3)]
    event = notify(kind="vote.opened", title="placeholder", units=[org.leeds])
    Event.objects.filter(pk=event.pk).update(title="Ann\nSmith opened a vote")

    run_worker()

    assert sorted(m.to[0] for m in outbox) == sorted(m.email for m in members)
    assert {m.subject for m in outbox} == {"Ann Smith opened a vote"}
    assert set(Notification.objects.values_list("email", flat=True)) == {EmailStatus.SENT}
