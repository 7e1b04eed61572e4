import re
from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.meetings.models import Meeting
from commonweal.news import services
from commonweal.news.models import CalendarFeed
from commonweal.organisation.models import BodyMembership
from commonweal.organisation.services import body_membership_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee_member(org, make_member):
    member = make_member(unit=org.leeds)
    body_membership_add(body=org.leadership, member=member, role=BodyMembership.Role.MEMBER)
    return member


def meeting(body, title, days):
    start = clock.now() + timedelta(days=days)
    return Meeting.objects.create(
        body=body,
        kind=Meeting.Kind.ONLINE,
        title=title,
        opens_at=start,
        closes_at=start + timedelta(hours=2),
        created_at=clock.now(),
        rulebook_version=1,
    )


def feed_url(member):
    """A new address for the member (the old one stops working)."""
    return reverse("news:calendar_ics", args=[services.calendar_feed_renew(member=member)[1]])


def shown_url(response) -> str:
    match = re.search(
        r'value="https?://[^/"]+(/news/calendar/[^"]+\.ics)"', response.content.decode()
    )
    return match.group(1) if match else ""


def test_the_feed_holds_my_meetings_and_deadlines_and_parses(
    org, committee_member, client, monkeypatch
):
    meeting(org.leadership, "Committee, December", days=5)
    meeting(org.transport, "Transport section", days=5)
    due = clock.now() + timedelta(days=9)
    monkeypatch.setattr(
        "commonweal.policy.selectors.deadlines_for_member",
        lambda member: [{"title": "Support closes: free buses", "due": due, "url": "/policy/1/"}],
    )
    response = client.get(feed_url(committee_member))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content.decode())
    summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert summaries == {"Committee, December", "Support closes: free buses"}
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(set(uids)) == 2


def test_a_revoked_address_gives_404_and_the_new_one_works(org, committee_member, client):
    old = feed_url(committee_member)
    client.force_login(committee_member)
    new = shown_url(client.post(reverse("news:calendar"), {"confirm": "on"}))
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_renewing_without_confirming_keeps_the_address(org, committee_member, client):
    old = feed_url(committee_member)
    client.force_login(committee_member)
    client.post(reverse("news:calendar"), {})
    assert client.get(old).status_code == 200


def test_the_page_shows_my_new_address_once(org, committee_member, client):
    client.force_login(committee_member)
    url = shown_url(client.post(reverse("news:calendar")))
    assert client.get(url).status_code == 200
    assert shown_url(client.get(reverse("news:calendar"))) == ""


def test_a_made_up_address_gives_404(db, client):
    assert client.get(reverse("news:calendar_ics", args=["not-a-secret"])).status_code == 404


def test_the_feed_stops_when_the_member_erases_their_data(org, committee_member, client):
    from commonweal.members.services import member_erase

    url = feed_url(committee_member)
    member_erase(member=committee_member, requested_by=committee_member)
    assert client.get(url).status_code == 404
    assert not CalendarFeed.objects.exists()
