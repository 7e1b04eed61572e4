"""A suspended member writes nothing in discussion; positions are seen only with their subject."""

import json

import pytest

from commonweal.core.errors import NotPermitted, Refused
from commonweal.discussion import services
from commonweal.discussion.models import Appeal, Debate, OpinionMap, TemperatureCheck, Tendency
from commonweal.discussion.models import TendencyPosition as Position
from commonweal.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tendency(make_member, set_rule, org):
    """A recognised tendency of three Leeds members."""
    set_rule("tendencies.recognition_minimum", 3)
    tendency = services.tendency_form(
        name="Green Left", platform="Transport for people.", founded_by=make_member(unit=org.leeds)
    )
    for _ in range(2):
        services.tendency_join(tendency=tendency, member=make_member(unit=org.leeds))
    tendency.refresh_from_db()
    return tendency


def suspend(member):
    Member.objects.filter(pk=member.pk).update(status=Member.Status.SUSPENDED)
    member.refresh_from_db()
    return member


def test_a_suspended_member_cannot_publish_a_tendency_position(tendency, debate, org):
    speaker = suspend(tendency.founded_by)
    with pytest.raises(NotPermitted, match="good standing"):
        services.tendency_position_submit(
            tendency=tendency,
            subject=f"discussion.debate:{debate.pk}",
            text="Free buses now.",
            submitted_by=speaker,
        )
    assert not Position.objects.exists()


def test_a_suspended_member_cannot_publish_a_position_through_the_api(tendency, debate, client):
    speaker = suspend(tendency.founded_by)
    client.force_login(speaker)
    response = client.post(
        "/api/discussion/positions",
        json.dumps(
            {
                "tendency_id": tendency.pk,
                "subject": f"discussion.debate:{debate.pk}",
                "text": "Free buses now.",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    assert not Position.objects.exists()


def test_a_suspended_member_cannot_form_or_join_a_tendency(tendency, make_member):
    suspended = suspend(make_member())
    with pytest.raises(NotPermitted):
        services.tendency_form(name="Red Dawn", platform="All of it.", founded_by=suspended)
    with pytest.raises(NotPermitted):
        services.tendency_join(tendency=tendency, member=suspended)
    assert Tendency.objects.count() == 1
    assert tendency.memberships.count() == 3


def test_a_suspended_opener_cannot_close_or_map_their_debate_or_close_their_check(org, make_member):
    opener = make_member(unit=org.leeds)
    debate = services.debate_open(space_unit=org.leeds, question="Stall?", opened_by=opener)
    check = services.check_open(space_unit=org.leeds, statement="Stall.", opened_by=opener)
    suspend(opener)
    with pytest.raises(NotPermitted):
        services.debate_close(debate=debate, closed_by=opener)
    with pytest.raises(NotPermitted):
        services.opinion_map_open(debate=debate, opened_by=opener)
    with pytest.raises(NotPermitted):
        services.check_close(check=check, closed_by=opener)
    assert Debate.objects.get().status == Debate.Status.OPEN
    assert TemperatureCheck.objects.get().status == TemperatureCheck.Status.OPEN
    assert not OpinionMap.objects.exists()


def test_a_suspended_author_cannot_edit_or_appeal(org, make_member, make_officer):
    author = make_member(unit=org.leeds)
    debate = services.debate_open(space_unit=org.leeds, question="Stall?", opened_by=author)
    contribution = services.contribution_post(
        debate=debate, author=author, stance="for", text="Yes."
    )
    services.contribution_hide(
        contribution=contribution, moderator=make_officer(org.leeds), reason="Off topic."
    )
    suspend(author)
    with pytest.raises(NotPermitted):
        services.contribution_edit(contribution=contribution, editor=author, text="Changed.")
    with pytest.raises(NotPermitted):
        services.appeal_lodge(contribution=contribution, author=author, grounds="Unfair.")
    contribution.refresh_from_db()
    assert contribution.text == "Yes."
    assert not Appeal.objects.exists()


@pytest.fixture
def restricted_position(tendency, org, make_member):
    """A position on a York branch debate, which Leeds members cannot see."""
    york = services.debate_open(
        space_unit=org.york, question="Close the York office?", opened_by=make_member(unit=org.york)
    )
    Position.objects.create(
        tendency=tendency,
        subject=f"discussion.debate:{york.pk}",
        text="Keep the York office open.",
        submitted_by=tendency.founded_by,
        submitted_at=york.opened_at,
        rulebook_version=1,
    )
    return york


def test_positions_on_a_debate_you_cannot_see_are_not_listed(
    restricted_position, org, make_member, client
):
    subject = f"discussion.debate:{restricted_position.pk}"
    client.force_login(make_member(unit=org.leeds))
    listed = client.get("/api/discussion/positions", {"subject": subject})
    assert listed.status_code == 200
    assert listed.json() == []
    client.force_login(make_member(unit=org.york))
    listed = client.get("/api/discussion/positions", {"subject": subject}).json()
    assert [p["text"] for p in listed] == ["Keep the York office open."]


def test_the_tendency_page_leaves_out_positions_on_debates_you_cannot_see(
    restricted_position, tendency, org, make_member, client
):
    client.force_login(make_member(unit=org.leeds))
    page = client.get(f"/discussion/tendencies/{tendency.slug}/").content.decode()
    assert "Keep the York office open." not in page
    client.force_login(make_member(unit=org.york))
    page = client.get(f"/discussion/tendencies/{tendency.slug}/").content.decode()
    assert "Keep the York office open." in page


def test_a_position_on_a_debate_you_cannot_see_is_refused_as_unknown(restricted_position, tendency):
    with pytest.raises(Refused, match="no such item"):
        services.tendency_position_submit(
            tendency=tendency,
            subject=f"discussion.debate:{restricted_position.pk}",
            text="Again.",
            submitted_by=tendency.founded_by,
        )
