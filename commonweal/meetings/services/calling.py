"""Calling meetings and e-conferences, opening and closing them, and their agenda."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import notify
from commonweal.organisation.models import Body, Unit
from commonweal.organisation.selectors import members_in_scope
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current as current_rulebook

from ..models import (
    AgendaItem,
    Delegate,
    Meeting,
    SpeakerRequest,
)
from ._common import (
    MAX_TEXT,
    _check_times,
    _clean_title,
    _clean_video_url,
    _require_chair,
    _require_not_closed,
    meeting_url,
)


def meeting_schedule(
    *,
    body: Body,
    kind: str,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    scheduled_by: Any,
    place: str = "",
    video_url: str = "",
    description: str = "",
    is_public: bool = False,
) -> Meeting:
    """A body's officers schedule a meeting in person, online or both."""
    if not scheduled_by.has_perm("meetings.schedule_meeting", body):
        raise NotPermitted(
            _("Only the officers of %(body)s may schedule its meetings.") % {"body": body.name}
        )
    # Every field's problem is found before any is refused, so the form shows them together.
    found = Refusals()
    if kind not in Meeting.Kind.values or kind == Meeting.Kind.ECONFERENCE:
        found.add(Refused(_("Choose in person, online or both."), field="kind"))
    with found:
        title = _clean_title(title)
    link = None  # stays None when the link given is not a web address
    with found:
        link = _clean_video_url(video_url)
    with found:
        _check_times(opens_at, closes_at)
    if link == "" and kind in (Meeting.Kind.ONLINE, Meeting.Kind.HYBRID):
        found.add(Refused(_("An online meeting needs a video link."), field="video_url"))
    found.raise_any()
    video_url = link or ""  # None only when refused above
    rulebook = current_rulebook()
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=body,
            kind=kind,
            title=title,
            description=description[:MAX_TEXT],
            place=clean_plain(place)[:200],
            video_url=video_url,
            opens_at=opens_at,
            closes_at=closes_at,
            is_public=is_public,
            called_by=scheduled_by,
            created_at=clock.now(),
            rulebook_version=rulebook.version,
        )
        record_append(
            kind="meeting.scheduled",
            subject=meeting,
            actor=scheduled_by,
            payload={"body": body.pk, "kind": kind},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="meeting.scheduled",
            title=_("%(body)s meets: %(title)s") % {"body": body.name, "title": title},
            link=meeting_url(meeting),
            bodies=[body],
            actor=scheduled_by,
            thread=f"meeting:{meeting.pk}",
        )
    return meeting


def may_call_econference(body: Body) -> bool:
    allowed = current_rulebook()["econferences.who_may_call"]
    return "any" in allowed or body.kind in allowed


def econference_call(
    *,
    body: Body,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    called_by: Any,
    video_url: str = "",
    scope: Unit | None = None,
    description: str = "",
) -> Meeting:
    """Call an e-conference of every member in `scope` (the body's scope by default).

    The rulebook's `econferences.who_may_call` says which kinds of body may call one; a
    member calling it must be an officer of that body (`called_by=None` is the platform
    itself, e.g. the policy process reaching its approval step).
    """
    if not may_call_econference(body):
        raise NotPermitted(
            _("Under the rulebook, %(kind)s bodies may not call an e-conference.")
            % {"kind": body.get_kind_display()}
        )
    if called_by is not None and not called_by.has_perm("meetings.schedule_meeting", body):
        raise NotPermitted(
            _("Only the officers of %(body)s may call an e-conference.") % {"body": body.name}
        )
    found = Refusals()
    with found:
        title = _clean_title(title)
    with found:
        video_url = _clean_video_url(video_url)
    with found:
        _check_times(opens_at, closes_at)
    scope = scope or body.unit
    if not scope.path.startswith(body.unit.path):
        found.add(
            Refused(
                _("An e-conference of %(body)s can only involve members within %(unit)s.")
                % {"body": body.name, "unit": body.unit.name},
                field="scope",
            )
        )
    found.raise_any()
    rulebook = current_rulebook()
    with transaction.atomic():
        meeting = Meeting.objects.create(
            body=body,
            kind=Meeting.Kind.ECONFERENCE,
            title=title,
            description=description[:MAX_TEXT],
            video_url=video_url,
            opens_at=opens_at,
            closes_at=closes_at,
            scope=scope,
            called_by=called_by,
            created_at=clock.now(),
            rulebook_version=rulebook.version,
        )
        record_append(
            kind="econference.called",
            subject=meeting,
            actor=called_by,
            payload={"body": body.pk, "scope": scope.pk},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="econference.called",
            title=_("E-conference called: %(title)s") % {"title": title},
            link=meeting_url(meeting),
            units=[scope],
            actor=called_by,
            thread=f"meeting:{meeting.pk}",
        )
    return meeting


