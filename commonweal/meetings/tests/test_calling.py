"""Calling e-conferences and meetings, building agendas, and who sees which meeting."""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.meetings import services
from commonweal.meetings.models import AgendaItem, Meeting
from commonweal.meetings.selectors import meetings_for_member
from commonweal.notifications.models import Event
from commonweal.organisation.models import Body
from commonweal.organisation.services import body_create
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db


def call(org, called_by, now, **overrides):
    fields = {
        "body": org.leadership,
        "title": "E-conference",
        "opens_at": now,
        "closes_at": now + timedelta(days=2),
        "called_by": called_by,
    }
    fields.update(overrides)
    return services.econference_call(**fields)


def test_the_leadership_calls_an_econference_of_all_members_in_its_scope(org, chair, now):
    meeting = call(org, chair, now, video_url="https://meet.jit.si/room")
    assert meeting.kind == Meeting.Kind.ECONFERENCE
    assert meeting.scope == org.nation
    assert meeting.video_url == "https://meet.jit.si/room"
    assert Entry.objects.filter(kind="econference.called", subject=f"meetings.meeting:{meeting.pk}")
    event = Event.objects.get(kind="econference.called")
    assert event.unit_ids == [org.nation.pk]


def test_the_platform_may_call_an_econference_for_the_policy_process(org, now):
    meeting = call(org, None, now, body=org.transport)
    assert meeting.called_by is None


def test_a_department_may_not_call_an_econference_under_the_default_rulebook(
    org, make_officer, now
):
    department = body_create(name="Finance", kind=Body.Kind.DEPARTMENT, unit=org.nation)
    officer = make_officer(body=department, unit=org.leeds)
    with pytest.raises(NotPermitted, match="may not call an e-conference"):
        call(org, officer, now, body=department)
    assert not Meeting.objects.exists()


def test_a_member_who_is_not_an_officer_may_not_call_one(org, make_member, now):
    with pytest.raises(NotPermitted, match="officers"):
        call(org, make_member(unit=org.leeds), now)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://files.example.org/x", "not a url"])
def test_a_video_link_must_be_a_web_address(org, chair, now, url):
    with pytest.raises(Refused) as refusal:
        call(org, chair, now, video_url=url)
    assert refusal.value.field == "video_url"
    assert not Meeting.objects.exists()


def test_an_econference_must_close_after_it_opens(org, chair, now):
    with pytest.raises(Refused, match="close after") as refusal:
        call(org, chair, now, closes_at=now - timedelta(hours=1))
    assert refusal.value.field == "closes_at"


def test_a_regional_body_cannot_call_members_outside_its_region(org, make_officer, now):
    north = body_create(name="North Committee", kind=Body.Kind.LEADERSHIP, unit=org.north)
    officer = make_officer(body=north, unit=org.york)
    with pytest.raises(Refused, match="within North") as refusal:
        call(org, officer, now, body=north, scope=org.south)
    assert refusal.value.field == "scope"


def test_agenda_items_are_numbered_in_the_order_they_are_added(econference, chair):
    first = services.agenda_item_add(
        meeting=econference, kind="policy_approval", title="Transport policy", added_by=chair
    )
    second = services.agenda_item_add(
        meeting=econference, kind="election", title="Elect the committee", added_by=None
    )
    assert (first.order, second.order) == (1, 2)
    assert [i.title for i in econference.items.all()] == ["Transport policy", "Elect the committee"]


def test_an_unknown_kind_of_agenda_item_is_refused(econference, chair):
    with pytest.raises(Refused) as refusal:
        services.agenda_item_add(meeting=econference, kind="party", title="Fun", added_by=chair)
    assert refusal.value.field == "kind"
    assert not AgendaItem.objects.exists()


def test_only_the_bodys_officers_add_agenda_items(econference, make_member, org):
    with pytest.raises(NotPermitted):
        services.agenda_item_add(
            meeting=econference,
            kind="motion",
            title="Mine",
            added_by=make_member(unit=org.leeds),
        )
    assert not AgendaItem.objects.exists()


