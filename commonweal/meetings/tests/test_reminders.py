"""The clock reminds of accountability reports and minutes falling due, and tells the unit
above once they are overdue: each once, to officers holding office that day."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commonweal.core import clock
from commonweal.meetings import services
from commonweal.members.models import Member
from commonweal.notifications.models import Notification
from commonweal.organisation.models import BodyMembership, Mandate
from commonweal.organisation.selectors import assembly_of
from commonweal.organisation.services import mandate_appoint, mandate_grant
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

START = date(2027, 1, 4)
# The shipped rulebook: a report every 90 days, minutes approved within 14 days of the
# meeting, reminders 3 days before.
REPORT_DUE = START + timedelta(days=90)
MEETING_DAY = date(2027, 2, 1)
MINUTES_DUE = MEETING_DAY + timedelta(days=14)


def at(day: date, hour: int = 12):
    return clock.frozen(timezone.make_aware(datetime.combine(day, time(hour))))


def told(kind: str) -> list[int]:
    return sorted(
        Notification.objects.filter(event__kind=kind).values_list("recipient_id", flat=True)
    )


@pytest.fixture
def people(org, make_officer, make_member):
    """Leeds's chair and secretary, and a treasurer of Leeds by mandate; North's chair, a
    suspended North officer and one whose term at North has ended; York's chair."""
    with at(START - timedelta(days=30)):
        people = {
            "leeds_chair": make_officer(org.leeds),
            "leeds_secretary": make_officer(org.leeds, role=BodyMembership.Role.SECRETARY),
            "north": make_officer(org.north),
            "york": make_officer(org.york),
            "suspended": make_officer(org.north, role=BodyMembership.Role.SECRETARY),
            "ended": make_member(unit=org.york),
            "treasurer": make_member(unit=org.leeds),
        }
    Member.objects.filter(pk=people["suspended"].pk).update(status=Member.Status.SUSPENDED)
    with at(START - timedelta(days=800)):
        mandate_grant(body=assembly_of(org.north), holder=people["ended"], office="Organiser")
    with at(START):
        mandate_grant(body=assembly_of(org.leeds), holder=people["treasurer"], office="Treasurer")
    return people


def sweep(run_worker, day: date, hour: int = 12) -> dict[str, int]:
    with at(day, hour):
        result = {**services.reports_sweep(), **services.minutes_sweep()}
        run_worker()
    return {key: n for key, n in result.items() if n}


# Accountability reports -------------------------------------------------------------------


def test_a_report_falling_due_is_reminded_once_then_escalated_once(org, people, run_worker):
    treasurer, north = people["treasurer"].pk, people["north"].pk
    assert sweep(run_worker, REPORT_DUE - timedelta(days=4)) == {}
    assert told("mandate.report_due") == []

    assert sweep(run_worker, REPORT_DUE - timedelta(days=3)) == {"reports_reminded": 1}
    assert sweep(run_worker, REPORT_DUE - timedelta(days=3), 18) == {}
    assert sweep(run_worker, REPORT_DUE) == {}
    assert told("mandate.report_due") == [treasurer]

    assert sweep(run_worker, REPORT_DUE + timedelta(days=1)) == {"reports_escalated": 1}
    assert sweep(run_worker, REPORT_DUE + timedelta(days=9)) == {}
    # The unit above's officers holding office that day, and the holder: not York's
    # chair, not the suspended officer, not the one whose term is over.
    assert told("mandate.report_overdue") == sorted([treasurer, north])
    entry = Entry.objects.get(kind="mandate.report_overdue")
    assert entry.payload == {
        "step": f"report_escalation:{REPORT_DUE.isoformat()}",
        "due": entry.payload["due"],
        "told": sorted([treasurer, north]),
    }


def test_filing_the_report_stops_the_escalation_and_starts_the_next_cycle(org, people, run_worker):
    sweep(run_worker, REPORT_DUE - timedelta(days=2))
    mandate = Mandate.objects.get(office="Treasurer")
    with at(REPORT_DUE - timedelta(days=1)):
        services.report_file(mandate=mandate, text="What I did.", filed_by=people["treasurer"])
    assert sweep(run_worker, REPORT_DUE + timedelta(days=5)) == {}
    assert told("mandate.report_overdue") == []
    # The next report is due 90 days after this one: reminded again before then.
    next_due = REPORT_DUE - timedelta(days=1) + timedelta(days=90)
    assert sweep(run_worker, next_due - timedelta(days=1)) == {"reports_reminded": 1}
    assert told("mandate.report_due") == [people["treasurer"].pk] * 2