def delegates_set(*, meeting: Meeting, members: list[Any], set_by: Any) -> int:
    """Limit an e-conference to delegates (members in its scope)."""
    _require_chair(set_by, meeting)
    if not meeting.is_econference:
        raise Refused(_("Only an e-conference has delegates."))
    _require_not_closed(meeting)
    scope = meeting.scope or meeting.body.unit
    in_scope = set(
        members_in_scope(scope).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
    )
    if len(in_scope) != len({m.pk for m in members}):
        raise Refused(_("Delegates must be members in the e-conference's scope."), field="members")
    with transaction.atomic():
        Delegate.objects.filter(meeting=meeting).delete()
        Delegate.objects.bulk_create([Delegate(meeting=meeting, member_id=pk) for pk in in_scope])
        record_append(
            kind="econference.delegates_set",
            subject=meeting,
            actor=set_by,
            payload={"delegates": sorted(in_scope)},
        )
    return len(in_scope)


def meeting_video_set(*, meeting: Meeting, video_url: str, set_by: Any) -> Meeting:
    """The chair gives (or changes) the video-conference link, e.g. for an e-conference the
    policy process called; its participants are told."""
    _require_chair(set_by, meeting)
    video_url = _clean_video_url(video_url)
    if not video_url and meeting.kind != Meeting.Kind.IN_PERSON:
        raise Refused(_("An online meeting needs a video link."), field="video_url")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _require_not_closed(meeting)
        meeting.video_url = video_url
        meeting.save(update_fields=["video_url"])
        record_append(kind="meeting.video_set", subject=meeting, actor=set_by)
        notify(
            kind="meeting.video_set",
            title=_("Video link for %(title)s") % {"title": meeting.title},
            link=meeting_url(meeting),
            units=[meeting.scope] if meeting.is_econference else [],
            bodies=[] if meeting.is_econference else [meeting.body],
            actor=set_by,
            thread=f"meeting:{meeting.pk}",
        )
    return meeting


def meeting_open(*, meeting: Meeting, opened_by: Any) -> Meeting:
    _require_chair(opened_by, meeting)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state != Meeting.State.PLANNED:
            raise Conflict(_("This meeting is already open or closed."))
        meeting.state = Meeting.State.OPEN
        meeting.save(update_fields=["state"])
        record_append(kind="meeting.opened", subject=meeting, actor=opened_by)
    return meeting


def meeting_close(*, meeting: Meeting, closed_by: Any) -> Meeting:
    """Close the meeting: waiting speakers are dropped; those present at the close stay on
    its attendance (the minutes' count of who was there must not fall to nought)."""
    _require_chair(closed_by, meeting)
    now = clock.now()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.state == Meeting.State.CLOSED:
            raise Conflict(_("This meeting has already closed."))
        meeting.state = Meeting.State.CLOSED
        meeting.save(update_fields=["state"])
        SpeakerRequest.objects.filter(
            item__meeting=meeting, state=SpeakerRequest.State.WAITING
        ).update(state=SpeakerRequest.State.WITHDRAWN)
        SpeakerRequest.objects.filter(
            item__meeting=meeting, state=SpeakerRequest.State.SPEAKING
        ).update(state=SpeakerRequest.State.DONE, ended_at=now)
        record_append(kind="meeting.closed", subject=meeting, actor=closed_by)
    return meeting


def agenda_item_add(
    *,
    meeting: Meeting,
    kind: str,
    title: str,
    text: str = "",
    vote: Any = None,
    subject: str = "",
    added_by: Any,
) -> AgendaItem:
    """Add an item at the end of the agenda (`added_by=None`: added by the platform)."""
    _require_chair(added_by, meeting)
    if kind not in AgendaItem.Kind.values:
        raise Refused(
            _("An agenda item is a motion, an election, a report or a policy approval."),
            field="kind",
        )
    title = _clean_title(title)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _require_not_closed(meeting)
        last = meeting.items.aggregate(last=Max("order"))["last"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=last + 1,
            kind=kind,
            title=title,
            text=text[:MAX_TEXT],
            subject=subject[:120],
            vote_id=getattr(vote, "pk", vote),
            added_by=added_by,
            added_at=clock.now(),
        )
        record_append(
            kind="meeting.item_added",
            subject=meeting,
            actor=added_by,
            payload={"item": item.pk, "kind": kind, "vote": getattr(vote, "pk", None)},
        )
    return item
