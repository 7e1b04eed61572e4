"""Motions and amendments put to the vote through the voting app."""

import pytest

from commonweal.core.errors import Conflict
from commonweal.meetings import services
from commonweal.meetings.models import Motion
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
    assert amendment.replaced_text == "Build trams."


def test_no_vote_is_put_on_an_item_of_a_closed_meeting(item, chair, econference):
    motion = services.motion_table(item=item, text="Build trams.", tabled_by=chair)
    services.meeting_close(meeting=econference, closed_by=chair)
    with pytest.raises(Conflict, match="closed"):
        services.motion_put_to_vote(motion=motion, chair=chair, closes_at=econference.closes_at)
    motion.refresh_from_db()
    assert motion.state == Motion.State.TABLED
    assert not Vote.objects.exists()
