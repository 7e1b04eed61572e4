"""Minutes: written, approved and sent to the bodies the rulebook names."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.notifications.services import notify
from commonweal.organisation.models import Body
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current as current_rulebook
from commonweal.search.services import index as search_index

from ..models import (
    Meeting,
    Minutes,
)
from ._common import (
    MAX_TEXT,
    meeting_url,
)


def minutes_write(*, meeting: Meeting, text: str, written_by: Any) -> Minutes:
    """The body's secretary writes (or revises) the minutes until they are approved."""
    if not written_by.has_perm("meetings.write_minutes", meeting):
        raise NotPermitted(
            _("Only the secretary of %(body)s writes its minutes.") % {"body": meeting.body.name}
        )
    text = (text or "").strip()
    if not text:
        raise Refused(_("Write the minutes."), field="text")
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
        if minutes is not None and minutes.state != Minutes.State.DRAFT:
            raise Conflict(_("These minutes have been approved and can no longer be changed."))
        if minutes is None:
            minutes = Minutes(meeting=meeting)
        minutes.text = text[:MAX_TEXT]
        minutes.written_by = written_by
        minutes.written_at = clock.now()
        minutes.save()
        search_index("meetings.minutes", minutes.pk)
        record_append(kind="minutes.written", subject=minutes, actor=written_by)
    return minutes


def minutes_recipients(meeting: Meeting) -> list[Body]:
    """The body itself and the bodies of the kinds the rulebook names, at its level or above:
    who receives the meeting's minutes and the decisions it takes."""
    kinds = current_rulebook()["meetings.minutes_to"]
    unit = meeting.body.unit
    steplen = unit.steplen
    above = [unit.path[:i] for i in range(steplen, len(unit.path) + 1, steplen)]
    others = Body.objects.filter(kind__in=kinds, unit__path__in=above).exclude(pk=meeting.body_id)
    return [meeting.body, *others]


def minutes_approve(*, minutes: Minutes, approved_by: Any) -> Minutes:
    """The chair records the body's approval; the minutes are sent soon after, by the worker."""
    meeting = minutes.meeting
    if not approved_by.has_perm("meetings.approve_minutes", meeting):
        raise NotPermitted(
            _("Only the chair of %(body)s records the approval of its minutes.")
            % {"body": meeting.body.name}
        )
    rulebook = current_rulebook()
    with transaction.atomic():
        minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if minutes.state != Minutes.State.DRAFT:
            raise Conflict(_("These minutes have already been approved."))
        minutes.state = Minutes.State.APPROVED
        minutes.approved_by = approved_by
        minutes.approved_at = clock.now()
        minutes.rulebook_version = rulebook.version
        minutes.save(update_fields=["state", "approved_by", "approved_at", "rulebook_version"])
        record_append(
            kind="minutes.approved",
            subject=minutes,
            actor=approved_by,
            payload={"meeting": meeting.pk},
            rulebook_version=rulebook.version,
        )
        minutes_id = minutes.pk
        transaction.on_commit(lambda: _enqueue_minutes(minutes_id))
    return minutes


def _enqueue_minutes(minutes_id: int) -> None:
    from ..tasks import send_minutes

    send_minutes.enqueue(minutes_id)


def minutes_send(*, minutes_id: int) -> bool:
    """Send approved minutes to the body and the bodies the rulebook names; once only."""
    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update(of=("self",))
            .select_related("meeting__body__unit")
            .get(pk=minutes_id)
        )
        if minutes.state != Minutes.State.APPROVED:
            return False
        meeting = minutes.meeting
        bodies = minutes_recipients(meeting)
        notify(
            kind="minutes.approved",
            title=_("Minutes of %(title)s (%(body)s)")
            % {"title": meeting.title, "body": meeting.body.name},
            link=meeting_url(meeting) + "#minutes",
            text=minutes.text,
            bodies=bodies,
            thread=f"meeting:{meeting.pk}",
        )
        minutes.state = Minutes.State.SENT
        minutes.sent_at = clock.now()
        minutes.save(update_fields=["state", "sent_at"])
        record_append(
            kind="minutes.sent",
            subject=minutes,
            payload={"bodies": [b.pk for b in bodies]},
        )
    return True
