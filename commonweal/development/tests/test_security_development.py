"""A development plan is seen by its member, their mentor or mentee while the mentoring is
active, and the officers of the member's unit and above only if the member shares it;
nobody else, on the page or through the API."""

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.development import services
from commonweal.members import services as members

pytestmark = pytest.mark.django_db


def api(member) -> Client:
    _token, key = members.api_token_create(member=member, name="t", scope="write")
    return Client(headers={"Authorization": f"Token {key}"})


@pytest.fixture
def plan(org, make_member):
    rosa = make_member(unit=org.leeds, full_name="Rosa Ruiz")
    plan = services.plan_save(member=rosa, aims="Chair well", share_with_officers=False)
    services.goal_add(member=rosa, plan=plan, title="Secret ambition")
    return plan


def sees(member, plan, client, text: str = "Secret ambition") -> bool:
    client.force_login(member)
    page = client.get(reverse("development:plan", args=[plan.pk]))
    by_api = api(member).get(f"/api/development/plans/{plan.pk}")
    assert (page.status_code == 200) == (by_api.status_code == 200), member
    if page.status_code == 200:
        assert text in page.content.decode()
    else:
        assert page.status_code == by_api.status_code == 404
    return page.status_code == 200


def test_other_members_and_officers_elsewhere_never_see_the_plan(
    org, plan, make_member, make_officer, client
):
    for viewer in (
        make_member(unit=org.leeds),
        make_member(unit=org.brighton),
        make_officer(org.brighton),
        make_officer(org.south),
    ):
        assert not sees(viewer, plan, client)


def test_her_officers_see_it_only_when_she_shares_it(org, plan, make_officer, client):
    branch, region = make_officer(org.leeds), make_officer(org.north)
    york = make_officer(org.york)
    assert not sees(branch, plan, client)
    services.plan_save(member=plan.member, aims="Chair well", share_with_officers=True)
    assert sees(branch, plan, client)
    assert sees(region, plan, client)
    assert not sees(york, plan, client)


def test_mentor_and_mentee_see_each_others_plan_while_mentoring(org, plan, make_member, client):
    mentor = make_member(unit=org.leeds)
    mentors_plan = services.plan_save(member=mentor, aims="Teach", share_with_officers=False)
    mentoring = services.mentoring_ask(member=plan.member)
    services.mentor_offer(mentoring=mentoring, mentor=mentor)
    assert not sees(mentor, plan, client)  # offered, not yet accepted
    services.mentoring_accept(mentoring=mentoring, mentor=mentor)
    assert sees(mentor, plan, client)
    assert sees(plan.member, mentors_plan, client, text="Teach")
    services.mentoring_end(mentoring=mentoring, member=plan.member)
    assert not sees(mentor, plan, client)


def test_only_the_mentees_officers_name_a_mentor(org, plan, make_member, make_officer):
    from commonweal.core.errors import NotPermitted
    from commonweal.development.models import Mentoring

    mentoring = services.mentoring_ask(member=plan.member)
    for outsider in (make_officer(org.brighton), make_member(unit=org.leeds)):
        with pytest.raises(NotPermitted):
            services.mentor_assign(
                mentoring=mentoring, mentor=make_member(unit=org.leeds), officer=outsider
            )
    mentoring.refresh_from_db()
    assert mentoring.status == Mentoring.Status.ASKED
    assert mentoring.mentor is None
