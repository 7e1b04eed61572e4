"""Email by preference: immediate, digests, never; mutes; failures that do not stop the worker."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from commonweal.core import clock
from commonweal.core.errors import Refused
from commonweal.notifications.models import EmailStatus, Notification
from commonweal.notifications.services import notify, preferences_set, thread_mute

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def to(outbox, member):
    return [m for m in outbox if m.to == [member.email]]


def test_an_immediate_category_sends_one_email_with_text_and_unsubscribe(
    org, make_member, run_worker, outbox
):
    member = make_member(unit=org.leeds)
    notify(
        kind="vote.opened", title="Vote on the bus campaign", link="/votes/1/", units=[org.leeds]
    )
    run_worker()
    run_worker()
    [message] = to(outbox, member)
    assert message.subject == "Vote on the bus campaign"
    assert "http://127.0.0.1:8000/votes/1/" in message.body
    assert message.alternatives
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/notifications/unsubscribe/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(recipient=member).email == EmailStatus.SENT


def test_a_digest_category_sends_nothing_straight_away(org, make_member, run_worker, outbox):
    member = make_member(unit=org.leeds)
    notify(kind="decision.recorded", title="Decision", units=[org.leeds])
    run_worker()
    assert to(outbox, member) == []
    assert Notification.objects.get(recipient=member).delivery == "daily"


def test_never_means_in_the_app_only(org, make_member, run_worker, outbox):
    member = make_member(unit=org.leeds)
    preferences_set(member=member, choices={"votes": "never"})
    notify(kind="vote.opened", title="Vote", units=[org.leeds])
    run_worker()
    assert to(outbox, member) == []
    assert Notification.objects.filter(recipient=member, read_at=None).count() == 1


def test_a_muted_thread_sends_no_email_and_does_not_count_as_unread(
    org, make_member, run_worker, outbox
):
    member = make_member(unit=org.leeds)
    other = make_member(unit=org.leeds)
    thread_mute(member=member, thread="policy.proposal:7")
    notify(kind="vote.opened", title="Vote", units=[org.leeds], thread="policy.proposal:7")
    run_worker()
    assert to(outbox, member) == []
    assert len(to(outbox, other)) == 1
    mine = Notification.objects.get(recipient=member)
    assert mine.muted
    assert mine.read_at is not None


def test_the_daily_digest_holds_exactly_the_members_daily_items(
    org, make_member, run_worker, outbox
):
    member = make_member(unit=org.leeds)
    other = make_member(unit=org.york)
    preferences_set(member=member, choices={"policy": "weekly", "news": "daily"})
    with clock.frozen(MONDAY):
        notify(kind="decision.recorded", title="Decision A", units=[org.leeds])
        notify(kind="minutes.approved", title="Minutes B", units=[org.north])
        notify(kind="news.published", title="News C", units=[org.leeds])
        notify(kind="policy.launched", title="Policy D (weekly)", units=[org.leeds])
        notify(kind="vote.opened", title="Vote E (immediate)", units=[org.leeds])
        notify(kind="decision.recorded", title="York only F", units=[org.york])
        notify(kind="discussion.posted", title="Muted G", units=[org.leeds], thread="discussion:1")
        thread_mute(member=member, thread="discussion:1")
        run_worker()
        outbox.clear()
        call_command("send_digests", "daily", verbosity=0)
        run_worker()
    [digest] = to(outbox, member)
    assert digest.subject == "Your daily digest: 3 new"
    for title in ("Decision A", "Minutes B", "News C"):
        assert title in digest.body
    for title in ("Policy D", "Vote E", "York only F", "Muted G"):
        assert title not in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [other_digest] = to(outbox, other)
    assert "York only F" in other_digest.body
    assert "Decision A" not in other_digest.body


def test_a_second_digest_run_sends_only_what_is_new(org, make_member, run_worker, outbox):
    member = make_member(unit=org.leeds)
    with clock.frozen(MONDAY):
        notify(kind="decision.recorded", title="First", units=[org.leeds])
        run_worker()
        call_command("send_digests", "daily", verbosity=0)
        run_worker()
    with clock.frozen(MONDAY.replace(day=24)):
        notify(kind="decision.recorded", title="Second", units=[org.leeds])
        run_worker()
        call_command("send_digests", "daily", verbosity=0)
        call_command("send_digests", "daily", verbosity=0)
        run_worker()
    first, second = to(outbox, member)
    assert "First" in first.body
    assert "Second" not in first.body
    assert "Second" in second.body
    assert "First" not in second.body


def test_the_weekly_digest_ignores_daily_items(org, make_member, run_worker, outbox):
    member = make_member(unit=org.leeds)
    with clock.frozen(MONDAY):
        notify(kind="decision.recorded", title="Daily thing", units=[org.leeds])
        notify(kind="news.published", title="Weekly thing", units=[org.leeds])
        run_worker()
        call_command("send_digests", "weekly", verbosity=0)
        run_worker()
    [weekly] = to(outbox, member)
    assert "Weekly thing" in weekly.body
    assert "Daily thing" not in weekly.body


def test_an_unknown_category_or_choice_is_refused(org, make_member):
    member = make_member(unit=org.leeds)
    with pytest.raises(Refused):
        preferences_set(member=member, choices={"gossip": "daily"})
    with pytest.raises(Refused):
        preferences_set(member=member, choices={"votes": "hourly"})
    with pytest.raises(Refused):
        preferences_set(member=member, choices={"alerts": "daily"})


class FlakyBackend:
    """An SMTP stand-in that bounces one address and delivers the rest."""

    sent: list = []

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            if "bounce" in message.to[0]:
                raise OSError("550 mailbox unavailable")
            FlakyBackend.sent.append(message)
        return len(messages)


class DeadBackend(FlakyBackend):
    def open(self):
        raise ConnectionRefusedError("SMTP server down")


def test_a_bounce_is_recorded_and_the_others_still_go(org, make_member, run_worker, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.sent = []
    good = make_member(unit=org.leeds)
    bad = make_member(unit=org.leeds, email="bounce@example.org")
    also_good = make_member(unit=org.leeds)
    notify(kind="vote.opened", title="Vote", units=[org.leeds])
    run_worker()
    assert sorted(m.to[0] for m in FlakyBackend.sent) == sorted([good.email, also_good.email])
    failed = Notification.objects.get(recipient=bad)
    assert failed.email == EmailStatus.FAILED
    assert "550" in failed.email_error
    notify(kind="vote.opened", title="Next vote", units=[org.leeds])
    run_worker()
    assert len(FlakyBackend.sent) == 4


def test_a_dead_mail_server_fails_the_batch_without_crashing_the_worker(
    org, make_member, run_worker, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.DeadBackend"
    make_member(unit=org.leeds)
    make_member(unit=org.leeds)
    notify(kind="vote.opened", title="Vote", units=[org.leeds])
    run_worker()
    rows = Notification.objects.all()
    assert {r.email for r in rows} == {EmailStatus.FAILED}
    assert all("SMTP server down" in r.email_error for r in rows)
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.failed().exists()


def test_an_email_row_is_sent_once_even_if_its_task_runs_twice(
    org, make_member, run_worker, outbox
):
    from commonweal.notifications.tasks import send_event_emails

    member = make_member(unit=org.leeds)
    event = notify(kind="vote.opened", title="Vote", units=[org.leeds])
    run_worker()
    send_event_emails.call(event.pk, 0, member.pk)
    assert len(to(outbox, member)) == 1
