import random

import pytest

from commonweal.core.demo import DemoContext
from commonweal.notifications import demo
from commonweal.notifications.models import Event, Notification
from commonweal.notifications.selectors import is_muted, preferences_of, unread_count

pytestmark = pytest.mark.django_db


def test_the_demo_member_has_unread_news_of_several_kinds_a_digest_a_mute_and_an_alert():
    from commonweal.discussion import demo as discussion_demo
    from commonweal.members import demo as members_demo
    from commonweal.organisation import demo as organisation_demo

    ctx = DemoContext(seed=1, members=200, rng=random.Random(1))
    organisation_demo.load(ctx)
    members_demo.load(ctx)
    discussion_demo.load(ctx)
    demo.load(ctx)
    member = ctx.people["member"]
    mine = Notification.objects.filter(recipient=member).select_related("event")
    unread = {n.event.category for n in mine if n.read_at is None}
    assert {"alerts", "votes", "meetings", "decisions", "news", "discussion"} <= unread
    assert unread_count(member) >= 6
    assert mine.filter(event__urgent=True, event__kind="alert.urgent").exists()
    choices = {c.key: delivery for c, delivery in preferences_of(member)}
    assert choices["votes"] == "daily"
    assert choices["discussion"] == "weekly"
    [muted] = [n for n in mine if n.muted]
    assert is_muted(member, muted.event.thread)
    assert muted.event.thread.startswith("discussion:")
    # Every Leeds member but the officer who sent it.
    sender = Event.objects.get(kind="alert.urgent").actor_id
    leeds = ctx.units["leeds"].members.filter(status="member").exclude(pk=sender).count()
    assert Notification.objects.filter(event__kind="alert.urgent").count() == leeds
