"""Office-holders flagged against the courses their offices require, and warned in time.

The rulebook as shipped requires the "chairing" course of chairs within 90 days; here a
completion counts for a year and a holder is warned 7 days before a deadline."""

from datetime import date, datetime, time, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from django.utils import timezone

from commonweal.core import clock
from commonweal.notifications.models import Notification
from commonweal.organisation.services import mandate_grant
from commonweal.training import leadership
from conftest import TOTP_SECRET

from .conftest import complete, short_course

pytestmark = pytest.mark.django_db

START = date(2027, 1, 4)


def at(day: date):
    return clock.frozen(timezone.make_aware(datetime.combine(day, time(9))))


def told(member, kind: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient=member, event__kind=kind).values_list(
            "event__title", flat=True
        )
    )


@pytest.fixture
def holders(training, org, make_member, set_rule):
    """Transport's chair never trained, York's chair trained long ago (lapsed), the national
    committee's chair trained lately; a treasurer, whose office asks for no course."""
    set_rule("training.retraining_days", 365)
    set_rule("notifications.reminder_days", 7)
    with at(START - timedelta(days=400)):
        chairing = short_course(training, org.nation, "Chairing")
    assert chairing.slug == "chairing"  # the shipped rulebook's requirement
    h = type("Holders", (), {})()
    h.chairing = chairing
    h.new = make_member(unit=org.leeds, full_name="Nell New")
    h.lapsed = make_member(unit=org.york, full_name="Lars Lapsed")
    h.fresh = make_member(unit=org.leeds, full_name="Fay Fresh")
    h.treasurer = make_member(unit=org.leeds, full_name="Ted Treasurer")
    with at(START - timedelta(days=400)):
        complete(chairing, h.lapsed)
    with at(START - timedelta(days=10)):
        complete(chairing, h.fresh)
    from commonweal.organisation.selectors import assembly_of

    with at(START):
        h.new_chair = mandate_grant(body=org.transport, holder=h.new, office="Chair")
        h.lapsed_chair = mandate_grant(body=assembly_of(org.york), holder=h.lapsed, office="Chair")
        h.fresh_chair = mandate_grant(body=org.leadership, holder=h.fresh, office="Chair")
        mandate_grant(body=org.transport, holder=h.treasurer, office="Treasurer")
    return h


def by_holder(found):
    return {s.holder.full_name: (s.state, s.deadline) for s in found}


def test_each_holder_is_met_due_retraining_or_overdue(holders):
    from commonweal.organisation.selectors import active_mandates

    due_by = START + timedelta(days=90)
    with at(START + timedelta(days=10)):
        found = by_holder(leadership.statuses(active_mandates()))
    assert found == {
        "Nell New": ("due", due_by),
        "Lars Lapsed": ("retraining", due_by),  # lapsed before the term: 90 days from its start
        "Fay Fresh": ("met", START - timedelta(days=10) + timedelta(days=365)),
    }
    with at(START + timedelta(days=91)):
        found = by_holder(leadership.statuses(active_mandates()))
    assert found["Nell New"] == ("overdue", due_by)
    # Fay's completion lapses within the week: retraining is due by that day.
    lapses = START - timedelta(days=10) + timedelta(days=365)
    with at(lapses - timedelta(days=7)):
        found = by_holder(leadership.statuses(active_mandates()))
    assert found["Fay Fresh"] == ("retraining", lapses)
    # Retraining puts her back in good standing until a year after it.
    with at(lapses - timedelta(days=3)):
        complete(holders.chairing, holders.fresh)
        found = by_holder(leadership.statuses(active_mandates()))
    assert found["Fay Fresh"] == ("met", lapses - timedelta(days=3) + timedelta(days=365))


def test_the_bodys_page_and_the_departments_page_show_the_holders(
    holders, training, org, client, make_member
):
    with at(START + timedelta(days=10)):
        client.force_login(make_member(unit=org.leeds))
        page = client.get(reverse("organisation:body", args=[org.transport.slug])).content
        page = page.decode()
        section = page.split("Training of the office-holders")[1].split("</section>")[0]
        assert "Nell New" in section
        assert "due by 2027-04-04" in section
        assert "Ted Treasurer" not in section

        client.force_login(training.author)
        page = client.get(reverse("training:leadership")).content.decode()
        assert "1 of 3 office-holders whose offices require a course meet" in page
        assert "Nell New" in page
        assert "Lars Lapsed" in page
        assert "Fay Fresh" not in page

        TOTP.activate(holders.new, TOTP_SECRET)  # an office-holder signs in with two factors
        client.force_login(holders.new)
        mine = client.get(reverse("training:list")).content.decode()
        assert "Training my offices require" in mine
        assert "due by 2027-04-04" in mine
        assert "Chairing" in mine

        client.force_login(training.learner)
        assert client.get(reverse("training:leadership")).status_code == 404
        assert (
            "Training my offices require"
            not in client.get(reverse("training:list")).content.decode()
        )


def test_the_clock_warns_the_holder_before_and_tells_the_chair_after_once_each(
    holders, org, make_officer, run_worker
):
    transport_chair = make_officer(body=org.transport, full_name="Cora Chair")
    north_officer = make_officer(org.north)

    due_by = START + timedelta(days=90)
    with at(due_by - timedelta(days=8)):
        assert leadership.warnings_sweep() == 0
    with at(due_by - timedelta(days=7)):
        assert leadership.warnings_sweep() == 2  # Nell, and Lars's retraining
        assert leadership.warnings_sweep() == 0
    run_worker()
    assert told(holders.new, "training.due") == [
        "As Chair of Transport Section, complete “Chairing” by 2027-04-04"
    ]
    assert len(told(holders.lapsed, "training.due")) == 1
    assert not told(holders.fresh, "training.due")

    with at(due_by + timedelta(days=1)):
        assert leadership.warnings_sweep() == 2
        assert leadership.warnings_sweep() == 0
    run_worker()
    overdue = told(transport_chair, "training.overdue")
    assert overdue == [
        "{name}, Chair of Transport Section, has not completed “Chairing”, due by 2027-04-04"
    ]
    assert not told(holders.new, "training.overdue")
    # York's assembly is chaired by Lars himself: the North's officers hear of it.
    assert told(north_officer, "training.overdue") == [
        "{name}, Chair of York assembly, has not completed “Chairing”, due by 2027-04-04"
    ]
    assert not told(holders.lapsed, "training.overdue")


def test_the_clock_runs_the_sweep(db):
    from commonweal.core.schedule import PERIODIC

    assert "commonweal.training.tasks.sweep_leadership" in {job.task_path for job in PERIODIC}