def test_an_interim_holder_is_reminded_and_one_whose_term_ended_is_not(
    org, people, make_member, run_worker
):
    admin = make_member(unit=org.nation, is_superuser=True)
    interim = make_member(unit=org.leeds)
    with at(START):
        mandate_appoint(
            body=assembly_of(org.north),
            holder=interim,
            office="Treasurer",
            granted_as=Mandate.GrantedAs.INTERIM,
            reason="until the spring election",
            appointed_by=admin,
        )
    # The organiser's term at North ended long ago; their last report would have been due
    # within it, but they hold nothing now and are asked for nothing.
    sweep(run_worker, REPORT_DUE - timedelta(days=1))
    assert sorted(told("mandate.report_due")) == sorted([people["treasurer"].pk, interim.pk])
    assert people["ended"].pk not in told("mandate.report_due")


def test_the_unit_above_sees_the_overdue_report_on_its_home(org, people, client):
    with at(REPORT_DUE + timedelta(days=2)):
        client.force_login(people["north"])
        north_home = client.get(reverse("members:home")).content.decode()
        client.force_login(people["york"])
        york_home = client.get(reverse("members:home")).content.decode()
    name = people["treasurer"].display_name
    assert f"Accountability report overdue: {name}, Treasurer" in north_home
    assert name not in york_home


# Minutes ----------------------------------------------------------------------------------


def schedule(org, people, title="Branch meeting"):
    with at(MEETING_DAY - timedelta(days=10)):
        return services.meeting_schedule(
            body=assembly_of(org.leeds),
            kind="in_person",
            title=title,
            opens_at=timezone.make_aware(datetime.combine(MEETING_DAY, time(18))),
            closes_at=timezone.make_aware(datetime.combine(MEETING_DAY, time(20))),
            place="Leeds",
            scheduled_by=people["leeds_chair"],
        )


def test_minutes_not_approved_are_reminded_once_then_escalated_once(org, people, run_worker):
    schedule(org, people)
    chair, secretary = people["leeds_chair"].pk, people["leeds_secretary"].pk
    assert sweep(run_worker, MINUTES_DUE - timedelta(days=4)) == {}
    assert sweep(run_worker, MINUTES_DUE - timedelta(days=2)) == {"minutes_reminded": 1}
    assert sweep(run_worker, MINUTES_DUE - timedelta(days=1)) == {}
    assert told("minutes.approval_due") == sorted([chair, secretary])

    assert sweep(run_worker, MINUTES_DUE + timedelta(days=1)) == {"minutes_escalated": 1}
    assert sweep(run_worker, MINUTES_DUE + timedelta(days=2)) == {}
    assert told("minutes.approval_overdue") == sorted([chair, secretary, people["north"].pk])


def test_approved_minutes_are_not_escalated(org, people, run_worker):
    meeting = schedule(org, people)
    with at(MINUTES_DUE - timedelta(days=1)):
        minutes = services.minutes_write(
            meeting=meeting, text="Agreed.", written_by=people["leeds_secretary"]
        )
        services.minutes_approve(minutes=minutes, approved_by=people["leeds_chair"])
    assert sweep(run_worker, MINUTES_DUE + timedelta(days=3)) == {}
    assert told("minutes.approval_overdue") == []


def test_the_meeting_page_shows_the_minutes_deadline_and_when_it_is_overdue(org, people, client):
    meeting = schedule(org, people)
    client.force_login(people["leeds_chair"])
    url = reverse("meetings:detail", args=[meeting.pk])
    with at(MEETING_DAY):
        assert "to be approved by" not in client.get(url).content.decode()
    with at(MINUTES_DUE - timedelta(days=1)):
        page = client.get(url).content.decode()
    assert f"The minutes are to be approved by {date_format(MINUTES_DUE)}." in page
    with at(MINUTES_DUE + timedelta(days=1)):
        page = client.get(url).content.decode()
    assert f"Overdue: the minutes were to be approved by {date_format(MINUTES_DUE)}." in page
