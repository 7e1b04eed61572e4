"""Meetings fixtures: an organisation with a chaired, minuted national leadership."""

from datetime import UTC, datetime, timedelta

import pytest

from commonweal.core import clock

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def now():
    with clock.frozen(NOW):
        yield NOW


@pytest.fixture
def chair(org, make_officer):
    return make_officer(body=org.leadership, role="chair", unit=org.leeds)


@pytest.fixture
def secretary(org, make_officer):
    return make_officer(body=org.leadership, role="secretary", unit=org.york)


@pytest.fixture
def econference(org, chair, now):
    from commonweal.meetings.services import econference_call

    return econference_call(
        body=org.leadership,
        title="Spring e-conference",
        opens_at=now,
        closes_at=now + timedelta(days=3),
        video_url="https://meet.jit.si/spring-econference",
        called_by=chair,
    )


@pytest.fixture
def join(org):
    """Add a member to a body (the meeting's participants)."""
    from commonweal.organisation.services import body_membership_add

    def add(member, body=None):
        body_membership_add(body=body or org.leadership, member=member)
        return member

    return add


@pytest.fixture
def section_meeting(org, make_officer, now):
    """A meeting of the transport section, whose minutes also go to the leadership."""
    from commonweal.meetings import services

    chair = make_officer(body=org.transport, role="chair", unit=org.leeds)
    secretary = make_officer(body=org.transport, role="secretary", unit=org.york)
    meeting = services.meeting_schedule(
        body=org.transport,
        kind="in_person",
        title="Section meeting",
        opens_at=now,
        closes_at=now + timedelta(hours=2),
        place="York",
        scheduled_by=chair,
    )
    return meeting, chair, secretary


@pytest.fixture
def meeting(org, chair, join, make_member, now):
    """A leadership meeting within its hours (running, never opened by a button), with the
    chair and four members."""
    from commonweal.meetings.services import meeting_schedule

    for _ in range(4):
        join(make_member(unit=org.leeds))
    return meeting_schedule(
        body=org.leadership,
        kind="in_person",
        title="Committee",
        opens_at=now,
        closes_at=now + timedelta(hours=3),
        place="Leeds",
        scheduled_by=chair,
    )
