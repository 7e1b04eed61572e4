"""One member cannot notify a whole region or the nation: opening there, and whom it tells."""

import json

import pytest

from commonweal.core.errors import NotPermitted
from commonweal.core.ratelimit import RateLimited, parse_rate
from commonweal.discussion import services
from commonweal.discussion.models import Debate, TemperatureCheck
from commonweal.notifications.models import Event, Notification
from commonweal.organisation.selectors import member_count_in_scope

pytestmark = pytest.mark.django_db

REACH = 5
OPENINGS = parse_rate(services.OPEN_RATE)[0]


@pytest.fixture
def nation_of_members(org, make_member, set_rule):
    """More members in the nation than one member's reach; Leeds alone stays within it."""
    set_rule("notifications.member_reach", REACH)
    for unit in (org.leeds, org.york, org.brighton):
        for _ in range(3):
            make_member(unit=unit)
    assert member_count_in_scope(org.nation) > REACH >= member_count_in_scope(org.leeds)
    return org


def test_a_member_cannot_open_a_debate_for_the_whole_nation_through_the_api(
    nation_of_members, make_member, client, run_worker
):
    client.force_login(make_member(unit=nation_of_members.leeds))
    response = client.post(
        "/api/discussion/debates",
        json.dumps({"question": "Everyone look at me", "unit_id": nation_of_members.nation.pk}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "officers" in response.json()["detail"]
    run_worker()
    assert not Debate.objects.exists()
    assert not Event.objects.exists()
    assert not Notification.objects.exists()


def test_a_member_cannot_open_a_check_in_the_region_or_the_organisation(
    nation_of_members, make_member
):
    member = make_member(unit=nation_of_members.leeds)
    for space in ({"space_unit": nation_of_members.north}, {}):
        with pytest.raises(NotPermitted):
            services.check_open(statement="Look at me", opened_by=member, **space)
    assert not TemperatureCheck.objects.exists()
    assert not Event.objects.exists()


def test_the_nations_officer_opens_there_and_tells_everyone(
    nation_of_members, make_officer, run_worker
):
    officer = make_officer(nation_of_members.nation, unit=nation_of_members.york)
    services.debate_open(
        space_unit=nation_of_members.nation, question="Our next campaign?", opened_by=officer
    )
    run_worker()
    event = Event.objects.get(kind="discussion.debate_opened")
    assert event.unit_ids == [nation_of_members.nation.pk]
    # Everyone but the officer who opened it.
    assert (
        Notification.objects.filter(event=event).count()
        == member_count_in_scope(nation_of_members.nation) - 1
    )


def test_where_the_rulebook_lets_members_open_wide_only_the_officers_are_told(
    nation_of_members, make_member, make_officer, set_rule, run_worker
):
    set_rule("discussion.open_in_wide_space", "members")
    officer = make_officer(nation_of_members.nation, unit=nation_of_members.york)
    member = make_member(unit=nation_of_members.leeds)
    services.debate_open(space_unit=nation_of_members.nation, question="Mine?", opened_by=member)
    run_worker()
    event = Event.objects.get(kind="discussion.debate_opened")
    assert (event.unit_ids, event.member_ids) == ([], [officer.pk])
    assert list(Notification.objects.values_list("recipient", flat=True)) == [officer.pk]


def test_a_member_still_opens_in_a_small_branch_and_tells_it(nation_of_members, make_member):
    member = make_member(unit=nation_of_members.leeds)
    services.debate_open(space_unit=nation_of_members.leeds, question="Stall?", opened_by=member)
    assert Event.objects.get().unit_ids == [nation_of_members.leeds.pk]


@pytest.mark.usefixtures("one_rate_window")
def test_opening_is_rate_limited(nation_of_members, make_member, client):
    member = make_member(unit=nation_of_members.leeds)
    client.force_login(member)
    answers = [
        client.post(
            "/api/discussion/checks" if i % 2 else "/api/discussion/debates",
            json.dumps(
                {"question": f"Q{i}", "statement": f"S{i}", "unit_id": nation_of_members.leeds.pk}
            ),
            content_type="application/json",
        ).status_code
        for i in range(OPENINGS + 1)
    ]
    assert answers == [201] * OPENINGS + [429]
    assert Debate.objects.count() + TemperatureCheck.objects.count() == OPENINGS


@pytest.mark.usefixtures("one_rate_window")
def test_a_tendency_position_on_a_wide_debate_tells_its_officers_not_everyone(
    nation_of_members, make_member, make_officer, set_rule
):
    set_rule("tendencies.recognition_minimum", 1)
    officer = make_officer(nation_of_members.nation, unit=nation_of_members.york)
    debate = services.debate_open(
        space_unit=nation_of_members.nation, question="Our next campaign?", opened_by=officer
    )
    speaker = make_member(unit=nation_of_members.leeds)
    tendency = services.tendency_form(name="Green Left", platform="Buses.", founded_by=speaker)
    services.tendency_position_submit(
        tendency=tendency,
        subject=f"discussion.debate:{debate.pk}",
        text="Free buses.",
        submitted_by=speaker,
    )
    event = Event.objects.get(kind="discussion.tendency_position")
    assert event.unit_ids == []
    assert set(event.member_ids) == {officer.pk}

    def again():
        services.tendency_position_submit(
            tendency=tendency,
            subject=f"discussion.debate:{debate.pk}",
            text="Again.",
            submitted_by=speaker,
        )

    for _ in range(parse_rate(services.POSITION_RATE)[0] - 1):
        again()
    with pytest.raises(RateLimited):
        again()


def test_a_policy_proposal_to_a_wide_section_tells_its_officers(
    nation_of_members, make_member, make_officer
):
    from commonweal.organisation.services import body_membership_add
    from commonweal.policy.services import proposal_create

    section = nation_of_members.transport
    chair = make_officer(body=section)
    for _ in range(REACH):
        body_membership_add(body=section, member=make_member(unit=nation_of_members.york))
    proposal_create(
        author=make_member(unit=nation_of_members.leeds),
        section=section,
        title="Free buses",
        text="Buses should be free at the point of use.",
    )
    event = Event.objects.get(kind="policy.proposed")
    assert (event.body_ids, event.member_ids) == ([], [chair.pk])


def test_the_new_debate_page_offers_only_spaces_the_member_may_open_in(
    nation_of_members, make_member, make_officer, client
):
    client.force_login(make_member(unit=nation_of_members.leeds))
    page = client.get("/discussion/debates/new/").content.decode()
    assert f'value="unit:{nation_of_members.leeds.pk}"' in page
    assert f'value="unit:{nation_of_members.nation.pk}"' not in page
    assert 'value="org"' not in page
    client.force_login(make_officer(nation_of_members.nation, unit=nation_of_members.york))
    page = client.get("/discussion/debates/new/").content.decode()
    assert f'value="unit:{nation_of_members.nation.pk}"' in page