def test_no_item_is_added_to_a_closed_meeting(econference, chair):
    services.meeting_close(meeting=econference, closed_by=chair)
    with pytest.raises(Conflict, match="closed"):
        services.agenda_item_add(meeting=econference, kind="motion", title="Late", added_by=chair)


def test_meetings_for_member_are_the_upcoming_ones_of_their_bodies_and_scope(
    org, chair, make_member, make_officer, join, now
):
    leeds_member = make_member(unit=org.leeds)
    national = call(org, chair, now, title="National")
    north_body = body_create(name="North Committee", kind=Body.Kind.LEADERSHIP, unit=org.north)
    south_body = body_create(name="South Committee", kind=Body.Kind.LEADERSHIP, unit=org.south)
    north_officer = make_officer(body=north_body, unit=org.york)
    south_officer = make_officer(body=south_body, unit=org.brighton)
    north = call(org, north_officer, now, body=north_body, title="North")
    call(org, south_officer, now, body=south_body, title="South")
    with clock.frozen(now - timedelta(days=10)):
        past = call(org, chair, now - timedelta(days=10), closes_at=now - timedelta(days=9))
    closed = call(org, chair, now, title="Closed early")
    services.meeting_close(meeting=closed, closed_by=chair)
    leadership_meeting = services.meeting_schedule(
        body=org.leadership,
        kind="in_person",
        title="Committee meeting",
        opens_at=now + timedelta(days=5),
        closes_at=now + timedelta(days=5, hours=2),
        place="Leeds",
        scheduled_by=chair,
    )
    assert list(meetings_for_member(leeds_member)) == [national, north]
    join(leeds_member)
    mine = list(meetings_for_member(leeds_member))
    assert mine == [national, north, leadership_meeting]
    assert past not in mine


def test_an_econference_with_delegates_concerns_only_them(org, chair, make_member, now):
    delegate = make_member(unit=org.leeds)
    other = make_member(unit=org.leeds)
    meeting = call(org, chair, now)
    services.delegates_set(meeting=meeting, members=[delegate], set_by=chair)
    assert list(meetings_for_member(delegate)) == [meeting]
    assert list(meetings_for_member(other)) == []


def test_an_online_meeting_needs_a_video_link(org, chair, now):
    with pytest.raises(Refused) as refusal:
        services.meeting_schedule(
            body=org.leadership,
            kind="online",
            title="Online",
            opens_at=now,
            closes_at=now + timedelta(hours=1),
            scheduled_by=chair,
        )
    assert refusal.value.field == "video_url"


def test_the_chair_gives_an_econference_called_without_one_its_video_link(
    org, chair, now, make_member, client
):
    meeting = call(org, None, now)
    assert meeting.video_url == ""
    member = make_member(unit=org.york)
    with pytest.raises(NotPermitted, match="officers"):
        services.meeting_video_set(
            meeting=meeting, video_url="https://meet.jit.si/mine", set_by=member
        )
    with pytest.raises(Refused, match="web address"):
        services.meeting_video_set(meeting=meeting, video_url="javascript:alert(1)", set_by=chair)
    with pytest.raises(Refused, match="needs a video link"):
        services.meeting_video_set(meeting=meeting, video_url="", set_by=chair)
    meeting.refresh_from_db()
    assert meeting.video_url == ""

    client.force_login(chair)
    response = client.post(
        f"/meetings/{meeting.pk}/video/", {"video_url": "https://meet.jit.si/spring"}, follow=True
    )
    assert "The video link is set" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.video_url == "https://meet.jit.si/spring"
    assert Event.objects.filter(kind="meeting.video_set").exists()
    client.force_login(member)
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'href="https://meet.jit.si/spring"' in page
    assert "Give the video link" not in page

    services.meeting_close(meeting=meeting, closed_by=chair)
    with pytest.raises(Conflict, match="closed"):
        services.meeting_video_set(meeting=meeting, video_url="https://meet.jit.si/x", set_by=chair)
