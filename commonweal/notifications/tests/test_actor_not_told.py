"""Nobody is told of what they did themselves; everyone else in scope still is.

Issue 13, defect 4: a member who proposed, scheduled a meeting, published news or sent an
alert found it among their own notifications (and in their email).
"""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.meetings.services import meeting_schedule
from commonweal.news.services import news_publish
from commonweal.notifications.models import Notification
from commonweal.notifications.services import notify, urgent_alert_send
from commonweal.organisation.services import body_membership_add
from commonweal.policy.services import proposal_create

pytestmark = pytest.mark.django_db


def told(event) -> set[int]:
    return set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))


def told_of(kind: str) -> set[int]:
    return set(Notification.objects.filter(event__kind=kind).values_list("recipient_id", flat=True))


@pytest.fixture
def section(org, make_member):
    """The transport section with three ordinary members."""
    members = [make_member(unit=unit) for unit in (org.leeds, org.york, org.brighton)]
    for member in members:
        body_membership_add(body=org.transport, member=member)
    return members


def test_a_proposer_is_not_told_of_their_own_proposal(org, section, run_worker):
    author, *others = section
    proposal_create(author=author, section=org.transport, title="Free buses", text="Because.")
    run_worker()
    assert told_of("policy.proposed") == {m.pk for m in others}


def test_an_officer_is_not_told_of_the_meeting_they_scheduled(
    org, section, make_officer, run_worker
):
    chair = make_officer(body=org.transport, unit=org.leeds)
    opens = clock.now() + timedelta(days=7)
    meeting_schedule(
        body=org.transport,
        kind="in_person",
        title="Section meeting",
        opens_at=opens,
        closes_at=opens + timedelta(hours=2),
        scheduled_by=chair,
        place="Leeds",
    )
    run_worker()
    assert told_of("meeting.scheduled") == {m.pk for m in section}


def test_an_officer_is_not_told_of_their_own_news_or_alert(
    org, make_member, make_officer, run_worker
):
    officer = make_officer(of=org.leeds)
    members = {make_member(unit=org.leeds).pk, make_member(unit=org.leeds).pk}
    news_publish(author=officer, title="Branch news", body="We met.", unit=org.leeds)
    urgent_alert_send(unit=org.leeds, title="Flood", text="Stay home.", sent_by=officer)
    run_worker()
    assert told_of("news.published") == members
    assert told_of("alert.urgent") == members


def test_only_the_actor_is_left_out(org, make_member, run_worker):
    leeds = [make_member(unit=org.leeds) for _ in range(3)]
    york = make_member(unit=org.york)
    acted = notify(kind="vote.opened", title="Vote", units=[org.north], actor=leeds[0])
    # Named as well as in scope: still the actor, still not told.
    named = notify(kind="vote.opened", title="Vote", members=[leeds[1]], actor=leeds[1])
    platform = notify(kind="vote.closed", title="Vote", units=[org.north])
    run_worker()
    assert told(acted) == {leeds[1].pk, leeds[2].pk, york.pk}
    assert told(named) == set()
    assert told(platform) == {m.pk for m in leeds} | {york.pk}
