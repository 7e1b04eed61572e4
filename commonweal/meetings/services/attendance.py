"""Who is present, and the speakers' list."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.record.services import record_append

from .. import selectors
from ..models import (
    AgendaItem,
    Attendance,
    Meeting,
    SpeakerRequest,
)
from ._common import (
    _require_chair,
    _require_participant,
    _require_running,
)


def attendance_register(*, meeting: Meeting, member: Any) -> Attendance:
    """A member registers as present (in the room, or signed in to the e-conference)."""
    _require_participant(member, meeting)
    _require_running(meeting)
    now = clock.now()
    with transaction.atomic():
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            meeting=meeting, member=member, defaults={"arrived_at": now}
        )
        if not created:
            if attendance.left_at is None:
                raise Conflict(_("You are already registered as present."))
            attendance.left_at = None
            attendance.save(update_fields=["left_at"])
        record_append(kind="meeting.attended", subject=meeting, actor=member)
    return attendance


def attendance_leave(*, meeting: Meeting, member: Any) -> Attendance:
    """Leaving is for a meeting that runs: a closed meeting's attendance is its record."""
    _require_running(meeting)
    with transaction.atomic():
        attendance = (
            Attendance.objects.select_for_update()
            .filter(meeting=meeting, member=member, left_at=None)
            .first()
        )
        if attendance is None:
            raise Conflict(_("You are not registered as present."))
        attendance.left_at = clock.now()
        attendance.save(update_fields=["left_at"])
        record_append(kind="meeting.left", subject=meeting, actor=member)
    return attendance


# The speakers' list -----------------------------------------------------------------------


def speaker_request(*, item: AgendaItem, member: Any) -> SpeakerRequest:
    """Ask to speak on an item; the queue puts those who have not yet spoken first."""
    meeting = item.meeting
    _require_participant(member, meeting)
    _require_running(meeting)
    if not selectors.present(meeting).filter(member=member).exists():
        raise Refused(_("Register as present before asking to speak."))
    try:
        with transaction.atomic():
            turn = SpeakerRequest.objects.create(item=item, member=member, requested_at=clock.now())
    except IntegrityError as exc:
        raise Conflict(_("You are already on the speakers' list for this item.")) from exc
    return turn


def speaker_withdraw(*, item: AgendaItem, member: Any) -> None:
    updated = SpeakerRequest.objects.filter(
        item=item, member=member, state=SpeakerRequest.State.WAITING
    ).update(state=SpeakerRequest.State.WITHDRAWN)
    if not updated:
        raise Conflict(_("You are not waiting to speak on this item."))


def speaker_next(*, item: AgendaItem, chair: Any) -> SpeakerRequest | None:
    """End the current speaker's time and give the floor to the first in the queue."""
    _require_chair(chair, item.meeting)
    _require_running(item.meeting)
    now = clock.now()
    with transaction.atomic():
        AgendaItem.objects.select_for_update().get(pk=item.pk)
        current = SpeakerRequest.objects.filter(item=item, state=SpeakerRequest.State.SPEAKING)
        for turn in current:
            turn.state = SpeakerRequest.State.DONE
            turn.ended_at = now
            turn.save(update_fields=["state", "ended_at"])
        queue = selectors.speakers_queue(item)
        if not queue:
            return None
        turn = queue[0]
        turn.state = SpeakerRequest.State.SPEAKING
        turn.started_at = now
        turn.save(update_fields=["state", "started_at"])
    return turn


def speaker_stop(*, item: AgendaItem, chair: Any) -> SpeakerRequest:
    """End the current speaker's time without giving the floor to anyone."""
    _require_chair(chair, item.meeting)
    with transaction.atomic():
        turn = (
            SpeakerRequest.objects.select_for_update()
            .filter(item=item, state=SpeakerRequest.State.SPEAKING)
            .first()
        )
        if turn is None:
            raise Conflict(_("Nobody is speaking."))
        turn.state = SpeakerRequest.State.DONE
        turn.ended_at = clock.now()
        turn.save(update_fields=["state", "ended_at"])
    return turn
