"""A mandate confers its powers within its dates only, and the clock ends it on time."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commonweal.core import clock
from commonweal.members.models import Member
from commonweal.notifications.models import Event
from commonweal.organisation import selectors, services
from commonweal.organisation.models import BodyMembership
from commonweal.organisation.rules import is_national_officer, is_officer_of_unit
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

START = date(2026, 3, 15)
LAST_DAY = date(2028, 3, 14)  # a 24-month term begun on 15 March
SHOWN_LAST_DAY = date_format(LAST_DAY)


def at(day: date, hour: int = 12):
    return clock.frozen(timezone.make_aware(datetime.combine(day, time(hour))))


def fresh(member):
    """As a new request would load them (permission caches start empty)."""
    return Member.objects.get(pk=member.pk)


@pytest.fixture
def national_chair(org, make_member):
    holder = make_member(unit=org.leeds)
    with at(START):
        services.mandate_grant(body=org.leadership, holder=holder, office="Chair")
    return holder


def test_a_mandate_confers_its_powers_on_its_last_day_and_none_the_day_after(org, national_chair):
    with at(LAST_DAY, 23):
        holder = fresh(national_chair)
        assert org.leadership.pk in selectors.officer_body_ids(holder)
        assert is_national_officer(holder)
        assert is_officer_of_unit(holder, org.york)
        assert holder.has_perm("members.suspend_member", Member(unit=org.york))
    with at(LAST_DAY + timedelta(days=1), 0):
        holder = fresh(national_chair)
        # Nobody has run the sweep: the dates alone take the powers away.
        assert BodyMembership.objects.get(member=holder, body=org.leadership).role == "chair"
        assert selectors.officer_body_ids(holder) == set()
        assert not is_national_officer(holder)
        assert not is_officer_of_unit(holder, org.york)
        assert not holder.has_perm("members.suspend_member", Member(unit=org.york))
        assert holder not in selectors.officers_of_unit(org.nation)
        assert selectors.officer_ids_of_body(org.leadership) == []
        assert not Member.objects.filter(selectors.holds_office("pk"), pk=holder.pk).exists()


def test_a_mandate_that_has_not_begun_confers_nothing(org, make_member):
    holder = make_member(unit=org.leeds)
    with at(START):
        services.mandate_grant(
            body=org.leadership, holder=holder, office="Secretary", starts_on=START + timedelta(5)
        )
        assert not is_national_officer(fresh(holder))
        assert BodyMembership.objects.get(member=holder).role == "secretary"
    with at(START + timedelta(days=5)):
        assert is_national_officer(fresh(holder))


def test_a_re_elected_holder_keeps_the_role_without_a_gap(org, national_chair):
    with at(LAST_DAY - timedelta(days=10)):
        services.mandate_grant(
            body=org.leadership,
            holder=national_chair,
            office="Chair",
            starts_on=LAST_DAY + timedelta(days=1),
        )
        assert is_national_officer(fresh(national_chair))
    with at(LAST_DAY + timedelta(days=1)):
        assert is_national_officer(fresh(national_chair))
        services.mandates_sweep()
        assert BodyMembership.objects.get(member=national_chair).role == "chair"
        assert is_national_officer(fresh(national_chair))


def test_the_clock_tells_the_holder_and_body_in_advance_once(org, national_chair, set_rule):
    set_rule("offices.expiry_notice_days", 10)
    with at(LAST_DAY - timedelta(days=11)):
        assert services.mandates_sweep() == {"told": 0, "lapsed": 0}
    with at(LAST_DAY - timedelta(days=10)):
        assert services.mandates_sweep() == {"told": 1, "lapsed": 0}
        assert services.mandates_sweep() == {"told": 0, "lapsed": 0}
    event = Event.objects.get(kind="mandate.ending")
    assert event.member_ids == [national_chair.pk]
    assert event.body_ids == [org.leadership.pk]
    assert "2028-03-14" in event.title


def test_the_clock_ends_an_expired_mandate_with_a_record_entry(org, national_chair):
    mandate = national_chair.mandates.get()
    with at(LAST_DAY):
        assert services.mandates_sweep() == {"told": 1, "lapsed": 0}
    with at(LAST_DAY + timedelta(days=1)):
        assert services.mandates_sweep() == {"told": 0, "lapsed": 1}
        assert services.mandates_sweep() == {"told": 0, "lapsed": 0}
    mandate.refresh_from_db()
    assert mandate.lapsed_on == LAST_DAY + timedelta(days=1)
    assert mandate.ended_early_on is None  # it ran its whole term
    entry = Entry.objects.get(kind="mandate.lapsed")
    assert entry.payload == {"body": org.leadership.pk, "ends_on": "2028-03-14"}
    membership = BodyMembership.objects.get(member=national_chair, body=org.leadership)
    assert (membership.role, membership.until) == ("member", None)  # still in the body
    lapsed = Event.objects.get(kind="mandate.lapsed")
    assert lapsed.member_ids == [national_chair.pk]
    assert lapsed.body_ids == [org.leadership.pk]


def test_the_body_page_shows_vacancies_and_elections_due(
    client, org, national_chair, make_member, set_rule
):
    set_rule("offices.expiry_notice_days", 30)
    secretary = make_member(unit=org.york, full_name="Sam Secretary")
    with at(START):
        services.mandate_grant(
            body=org.leadership, holder=secretary, office="Secretary", starts_on=START
        )
    viewer = make_member(unit=org.leeds)
    client.force_login(viewer)
    url = reverse("organisation:body", args=[org.leadership.slug])
    with at(START + timedelta(days=30)):
        page = client.get(url).content.decode()
        assert "No vacant office, and no term ending soon." in page
    with at(LAST_DAY - timedelta(days=20)):
        page = client.get(url).content.decode()
        assert f"ends on {SHOWN_LAST_DAY}; an election is due" in page
    with at(LAST_DAY + timedelta(days=2)):
        page = client.get(url).content.decode()
        assert f"vacant since {SHOWN_LAST_DAY}" in page
        assert page.count("vacant since") == 2  # chair and secretary


def test_the_platforms_clock_runs_the_sweep(org, national_chair, run_worker):
    from commonweal.core.schedule import periodic_enqueue_due

    with at(LAST_DAY + timedelta(days=1)):
        assert "commonweal.organisation.tasks.sweep_mandates" in periodic_enqueue_due()
        run_worker()
    assert national_chair.mandates.get().lapsed_on == LAST_DAY + timedelta(days=1)
    assert Entry.objects.filter(kind="mandate.lapsed").count() == 1
