"""One answer to "where does this meeting stand, and who was there", on every page and the API."""

from datetime import timedelta
from functools import partial

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.meetings import selectors, services

pytestmark = pytest.mark.django_db


def state_everywhere(client, meeting) -> tuple[str, str, str]:
    """The state as the meetings list, the meeting's page and the API give it."""
    listing = client.get("/meetings/").content.decode()
    line = listing[listing.index(f"/meetings/{meeting.pk}/") :].split("</li>")[0]
    status = line.split('<span class="status">')[1].split("<")[0]
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    shown = page.split('<dd class="status">')[1].split("<")[0]
    api = client.get(f"/api/meetings/{meeting.pk}").json()["state"]
    return status, shown, api


def test_the_list_the_page_and_the_api_agree_on_the_state(client, meeting, chair, now):
    client.force_login(chair)
    with clock.frozen(now - timedelta(hours=1)):
        assert state_everywhere(client, meeting) == ("planned", "planned", "planned")
    with clock.frozen(now + timedelta(minutes=5)):
        # Within its hours a planned meeting runs: the list said "planned", the page "open".
        assert state_everywhere(client, meeting) == ("open", "open", "open")
    with clock.frozen(now + timedelta(days=1)):
        # Its hours passed and nobody opened it: it is over, not planned for ever.
        assert state_everywhere(client, meeting) == ("closed", "closed", "closed")


def test_an_econference_past_its_closing_time_is_closed_everywhere(client, econference, chair):
    client.force_login(chair)
    with clock.frozen(econference.closes_at + timedelta(minutes=1)):
        assert state_everywhere(client, econference) == ("closed", "closed", "closed")


def test_a_closed_meeting_keeps_its_attendance_and_its_quorum(client, meeting, chair):
    members = list(selectors.participants(meeting).order_by("pk"))
    for member in members:
        services.attendance_register(meeting=meeting, member=member)
    before = selectors.quorum_status(meeting)
    assert (before["present"], before["reached"]) == (len(members), True)

    services.meeting_close(meeting=meeting, closed_by=chair)

    after = selectors.quorum_status(meeting)
    assert (after["present"], after["reached"]) == (len(members), True)
    client.force_login(chair)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"{len(members)} present of" in page
    assert "No quorum" not in page
    assert client.get(f"/api/meetings/{meeting.pk}").json()["quorum"]["present"] == len(members)
    # Nobody leaves a closed meeting: its attendance is its record.
    with pytest.raises(Conflict, match="closed"):
        services.attendance_leave(meeting=meeting, member=members[0])


def test_an_econference_page_does_not_claim_presence_is_needed_to_vote(client, econference, chair):
    client.force_login(chair)
    page = client.get(f"/meetings/{econference.pk}/").content.decode()
    assert "votes cannot be put" not in page
    assert "Votes already open take ballots from everyone entitled" in page


@pytest.mark.parametrize("kind", ["meeting", "econference"])
def test_a_meeting_wholly_in_the_past_is_refused_and_nobody_is_told(org, chair, now, kind):
    from django.core import mail

    from commonweal.meetings.models import Meeting
    from commonweal.notifications.models import Event

    when = {"opens_at": now - timedelta(days=2), "closes_at": now - timedelta(days=1)}
    if kind == "meeting":
        schedule = partial(services.meeting_schedule, kind="online", scheduled_by=chair)
    else:
        schedule = partial(services.econference_call, called_by=chair)
    with pytest.raises(Refused, match="passed") as refusal:
        schedule(body=org.leadership, title="Too late", **when)
    assert refusal.value.field == "closes_at"
    assert not Meeting.objects.exists()
    assert not Event.objects.exists()
    assert not mail.outbox
