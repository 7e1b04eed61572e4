"""Demo notifications: the demo member finds unread news of several kinds, a digest
choice, a muted debate and an urgent alert from their branch waiting for them.

The events go through `notify` and the real fan-out (run here, not left for the
worker, so they are there at first sign-in); their emails are marked as sent
because in the demo's story they went out when each thing happened.
"""

from datetime import timedelta

from django.urls import reverse

from commonweal.core import clock

from . import services
from .models import EmailStatus, Event, Notification
from .tasks import fan_out_event

# (hours ago, kind, title, url name, thread)
TOLD = [
    (
        50,
        "policy.support_reached",
        "The proposal on free local buses reached its support threshold",
        "policy:board",
        "",
    ),
    (
        30,
        "decision.recorded",
        "Leeds branch decided to join the tenants' union march",
        "decisions:register",
        "",
    ),
    (
        20,
        "meeting.called",
        "E-conference called: approving the public transport policy",
        "meetings:list",
        "",
    ),
    (8, "vote.opened", "Ballot open: Leeds delegate to the national conference", "voting:list", ""),
    (5, "news.published", "Conference dates announced", "news:list", ""),
    (
        3,
        "discussion.reply",
        "Maya Singh answered you in the transport debate",
        "discussion:list",
        "*",
    ),
    (
        2,
        "discussion.debate_opened",
        "New debate: how do we fund free buses?",
        "discussion:list",
        "",
    ),
]


def _debate_thread() -> str:
    """The transport debate the discussion demo opened (its thread is what gets muted)."""
    event = Event.objects.filter(thread__startswith="discussion:").order_by("pk").first()
    return event.thread if event else "discussion:1"


def load(ctx) -> None:
    member = ctx.people["member"]
    leeds = ctx.units["leeds"]
    now = clock.now()
    thread = _debate_thread()
    services.preferences_set(member=member, choices={"votes": "daily", "discussion": "weekly"})
    services.thread_mute(member=member, thread=thread)
    events = []
    for hours, kind, title, url, event_thread in TOLD:
        with clock.frozen(now - timedelta(hours=hours)):
            events.append(
                services.notify(
                    kind=kind,
                    title=title,
                    link=reverse(url),
                    members=[member, ctx.people["leeds_secretary"]],
                    thread=thread if event_thread == "*" else "",
                )
            )
    sender = ctx.people["leeds_secretary"]
    if not sender.has_perm("notifications.send_alert", leeds):
        sender = ctx.people["admin"]
    with clock.frozen(now - timedelta(minutes=40)):
        alert = services.urgent_alert_send(
            unit=leeds,
            title="Picket at the bus depot moved to 6 am",
            text="The strike committee asks us to be at the Kirkstall Road depot at 6 am, "
            "not 7. Bring the branch banner.",
            sent_by=sender,
        )
    events.append(alert)
    for event in events:
        fan_out_event.call(event.pk)
    Notification.objects.filter(event__in=events, email=EmailStatus.PENDING).update(
        email=EmailStatus.SENT, emailed_at=now
    )
    oldest = Notification.objects.filter(recipient=member, event=events[0]).first()
    if oldest is not None:
        services.notification_mark_read(member=member, notification_id=oldest.pk)
    ctx.say(
        f"  notifications: {len(events)} events for {member.email} "
        f"(an urgent alert to {leeds}, a muted debate, daily and weekly digests)"
    )
