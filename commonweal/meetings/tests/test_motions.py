"""Motions and amendments put to the vote through the voting app, and their decisions."""

from datetime import timedelta

import pytest

from commonweal.core.errors import Conflict
from commonweal.decisions.models import Decision
from commonweal.meetings import services
from commonweal.meetings.models import Motion
from commonweal.notifications.models import Notification
from commonweal.organisation.models import Body
from commonweal.organisation.services import body_create, body_membership_add
from commonweal.voting.models import Vote
from commonweal.voting.services import ballot_cast, vote_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(econference, chair):
    services.attendance_register(meeting=econference, member=chair)
    return services.agenda_item_add(
        meeting=econference, kind="policy_approval", title="Transport policy", added_by=chair
    )


def test_amendments_are_voted_first_and_a_carried_one_replaces_the_text(
    item, chair, econference, now
):
    motion = services.motion_table(item=item, text="Build trams.", tabled_by=chair)
    amendment = services.motion_table(
        item=item, text="Build trams and cycle lanes.", tabled_by=chair, amends=motion
    )
    closes = econference.closes_at
    with pytest.raises(Conflict, match="amendments are put to the vote first"):
        services.motion_put_to_vote(motion=motion, chair=chair, closes_at=closes)
    services.motion_put_to_vote(motion=amendment, chair=chair, closes_at=closes)
    vote = Vote.objects.get(pk=Motion.objects.get(pk=amendment.pk).vote_id)
    ballot_cast(vote=vote, voter=chair, ranking=["yes"])
    vote_close(vote=vote, closed_by=chair)
    motion.refresh_from_db()
    amendment.refresh_from_db()
    assert amendment.state == Motion.State.CARRIED
    assert motion.text == "Build trams and cycle lanes."
    assert motion.text_html == "<p>Build trams and cycle lanes.</p>\n"
    assert amendment.replaced_text == "Build trams."


def test_no_vote_is_put_on_an_item_of_a_closed_meeting(item, chair, econference):
    motion = services.motion_table(item=item, text="Build trams.", tabled_by=chair)
    services.meeting_close(meeting=econference, closed_by=chair)
    with pytest.raises(Conflict, match="closed"):
        services.motion_put_to_vote(motion=motion, chair=chair, closes_at=econference.closes_at)
    motion.refresh_from_db()
    assert motion.state == Motion.State.TABLED
    assert not Vote.objects.exists()


@pytest.fixture
def section_motion(org, section_meeting, make_member, now):
    """A motion on the agenda of a transport section meeting, its three members present."""
    meeting, chair, secretary = section_meeting
    members = [secretary, make_member(unit=org.york)]
    body_membership_add(body=org.transport, member=members[1])
    for member in (chair, *members):
        services.attendance_register(meeting=meeting, member=member)
    item = services.agenda_item_add(meeting=meeting, kind="motion", title="Trams", added_by=chair)
    motion = services.motion_table(item=item, text="Build trams.", tabled_by=members[0])
    services.motion_put_to_vote(motion=motion, chair=chair, closes_at=now + timedelta(hours=1))
    motion.refresh_from_db()
    return motion, chair, members


def test_a_carried_motion_reaches_the_body_and_the_leadership_through_the_worker(
    org, section_motion, make_member, run_worker
):
    motion, chair, members = section_motion
    leader = make_member(unit=org.brighton)
    body_membership_add(body=org.leadership, member=leader)
    north = body_create(name="North Committee", kind=Body.Kind.LEADERSHIP, unit=org.north)
    regional = make_member(unit=org.york)
    body_membership_add(body=north, member=regional)
    vote = Vote.objects.get(pk=motion.vote_id)
    for voter in (chair, *members):
        ballot_cast(vote=vote, voter=voter, ranking=["yes"])

    vote_close(vote=vote, closed_by=chair)

    motion.refresh_from_db()
    assert motion.state == Motion.State.CARRIED
    decision = Decision.objects.get(pk=motion.decision_id)
    assert decision.body == org.transport
    assert decision.meeting_id == motion.item.meeting_id
    assert not Notification.objects.filter(event__kind="decision.recorded").exists()
    run_worker()
    got = set(
        Notification.objects.filter(event__kind="decision.recorded").values_list(
            "recipient_id", flat=True
        )
    )
    assert got == {chair.pk, *(m.pk for m in members), leader.pk}
    assert regional.pk not in got


def test_a_motion_voted_without_quorum_is_without_effect_and_says_so(
    client, org, section_motion, make_member
):
    motion, chair, members = section_motion
    latecomers = [make_member(unit=org.leeds) for _ in range(40)]
    for member in latecomers:  # the section grows to 43 before the close: the quorum is 5
        body_membership_add(body=org.transport, member=member)
    vote = Vote.objects.get(pk=motion.vote_id)
    ballot_cast(vote=vote, voter=members[0], ranking=["yes"])

    vote = vote_close(vote=vote, closed_by=chair)

    assert vote.outcome == "quorum_not_reached"
    motion.refresh_from_db()
    assert motion.state == Motion.State.VOID
    assert motion.decision_id is None
    assert not Decision.objects.exists()
    client.force_login(members[1])
    page = client.get(f"/meetings/{motion.item.meeting_id}/").content.decode()
    assert "without effect: the vote had no quorum" in page
    assert "Put the motion to the vote" not in page
    result = client.get(f"/votes/{vote.pk}/result/").content.decode()
    assert "This vote is without effect." in result
    assert "Quorum not reached" in result

    # It decided nothing, so once a quorum is present the chair may put it again.
    for member in latecomers[:2]:
        services.attendance_register(meeting=motion.item.meeting, member=member)
    client.force_login(chair)
    assert (
        "Put the motion to the vote"
        in client.get(f"/meetings/{motion.item.meeting_id}/").content.decode()
    )
    services.motion_put_to_vote(
        motion=motion, chair=chair, closes_at=vote.closes_at + timedelta(minutes=30)
    )
    motion.refresh_from_db()
    assert motion.state == Motion.State.VOTING
    assert motion.vote_id != vote.pk


def test_a_void_amendment_lets_the_motion_go_to_the_vote(
    item, chair, econference, make_member, org
):
    motion = services.motion_table(item=item, text="Build trams.", tabled_by=chair)
    amendment = services.motion_table(
        item=item, text="Build trams and buses.", tabled_by=chair, amends=motion
    )
    services.motion_put_to_vote(motion=amendment, chair=chair, closes_at=econference.closes_at)
    vote = Vote.objects.get(pk=Motion.objects.get(pk=amendment.pk).vote_id)
    vote_close(vote=vote, closed_by=chair)  # no ballots: without effect
    amendment.refresh_from_db()
    assert amendment.state == Motion.State.VOID
    services.motion_put_to_vote(motion=motion, chair=chair, closes_at=econference.closes_at)
    motion.refresh_from_db()
    assert motion.state == Motion.State.VOTING
    assert motion.text == "Build trams."
