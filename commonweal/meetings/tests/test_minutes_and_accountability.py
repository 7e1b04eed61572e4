"""Minutes reaching the right bodies through the worker; reports; recall."""

from datetime import date

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.meetings import selectors, services
from commonweal.meetings.models import Minutes, Recall
from commonweal.notifications.models import Notification
from commonweal.organisation.models import Body
from commonweal.organisation.services import body_create, body_membership_add, mandate_grant

pytestmark = pytest.mark.django_db


def test_approved_minutes_reach_the_body_and_the_leadership_through_the_worker(
    org, section_meeting, chair, make_member, run_worker
):
    meeting, section_chair, secretary = section_meeting
    leader = make_member(unit=org.brighton)
    body_membership_add(body=org.leadership, member=leader)
    bystander = make_member(unit=org.leeds)
    north = body_create(name="North Committee", kind=Body.Kind.LEADERSHIP, unit=org.north)
    regional = make_member(unit=org.york)
    body_membership_add(body=north, member=regional)

    minutes = services.minutes_write(
        meeting=meeting, text="## Decided\nMore trams.", written_by=secretary
    )
    services.minutes_approve(minutes=minutes, approved_by=section_chair)
    assert not Notification.objects.filter(event__kind="minutes.approved").exists()
    run_worker()

    got = set(
        Notification.objects.filter(event__kind="minutes.approved").values_list(
            "recipient_id", flat=True
        )
    )
    assert got == {section_chair.pk, secretary.pk, chair.pk, leader.pk}
    assert bystander.pk not in got
    assert regional.pk not in got
    note = Notification.objects.filter(event__kind="minutes.approved").first()
    assert "More trams." in note.event.text
    minutes.refresh_from_db()
    assert minutes.state == Minutes.State.SENT


def test_the_minutes_are_sent_once_even_if_the_task_runs_twice(section_meeting, run_worker):
    meeting, section_chair, secretary = section_meeting
    minutes = services.minutes_write(meeting=meeting, text="Minutes", written_by=secretary)
    services.minutes_approve(minutes=minutes, approved_by=section_chair)
    run_worker()
    assert services.minutes_send(minutes_id=minutes.pk) is False
    run_worker()
    assert Notification.objects.filter(event__kind="minutes.approved").count() == 2


def test_only_the_secretary_writes_the_minutes(section_meeting, make_member, org):
    meeting, section_chair, _ = section_meeting
    for someone in (section_chair, make_member(unit=org.leeds)):
        with pytest.raises(NotPermitted, match="secretary"):
            services.minutes_write(meeting=meeting, text="My version", written_by=someone)
    assert not Minutes.objects.exists()


def test_only_the_chair_approves_and_approved_minutes_are_final(section_meeting):
    meeting, section_chair, secretary = section_meeting
    minutes = services.minutes_write(meeting=meeting, text="Minutes", written_by=secretary)
    with pytest.raises(NotPermitted, match="chair"):
        services.minutes_approve(minutes=minutes, approved_by=secretary)
    services.minutes_approve(minutes=minutes, approved_by=section_chair)
    with pytest.raises(Conflict, match="approved"):
        services.minutes_write(meeting=meeting, text="Rewritten", written_by=secretary)
    with pytest.raises(Conflict, match="already"):
        services.minutes_approve(minutes=minutes, approved_by=section_chair)
    minutes.refresh_from_db()
    assert minutes.text == "Minutes"


def test_empty_minutes_are_refused(section_meeting):
    meeting, _, secretary = section_meeting
    with pytest.raises(Refused) as refusal:
        services.minutes_write(meeting=meeting, text="   ", written_by=secretary)
    assert refusal.value.field == "text"


@pytest.fixture
def treasurer(org, make_member, now):
    holder = make_member(unit=org.leeds)
    mandate = mandate_grant(
        body=org.leadership, holder=holder, office="Treasurer", starts_on=date(2026, 1, 1)
    )
    return mandate


def test_a_report_is_missing_once_the_rulebooks_interval_has_passed(org, treasurer):
    # report_every_days = 90: due 1 April for a mandate starting 1 January.
    with clock.frozen(clock.now().replace(month=3, day=31)):
        assert selectors.missing_reports(org.leadership) == []
    with clock.frozen(clock.now().replace(month=4, day=3)):
        missing = selectors.missing_reports(org.leadership)
        assert [(r["mandate"], r["due_on"], r["days_overdue"]) for r in missing] == [
            (treasurer, date(2026, 4, 1), 2)
        ]
        services.report_file(mandate=treasurer, text="What I did", filed_by=treasurer.holder)
        assert selectors.missing_reports(org.leadership) == []
    with clock.frozen(clock.now().replace(month=7, day=3)):
        assert selectors.missing_reports(org.leadership)[0]["due_on"] == date(2026, 7, 2)


def test_only_the_holder_files_a_report(org, treasurer, chair):
    with pytest.raises(NotPermitted, match="holder"):
        services.report_file(mandate=treasurer, text="On their behalf", filed_by=chair)
    assert not treasurer.reports.exists()


def test_the_missing_report_shows_on_the_bodys_accountability_page(
    client, org, treasurer, make_member
):
    client.force_login(make_member(unit=org.leeds))
    with clock.frozen(clock.now().replace(month=5, day=1)):
        html = client.get(f"/meetings/bodies/{org.leadership.slug}/accountability/").content
    assert b"Missing accountability reports" in html
    assert treasurer.holder.display_name.encode() in html


def test_a_recall_goes_to_the_vote_when_a_fifth_of_members_in_scope_support_it(
    org, treasurer, make_member
):
    supporters = [make_member(unit=org.york) for _ in range(8)]
    # 10 members in scope (8, the chair-less treasurer and ...): 20% of 10 is 2.
    in_scope = selectors.members_in_scope_count(org.nation)
    recall = services.recall_start(
        mandate=treasurer, reason="Never reports", started_by=supporters[0]
    )
    assert recall.support_needed == -(-in_scope * 2 // 10)
    assert recall.state == Recall.State.GATHERING
    for member in supporters[1 : recall.support_needed - 1]:
        services.recall_support(recall=recall, member=member)
    recall.refresh_from_db()
    assert recall.state == Recall.State.GATHERING
    services.recall_support(recall=recall, member=supporters[recall.support_needed - 1])
    recall.refresh_from_db()
    assert recall.state == Recall.State.VOTING
    assert recall.vote_id is not None
    with pytest.raises(Conflict, match="no longer gathering"):
        services.recall_support(recall=recall, member=supporters[-1])


def test_supporting_a_recall_twice_or_from_outside_the_scope_is_refused(
    org, make_member, make_officer, now
):
    north = body_create(name="North Committee", kind=Body.Kind.LEADERSHIP, unit=org.north)
    for _ in range(20):
        make_member(unit=org.leeds)
    mandate = mandate_grant(body=north, holder=make_member(unit=org.york), office="Chair")
    mover = make_member(unit=org.leeds)
    recall = services.recall_start(mandate=mandate, reason="Absent", started_by=mover)
    with pytest.raises(Conflict, match="already support"):
        services.recall_support(recall=recall, member=mover)
    with pytest.raises(NotPermitted, match="within North"):
        services.recall_support(recall=recall, member=make_member(unit=org.brighton))
    recall.refresh_from_db()
    assert recall.support_count == 1
    with pytest.raises(Conflict, match="already under way"):
        services.recall_start(mandate=mandate, reason="Again", started_by=mover)
