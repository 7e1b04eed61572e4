"""An application waiting for its unit's officers is remembered by the clock: a reminder
before the rulebook's time for a decision runs out, and after it the officers of the unit
above are told (and the applicant that it is still being considered), each once."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commonweal.core import clock
from commonweal.members import services
from commonweal.members.models import Member
from commonweal.members.services.reminders import applications_sweep
from commonweal.notifications.models import Event, Notification
from commonweal.organisation.models import BodyMembership, Mandate
from commonweal.organisation.selectors import assembly_of
from commonweal.organisation.services import mandate_appoint, mandate_grant
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

# The shipped rulebook: 14 days for a decision, reminded 3 days before.
APPLIED = date(2027, 1, 4)
DUE = APPLIED + timedelta(days=14)


def at(day: date, hour: int = 12):
    return clock.frozen(timezone.make_aware(datetime.combine(day, time(hour))))


def apply(org, email="ana@example.org"):
    with at(APPLIED, 9):
        return services.member_apply(
            email=email,
            full_name="Ana Costa",
            unit=org.leeds,
            password="correct horse battery",
        )


def sweep(run_worker, day: date, hour: int = 12) -> dict[str, int]:
    with at(day, hour):
        result = applications_sweep()
        run_worker()
    return result


def told(kind: str) -> list[int]:
    """Who got a notification of this kind, one entry per notification."""
    return sorted(
        Notification.objects.filter(event__kind=kind).values_list("recipient_id", flat=True)
    )


@pytest.fixture
def people(org, make_officer, make_member):
    """Leeds's chair; North's chair, a suspended North officer, one whose term at North
    has ended and one appointed there in the interim; York's chair."""
    with at(APPLIED - timedelta(days=30)):
        admin = make_member(unit=org.nation, is_superuser=True)
        people = {
            "leeds": make_officer(org.leeds),
            "north": make_officer(org.north),
            "york": make_officer(org.york),
            "suspended": make_officer(org.north, role=BodyMembership.Role.SECRETARY),
            "ended": make_member(unit=org.york),
            "interim": make_member(unit=org.leeds),
        }
        mandate_appoint(
            body=assembly_of(org.north),
            holder=people["interim"],
            office="Treasurer",
            granted_as=Mandate.GrantedAs.INTERIM,
            reason="until the spring election",
            appointed_by=admin,
        )
    Member.objects.filter(pk=people["suspended"].pk).update(status=Member.Status.SUSPENDED)
    with at(APPLIED - timedelta(days=800)):
        mandate_grant(body=assembly_of(org.north), holder=people["ended"], office="Organiser")
    return {name: member.pk for name, member in people.items()}


def test_nothing_before_the_reminder_window(org, people, run_worker):
    apply(org)
    assert sweep(run_worker, DUE - timedelta(days=4)) == {"reminded": 0, "escalated": 0}
    assert told("membership.application_due") == []


def test_the_units_officers_are_reminded_once_in_the_window(org, people, run_worker):
    application = apply(org)
    assert sweep(run_worker, DUE - timedelta(days=3)) == {"reminded": 1, "escalated": 0}
    assert sweep(run_worker, DUE - timedelta(days=3), 13) == {"reminded": 0, "escalated": 0}
    assert sweep(run_worker, DUE - timedelta(days=1)) == {"reminded": 0, "escalated": 0}
    assert told("membership.application_due") == [people["leeds"]]
    event = Event.objects.get(kind="membership.application_due")
    assert event.display_title == (
        f"Decide on the application of Ana Costa to join Leeds by {DUE.isoformat()}"
    )
    entry = Entry.objects.get(kind="membership.application_due")
    assert entry.subject == f"members.membershipapplication:{application.pk}"
    assert entry.payload["told"] == [people["leeds"]]


def test_after_the_deadline_the_unit_above_is_told_once_and_the_applicant_hears(
    org, people, run_worker
):
    apply(org)
    mail.outbox.clear()
    assert sweep(run_worker, DUE + timedelta(days=1)) == {"reminded": 0, "escalated": 1}
    assert sweep(run_worker, DUE + timedelta(days=2)) == {"reminded": 0, "escalated": 0}
    # Not York's chair, not the suspended officer, not the one whose term is over; the
    # interim treasurer is an officer of North like its chair.
    assert told("membership.application_overdue") == sorted(
        [people["leeds"], people["north"], people["interim"]]
    )
    to_applicant = [m for m in mail.outbox if m.to == ["ana@example.org"]]
    assert len(to_applicant) == 1
    assert "still being considered" in to_applicant[0].subject
    assert "officers of the unit above" in to_applicant[0].body


def test_a_decided_application_is_neither_reminded_nor_escalated(org, people, run_worker):
    application = apply(org)
    sweep(run_worker, DUE - timedelta(days=2))
    with at(DUE - timedelta(days=1)):
        services.application_decide(
            application=application, officer=Member.objects.get(pk=people["leeds"]), accept=True
        )
    assert sweep(run_worker, DUE + timedelta(days=5)) == {"reminded": 0, "escalated": 0}
    assert told("membership.application_overdue") == []


def test_the_officers_list_shows_what_is_overdue(org, people, client):
    apply(org)
    apply(org, email="ben@example.org")
    with at(DUE + timedelta(days=1)):
        later = services.member_apply(
            email="cai@example.org",
            full_name="Cai Li",
            unit=org.leeds,
            password="correct horse battery",
        )
        client.force_login(Member.objects.get(pk=people["leeds"]))
        page = client.get(reverse("members:applications")).content.decode()
    assert page.count(f"Overdue: the decision was due by {date_format(DUE)}.") == 2
    assert f"Decide by {date_format(later.applied_at.date() + timedelta(days=14))}." in page


def test_the_officers_list_shows_the_oldest_25_then_the_rest_on_the_next_page(org, people, client):
    for n in range(27):
        with at(DUE - timedelta(days=14), hour=0 if n < 10 else 1):
            services.member_apply(
                email=f"applicant{n:02}@example.org",
                full_name=f"Applicant {n:02}",
                unit=org.leeds,
                password="correct horse battery",
            )
    client.force_login(Member.objects.get(pk=people["leeds"]))
    first = client.get(reverse("members:applications")).content.decode()
    second = client.get(reverse("members:applications"), {"page": 2}).content.decode()
    assert "27 applications are waiting, oldest first." in first
    assert first.count('<section class="card"') == 25
    assert "Page 1 of 2" in first
    assert second.count('<section class="card"') == 2
    assert "Applicant 00" in first
    assert "Applicant 26" in second
    assert "Applicant 26" not in first
