"""Attendance, quorum and the speakers' list."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.meetings import selectors, services
from commonweal.meetings.models import AgendaItem, Attendance, SpeakerRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(meeting):
    return list(selectors.participants(meeting).order_by("pk"))


def test_quorum_is_the_rulebooks_share_of_the_bodys_members(meeting, members):
    status = selectors.quorum_status(meeting)
    assert (status["entitled"], status["needed"], status["reached"]) == (5, 1, False)
    services.attendance_register(meeting=meeting, member=members[0])
    assert selectors.quorum_status(meeting)["reached"]
    services.attendance_leave(meeting=meeting, member=members[0])
    assert not selectors.quorum_status(meeting)["reached"]


def test_econference_quorum_counts_the_members_in_scope(org, econference, make_member):
    for unit in (org.leeds, org.york, org.brighton):
        for _ in range(4):
            make_member(unit=unit)
    status = selectors.quorum_status(econference)
    # 12 members plus the chair, all in the nation's scope; 10% of 13 rounds up to 2.
    assert (status["entitled"], status["needed"]) == (13, 2)


def test_a_non_member_of_the_body_cannot_join_its_meeting(org, meeting, make_member):
    outsider = make_member(unit=org.leeds)
    with pytest.raises(NotPermitted, match="Only members of National Committee"):
        services.attendance_register(meeting=meeting, member=outsider)
    assert not Attendance.objects.exists()


def test_a_member_outside_the_scope_cannot_join_a_regional_econference(
    org, make_member, make_officer, now
):
    from commonweal.organisation.models import Body
    from commonweal.organisation.services import body_create

    north = body_create(name="North Committee", kind=Body.Kind.LEADERSHIP, unit=org.north)
    meeting = services.econference_call(
        body=north,
        title="North",
        opens_at=now,
        closes_at=now + timedelta(days=1),
        called_by=make_officer(body=north, unit=org.york),
    )
    with pytest.raises(NotPermitted, match="scope"):
        services.attendance_register(meeting=meeting, member=make_member(unit=org.brighton))
    services.attendance_register(meeting=meeting, member=make_member(unit=org.leeds))
    assert Attendance.objects.count() == 1


def test_nobody_joins_before_the_opening_or_after_the_close(meeting, members, chair, now):
    with clock.frozen(now - timedelta(minutes=5)), pytest.raises(Conflict, match="not opened"):
        services.attendance_register(meeting=meeting, member=members[1])
    services.meeting_close(meeting=meeting, closed_by=chair)
    with pytest.raises(Conflict, match="closed"):
        services.attendance_register(meeting=meeting, member=members[1])
    assert not Attendance.objects.exists()


def test_registering_twice_is_refused(meeting, members):
    services.attendance_register(meeting=meeting, member=members[1])
    with pytest.raises(Conflict, match="already"):
        services.attendance_register(meeting=meeting, member=members[1])


def item_of(meeting, chair):
    return services.agenda_item_add(meeting=meeting, kind="motion", title="Item", added_by=chair)


def test_speakers_who_have_not_spoken_go_first_and_time_is_recorded(meeting, members, chair, now):
    item = item_of(meeting, chair)
    a, b, c = members[1:4]
    for m in (a, b, c):
        services.attendance_register(meeting=meeting, member=m)
    services.speaker_request(item=item, member=a)
    with clock.frozen(now + timedelta(minutes=1)):
        services.speaker_request(item=item, member=b)
        assert services.speaker_next(item=item, chair=chair).member == a
    with clock.frozen(now + timedelta(minutes=3)):
        services.speaker_stop(item=item, chair=chair)
        services.speaker_request(item=item, member=a)
    with clock.frozen(now + timedelta(minutes=4)):
        services.speaker_request(item=item, member=c)
    assert [t.member for t in selectors.speakers_queue(item)] == [b, c, a]
    with clock.frozen(now + timedelta(minutes=5)):
        assert services.speaker_next(item=item, chair=chair).member == b
    done = selectors.speakers_done(item).get()
    assert (done.member, done.seconds) == (a, 120)


def test_asking_to_speak_needs_presence_and_only_once(meeting, members, chair):
    item = item_of(meeting, chair)
    with pytest.raises(Refused, match="present"):
        services.speaker_request(item=item, member=members[1])
    services.attendance_register(meeting=meeting, member=members[1])
    services.speaker_request(item=item, member=members[1])
    with pytest.raises(Conflict, match="already on the speakers"):
        services.speaker_request(item=item, member=members[1])
    assert SpeakerRequest.objects.count() == 1


def test_only_the_chair_gives_the_floor(meeting, members, chair):
    item = item_of(meeting, chair)
    with pytest.raises(NotPermitted):
        services.speaker_next(item=item, chair=members[1])
    with pytest.raises(Conflict, match="Nobody is speaking"):
        services.speaker_stop(item=item, chair=chair)


actions = st.lists(
    st.one_of(
        st.tuples(st.just("ask"), st.integers(0, 2)),
        st.tuples(st.just("next"), st.just(0)),
        st.tuples(st.just("withdraw"), st.integers(0, 2)),
    ),
    max_size=15,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=actions)
def test_nobody_who_has_spoken_precedes_someone_who_has_not(meeting, members, chair, now, steps):
    item = item_of(meeting, chair)
    for m in members:
        Attendance.objects.get_or_create(meeting=meeting, member=m, defaults={"arrived_at": now})
    spoken: set[int] = set()
    speaking = None
    for minute, (action, who) in enumerate(steps, start=1):
        member = members[who]
        with clock.frozen(now + timedelta(minutes=minute)):
            try:
                if action == "ask":
                    services.speaker_request(item=item, member=member)
                elif action == "withdraw":
                    services.speaker_withdraw(item=item, member=member)
                else:
                    if speaking is not None:
                        spoken.add(speaking)
                    turn = services.speaker_next(item=item, chair=chair)
                    speaking = turn.member_id if turn else None
            except Conflict:
                pass
        queue = selectors.speakers_queue(item)
        flags = [t.member_id in spoken for t in queue]
        assert flags == sorted(flags), "someone who has spoken is ahead of someone who has not"
        assert [t.has_spoken for t in queue] == flags
        for group in (True, False):
            times = [t.requested_at for t in queue if (t.member_id in spoken) is group]
            assert times == sorted(times)
    AgendaItem.objects.filter(pk=item.pk).delete()
