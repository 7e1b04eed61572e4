"""Who an event reaches: exactly the members in scope, nobody outside, nobody missed."""

import pytest

from commonweal.members.models import Member
from commonweal.notifications.models import Notification
from commonweal.notifications.services import notify
from commonweal.organisation.services import body_membership_add

pytestmark = pytest.mark.django_db


def told(event) -> set[int]:
    return set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))


@pytest.fixture
def people(org, make_member):
    p = {
        "leeds": make_member(unit=org.leeds),
        "york": make_member(unit=org.york),
        "brighton": make_member(unit=org.brighton),
        "leeds_applicant": make_member(unit=org.leeds, status=Member.Status.APPLICANT),
        "leeds_suspended": make_member(unit=org.leeds, status=Member.Status.SUSPENDED),
        "leeds_left": make_member(unit=org.leeds, status=Member.Status.LEFT),
        "leeds_inactive": make_member(unit=org.leeds, is_active=False),
    }
    return p


def test_a_region_reaches_its_branches_and_no_other(org, people, run_worker):
    event = notify(kind="meeting.called", title="North assembly", units=[org.north])
    run_worker()
    assert told(event) == {people["leeds"].pk, people["york"].pk}


def test_the_nation_reaches_every_member_in_good_standing(org, people, run_worker):
    event = notify(kind="news.published", title="Congress", units=[org.nation])
    run_worker()
    assert told(event) == {people["leeds"].pk, people["york"].pk, people["brighton"].pk}


@pytest.mark.parametrize(
    "who", ["leeds_applicant", "leeds_suspended", "leeds_left", "leeds_inactive"]
)
def test_applicants_suspended_former_and_inactive_members_are_not_told(
    org, people, run_worker, who
):
    event = notify(kind="decision.recorded", title="Leeds decision", units=[org.leeds])
    run_worker()
    assert people[who].pk not in told(event)
    assert told(event) == {people["leeds"].pk}


def test_a_body_reaches_its_current_members_only(org, people, run_worker):
    body_membership_add(body=org.transport, member=people["brighton"])
    body_membership_add(body=org.transport, member=people["york"])
    suspended = people["leeds_suspended"]
    Member.objects.filter(pk=suspended.pk).update(status=Member.Status.MEMBER)
    suspended.refresh_from_db()
    body_membership_add(body=org.transport, member=suspended)
    Member.objects.filter(pk=suspended.pk).update(status=Member.Status.SUSPENDED)
    people["york"].body_memberships.update(until="2026-01-01")
    event = notify(kind="policy.scoped", title="Transport scoping", bodies=[org.transport])
    run_worker()
    assert told(event) == {people["brighton"].pk}


def test_named_members_bodies_and_units_together_tell_each_person_once(org, people, run_worker):
    body_membership_add(body=org.transport, member=people["leeds"])
    event = notify(
        kind="vote.opened",
        title="Vote",
        members=[people["brighton"], people["leeds"].pk],
        bodies=[org.transport],
        units=[org.leeds, org.north],
    )
    run_worker()
    assert Notification.objects.filter(event=event).count() == 3
    assert told(event) == {people["leeds"].pk, people["york"].pk, people["brighton"].pk}


def test_running_the_fan_out_again_tells_nobody_twice(org, people, run_worker):
    from commonweal.notifications.models import Event
    from commonweal.notifications.tasks import fan_out_event

    event = notify(kind="news.published", title="Again", units=[org.nation])
    run_worker()
    Event.objects.filter(pk=event.pk).update(fanned_out_at=None, fan_out_after=0)
    fan_out_event.call(event.pk)
    assert Notification.objects.filter(event=event).count() == 3


def test_the_fan_out_walks_in_batches_and_keeps_its_checkpoint(
    org, make_member, run_worker, settings
):
    settings.NOTIFICATIONS_FAN_OUT_BATCH = 2
    members = [make_member(unit=org.york) for _ in range(5)]
    event = notify(kind="news.published", title="Batches", units=[org.york])
    run_worker()
    event.refresh_from_db()
    assert told(event) == {m.pk for m in members}
    assert event.fan_out_after == max(m.pk for m in members)
    assert event.recipient_count == 5
    assert event.fanned_out_at is not None
