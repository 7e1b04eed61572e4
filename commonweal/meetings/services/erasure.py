"""What erasing a member takes from meetings, and what stays."""

from typing import Any

from commonweal.core import clock

from ..models import (
    Attendance,
    Nomination,
    SpeakerRequest,
)


def member_erase(member: Any) -> None:
    """Speeches, attendance, motions, reports and recall supports stay, shown as by a former
    member, so minutes and results keep their integrity; what was still pending goes: a
    place on a speakers' list, presence in a running meeting, a candidacy not yet voted on."""
    now = clock.now()
    SpeakerRequest.objects.filter(member=member, state=SpeakerRequest.State.WAITING).update(
        state=SpeakerRequest.State.WITHDRAWN
    )
    SpeakerRequest.objects.filter(member=member, state=SpeakerRequest.State.SPEAKING).update(
        state=SpeakerRequest.State.DONE, ended_at=now
    )
    Attendance.objects.filter(member=member, left_at=None).update(left_at=now)
    Nomination.objects.filter(candidate=member, item__vote_id=None).delete()
