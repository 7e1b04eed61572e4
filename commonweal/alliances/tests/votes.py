"""Carry a joint statement through the competent body's vote, as its meeting would."""

from datetime import timedelta

from commonweal.alliances import services
from commonweal.core import clock


def carry_by_vote(statement, *, body, chair, voters, answer="yes"):
    """Put the statement to a meeting of `body` chaired by `chair`; everyone votes `answer`."""
    from commonweal.meetings import services as meetings

    now = clock.now()
    meeting = meetings.meeting_schedule(
        body=body,
        kind="online",
        video_url="https://meet.example.org/committee",
        title="Committee meeting",
        opens_at=now,
        closes_at=now + timedelta(hours=2),
        scheduled_by=chair,
    )
    motion = services.joint_statement_put_to_meeting(
        actor=chair, statement=statement, meeting=meeting
    )
    return vote_on(motion, chair=chair, voters=voters, answer=answer)


def vote_on(motion, *, chair, voters, answer="yes"):
    """The chair puts the motion to the vote of those present, who all answer `answer`."""
    from commonweal.meetings import services as meetings
    from commonweal.meetings.models import Motion
    from commonweal.voting.models import Vote
    from commonweal.voting.services import ballot_cast, vote_close

    now = clock.now()
    meeting = motion.item.meeting
    for person in [chair, *voters]:
        meetings.attendance_register(meeting=meeting, member=person)
    meetings.motion_put_to_vote(motion=motion, chair=chair, closes_at=now + timedelta(hours=1))
    vote = Vote.objects.get(pk=Motion.objects.get(pk=motion.pk).vote_id)
    for voter in [chair, *voters]:
        ballot_cast(vote=vote, voter=voter, ranking=[answer])
    vote_close(vote=vote, closed_by=chair)
    return Motion.objects.get(pk=motion.pk)
