"""A decision a body took outside the platform's votes, entered by one of its officers."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commonweal.core import clock
from commonweal.core.errors import NotPermitted, Refused
from commonweal.decisions import services
from commonweal.decisions.models import Decision
from commonweal.members.models import Member
from commonweal.notifications.models import Notification
from commonweal.organisation.selectors import assembly_of
from commonweal.organisation.services import body_membership_add, mandate_grant
from commonweal.record.models import Entry

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)
LAST_WEEK = TODAY - timedelta(days=7)


def on(day: date, hour: int = 10):
    return clock.frozen(timezone.make_aware(datetime.combine(day, time(hour))))


@pytest.fixture
def leeds(org):
    return assembly_of(org.leeds)


@pytest.fixture
def chair(org, make_officer):
    return make_officer(of=org.leeds)


def enter(by, body, **changes):
    fields = {
        "title": "Stall at the summer fair",
        "text": "The branch runs a stall at the **summer fair**.",
        "taken_on": LAST_WEEK,
        "basis": Decision.Basis.MEETING,
        **changes,
    }
    return services.decision_enter(body=body, entered_by=by, **fields)


def nothing_written():
    return (
        not Decision.objects.exists() and not Entry.objects.filter(kind="decision.entered").exists()
    )


def test_an_officer_enters_a_decision_taken_at_an_offline_meeting(
    org, leeds, chair, make_member, run_worker
):
    in_branch = make_member(unit=org.leeds)
    body_membership_add(body=leeds, member=in_branch)
    elsewhere = make_member(unit=org.brighton)
    with on(TODAY):
        decision = enter(chair, leeds)
        run_worker()
    decision.refresh_from_db()
    assert decision.body == leeds
    assert decision.taken_on == LAST_WEEK
    assert timezone.localdate(decision.decided_at) == LAST_WEEK
    assert decision.recorded_by == chair
    entry = Entry.objects.get(kind="decision.entered")
    assert entry.actor_id == chair.pk
    assert entry.payload == {"body": leeds.pk, "basis": "meeting", "taken_on": "2026-11-29"}
    told = set(
        Notification.objects.filter(event__kind="decision.recorded").values_list(
            "recipient_id", flat=True
        )
    )
    assert in_branch.pk in told
    assert elsewhere.pk not in told


def test_a_decision_taken_today_is_dated_when_it_is_entered(leeds, chair):
    with on(TODAY, 15):
        decision = enter(chair, leeds, taken_on=TODAY, basis=Decision.Basis.UNANIMOUS)
    assert decision.decided_at == timezone.make_aware(datetime.combine(TODAY, time(15)))


def test_a_plain_member_cannot_enter_a_decision(org, leeds, make_member):
    member = make_member(unit=org.leeds)
    body_membership_add(body=leeds, member=member)
    with on(TODAY), pytest.raises(NotPermitted):
        enter(member, leeds)
    assert nothing_written()


def test_another_branchs_officer_cannot_enter_this_branchs_decision(org, leeds, make_officer):
    brighton_chair = make_officer(of=org.brighton)
    with on(TODAY), pytest.raises(NotPermitted):
        enter(brighton_chair, leeds)
    assert nothing_written()


def test_a_suspended_officer_cannot_enter_a_decision(leeds, chair):
    Member.objects.filter(pk=chair.pk).update(status=Member.Status.SUSPENDED)
    with on(TODAY), pytest.raises(NotPermitted):
        enter(Member.objects.get(pk=chair.pk), leeds)
    assert nothing_written()


def test_an_officer_whose_term_has_ended_cannot_enter_a_decision(org, leeds, make_member):
    holder = make_member(unit=org.leeds)
    with on(date(2024, 1, 10)):
        mandate = mandate_grant(body=leeds, holder=holder, office="Secretary")
    with on(mandate.ends_on):
        enter(Member.objects.get(pk=holder.pk), leeds, taken_on=mandate.ends_on)
    with on(mandate.ends_on + timedelta(days=1)), pytest.raises(NotPermitted):
        enter(Member.objects.get(pk=holder.pk), leeds, taken_on=mandate.ends_on)
    assert Decision.objects.count() == 1


def test_a_future_date_and_an_empty_text_are_refused_together(leeds, chair):
    with on(TODAY), pytest.raises(Refused) as refused:
        enter(chair, leeds, text="  ", taken_on=TODAY + timedelta(days=1), basis="rumour")
    assert {r.field for r in refused.value.every} == {"text", "taken_on", "basis"}
    assert nothing_written()


def test_a_closed_body_took_no_decision_after_it_closed(org, leeds, chair):
    leeds.closed_on = LAST_WEEK
    leeds.save(update_fields=["closed_on"])
    with on(TODAY), pytest.raises(Refused) as refused:
        enter(chair, leeds, taken_on=LAST_WEEK + timedelta(days=1))
    assert refused.value.field == "taken_on"


# The page ---------------------------------------------------------------------------------


def test_the_officer_records_it_from_the_body_page_and_sees_how_it_was_taken(
    client, org, leeds, chair
):
    client.force_login(chair)
    with on(TODAY):
        body_page = client.get(reverse("organisation:body", args=[leeds.slug])).content.decode()
        link = reverse("decisions:enter") + f"?body={leeds.pk}"
        assert f'href="{link}"' in body_page
        form = client.get(link).content.decode()
        assert f'<option value="{leeds.pk}" selected>' in form
        # Only the bodies they are an officer of, or within their unit.
        assert assembly_of(org.brighton).name not in form
        answer = client.post(
            link,
            {
                "body": leeds.pk,
                "title": "Stall at the summer fair",
                "text": "We run a stall.",
                "taken_on": LAST_WEEK.isoformat(),
                "basis": "unanimous",
            },
            follow=True,
        )
    page = answer.content.decode()
    assert "Stall at the summer fair" in page
    assert f"on {date_format(LAST_WEEK)}, by the unanimous consent of its members" in page
    assert "Recorded by" in page
    assert chair.display_name in page


def test_the_form_says_what_is_wrong_beside_each_field(client, org, leeds, chair):
    client.force_login(chair)
    with on(TODAY):
        answer = client.post(
            reverse("decisions:enter"),
            {
                "body": leeds.pk,
                "title": "Stall",
                "text": "We run a stall.",
                "taken_on": (TODAY + timedelta(days=2)).isoformat(),
                "basis": "meeting",
            },
        )
    assert "not a future date" in answer.content.decode()
    assert nothing_written()


def test_a_member_sees_the_bodys_decisions_but_no_way_to_record_one(
    client, org, leeds, make_member
):
    member = make_member(unit=org.leeds)
    client.force_login(member)
    body_page = client.get(reverse("organisation:body", args=[leeds.slug])).content.decode()
    assert "Decisions of this body" in body_page
    assert "Record a decision taken outside the platform" not in body_page
    register = client.get(reverse("decisions:register")).content.decode()
    assert "Record a decision taken outside the platform" not in register
    assert client.get(reverse("decisions:enter")).status_code == 404


def test_another_branchs_officer_cannot_post_for_this_branch(client, org, leeds, make_officer):
    brighton_chair = make_officer(of=org.brighton)
    client.force_login(brighton_chair)
    with on(TODAY):
        answer = client.post(
            reverse("decisions:enter"),
            {
                "body": leeds.pk,
                "title": "Stall",
                "text": "We run a stall.",
                "taken_on": LAST_WEEK.isoformat(),
                "basis": "meeting",
            },
        )
    # Leeds is not among the bodies offered, so the choice itself is refused.
    assert "Select a valid choice" in answer.content.decode()
    assert nothing_written()
