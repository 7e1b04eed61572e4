"""A member keeps a development plan, asks for a mentor, and reviews it on schedule."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.development import services
from commonweal.development.models import Mentoring, Plan, Step
from commonweal.notifications.models import Notification

pytestmark = pytest.mark.django_db


def at(day: date):
    return clock.frozen(timezone.make_aware(datetime.combine(day, time(9))))


def told(member, kind: str) -> list[str]:
    return list(
        Notification.objects.filter(recipient=member, event__kind=kind).values_list(
            "event__title", flat=True
        )
    )


@pytest.fixture
def rosa(org, make_member):
    return make_member(unit=org.leeds, full_name="Rosa Ruiz")


def test_a_member_keeps_a_plan_of_goals_and_dated_steps_and_sees_her_progress(rosa, client):
    client.force_login(rosa)
    client.post(reverse("development:home"), {"aims": "Chair meetings well"})
    client.post(reverse("development:goal_add"), {"title": "Chair a branch meeting"})
    goal = Plan.objects.get(member=rosa).goals.get()
    for title in ("Take the chairing course", "Chair the March meeting"):
        client.post(
            reverse("development:step_add", args=[goal.pk]),
            {"title": title, "due_on": "2027-03-01"},
        )
    first = Step.objects.get(title="Take the chairing course")
    client.post(reverse("development:step_mark", args=[first.pk]), {"done": "1"})

    page = client.get(reverse("development:home")).content.decode()
    assert "Chair a branch meeting" in page
    assert "1 of 2 steps done" in page
    assert 'value="50"' in page


def test_bad_input_is_refused_and_changes_nothing(rosa, make_member, org):
    plan = services.plan_save(member=rosa, aims="", share_with_officers=False)
    with pytest.raises(Refused):
        services.goal_add(member=rosa, plan=plan, title="   ")
    with pytest.raises(NotPermitted):
        services.goal_add(member=make_member(unit=org.leeds), plan=plan, title="Not mine")
    with pytest.raises(Refused):
        services.plan_save(member=rosa, aims="x" * 5001, share_with_officers=True)
    plan.refresh_from_db()
    assert plan.goals.count() == 0
    assert plan.share_with_officers is False


def test_someone_elses_step_is_not_found(rosa, make_member, org, client):
    plan = services.plan_save(member=rosa, aims="", share_with_officers=False)
    step = services.step_add(
        member=rosa, goal=services.goal_add(member=rosa, plan=plan, title="Write"), title="Draft"
    )
    client.force_login(make_member(unit=org.leeds))
    response = client.post(reverse("development:step_mark", args=[step.pk]), {"done": "1"})
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.done_on is None


def test_an_officer_names_a_mentor_who_accepts_and_the_mentee_is_told(
    rosa, make_member, make_officer, org, run_worker
):
    branch_officer, officer = make_officer(org.leeds), make_officer(org.north)
    mentor = make_member(unit=org.york, full_name="Maya Mentor")
    asked = services.mentoring_ask(member=rosa, note="Public speaking")
    run_worker()
    assert told(branch_officer, "development.mentor_wanted")

    services.mentor_assign(mentoring=asked, mentor=mentor, officer=officer)
    run_worker()
    assert told(mentor, "development.mentor_asked")
    services.mentoring_accept(mentoring=asked, mentor=mentor)
    run_worker()
    asked.refresh_from_db()
    assert asked.status == Mentoring.Status.ACTIVE
    assert asked.mentor == mentor
    assert any("will mentor you" in t for t in told(rosa, "development.mentoring_answered"))


def test_a_branch_member_offers_and_a_declined_mentoring_is_open_again(rosa, make_member, org):
    neighbour = make_member(unit=org.leeds)
    asked = services.mentoring_ask(member=rosa)
    with pytest.raises(NotPermitted):
        services.mentor_offer(mentoring=asked, mentor=make_member(unit=org.brighton))
    services.mentor_offer(mentoring=asked, mentor=neighbour)
    with pytest.raises(Conflict):
        services.mentor_offer(mentoring=asked, mentor=make_member(unit=org.leeds))
    services.mentoring_accept(mentoring=asked, mentor=neighbour, accept=False)
    asked.refresh_from_db()
    assert asked.status == Mentoring.Status.ASKED
    assert asked.mentor is None


def test_asking_twice_is_refused(rosa):
    services.mentoring_ask(member=rosa)
    with pytest.raises(Conflict):
        services.mentoring_ask(member=rosa)
    assert Mentoring.objects.filter(mentee=rosa).count() == 1


def test_the_clock_reminds_member_and_mentor_once_when_the_review_is_due(
    rosa, make_member, org, set_rule, run_worker
):
    set_rule("development.plan_review_days", 30)
    mentor = make_member(unit=org.leeds)
    start = date(2027, 1, 4)
    with at(start):
        plan = services.plan_save(member=rosa, aims="Organise", share_with_officers=False)
        mentoring = services.mentoring_ask(member=rosa)
        services.mentor_offer(mentoring=mentoring, mentor=mentor)
        services.mentoring_accept(mentoring=mentoring, mentor=mentor)
    assert plan.review_due_on == start + timedelta(days=30)
    with at(start + timedelta(days=29)):
        assert services.plans_review_sweep() == 0
    with at(start + timedelta(days=30)):
        assert services.plans_review_sweep() == 1
        assert services.plans_review_sweep() == 0
    run_worker()
    assert told(rosa, "development.review_due") == ["Your development plan is due for review"]
    assert len(told(mentor, "development.review_due")) == 1

    with at(start + timedelta(days=31)):
        services.plan_review(actor=mentor, plan=plan)
    plan.refresh_from_db()
    assert plan.review_due_on == start + timedelta(days=61)
    with at(start + timedelta(days=61)):
        assert services.plans_review_sweep() == 1


def test_the_clock_enqueues_the_review_sweep(db):
    from commonweal.core.schedule import PERIODIC

    paths = {job.task_path for job in PERIODIC}
    assert "commonweal.development.tasks.sweep_plan_reviews" in paths
