"""Writes for meetings and e-conferences, speakers, motions, minutes and accountability."""

import math
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import notify
from commonweal.organisation.models import Body, Mandate, Unit
from commonweal.organisation.selectors import members_in_scope
from commonweal.organisation.services import mandate_end, mandate_grant
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import current as current_rulebook

from . import selectors
from .models import (
    AccountabilityReport,
    AgendaItem,
    Attendance,
    Delegate,
    Election,
    Meeting,
    Minutes,
    Motion,
    Nomination,
    Recall,
    RecallSupport,
    SpeakerRequest,
)

MAX_TEXT = 50_000
_validate_url = URLValidator(schemes=["http", "https"])


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def _clean_title(title: str) -> str:
    title = clean_plain(title)[:200]
    if not title:
        raise Refused(_("Give it a title."), field="title")
    return title


def _clean_video_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        _validate_url(url)
    except ValidationError as exc:
        raise Refused(
            _("The video link must be a web address starting with https:// or http://."),
            field="video_url",
        ) from exc
    return url


def _check_times(opens_at: datetime, closes_at: datetime) -> None:
    """A meeting may be entered once it has begun, never once it is over (nobody could come)."""
    if closes_at <= opens_at:
        raise Refused(_("A meeting must close after it opens."), field="closes_at")
    if closes_at <= clock.now():
        raise Refused(
            _("This time has passed: a meeting must close in the future."), field="closes_at"
        )


def is_running(meeting: Meeting) -> bool:
    """Open: opened by the chair, or planned and within its opening hours."""
    return meeting.phase == Meeting.State.OPEN


def _require_running(meeting: Meeting) -> None:
    meeting.refresh_from_db(fields=["state", "opens_at", "closes_at"])
    if meeting.phase == Meeting.State.CLOSED:
        raise Conflict(_("This meeting has closed."))
    if meeting.phase == Meeting.State.PLANNED:
        raise Conflict(_("This meeting has not opened yet."))


def _require_not_closed(meeting: Meeting) -> None:
    meeting.refresh_from_db(fields=["state"])
    if meeting.state == Meeting.State.CLOSED:
        raise Conflict(_("This meeting has closed."))


def _require_chair(user: Any, meeting: Meeting) -> None:
    if user is not None and not user.has_perm("meetings.chair_meeting", meeting):
        raise NotPermitted(
            _("Only the officers of %(body)s chair its meetings.") % {"body": meeting.body.name}
        )


def _require_participant(member: Any, meeting: Meeting) -> None:
    if not member.has_perm("meetings.take_part_meeting", meeting):
        if meeting.is_econference:
            raise NotPermitted(
                _("Only the members in this e-conference's scope (or its delegates) take part.")
            )
        raise NotPermitted(
            _("Only members of %(body)s take part in its meetings.") % {"body": meeting.body.name}
        )


# Meetings and e-conferences ---------------------------------------------------------------


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
    if kind not in Meeting.Kind.values or kind == Meeting.Kind.ECONFERENCE:
        raise Refused(_("Choose in person, online or both."), field="kind")
    if not scheduled_by.has_perm("meetings.schedule_meeting", body):
        raise NotPermitted(
            _("Only the officers of %(body)s may schedule its meetings.") % {"body": body.name}
        )
    title = _clean_title(title)
    video_url = _clean_video_url(video_url)
    _check_times(opens_at, closes_at)
    if kind in (Meeting.Kind.ONLINE, Meeting.Kind.HYBRID) and not video_url:
        raise Refused(_("An online meeting needs a video link."), field="video_url")
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
    title = _clean_title(title)
    video_url = _clean_video_url(video_url)
    _check_times(opens_at, closes_at)
    scope = scope or body.unit
    if not scope.path.startswith(body.unit.path):
        raise Refused(
            _("An e-conference of %(body)s can only involve members within %(unit)s.")
            % {"body": body.name, "unit": body.unit.name},
            field="scope",
        )
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


# Attendance -------------------------------------------------------------------------------


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


# Motions and amendments -------------------------------------------------------------------


def motion_table(
    *, item: AgendaItem, text: str, tabled_by: Any, amends: Motion | None = None
) -> Motion:
    """Table a motion on an item, or an amendment (a replacement text) to a motion."""
    meeting = item.meeting
    _require_participant(tabled_by, meeting)
    _require_not_closed(meeting)
    text = (text or "").strip()
    if not text:
        raise Refused(_("Write the text of the motion."), field="text")
    if item.kind in (AgendaItem.Kind.ELECTION, AgendaItem.Kind.REPORT):
        raise Refused(_("Motions are tabled on motion and policy approval items."))
    if amends is not None:
        if amends.item_id != item.pk or amends.amends_id is not None:
            raise Refused(_("An amendment amends a motion on the same item."), field="amends")
        if amends.state != Motion.State.TABLED:
            raise Conflict(_("This motion is already being voted on or decided."))
    rulebook = current_rulebook()
    with transaction.atomic():
        motion = Motion.objects.create(
            item=item,
            amends=amends,
            text=text[:MAX_TEXT],
            tabled_by=tabled_by,
            tabled_at=clock.now(),
            rulebook_version=rulebook.version,
        )
        record_append(
            kind="motion.amendment_tabled" if amends else "motion.tabled",
            subject=motion,
            actor=tabled_by,
            payload={"item": item.pk, "amends": getattr(amends, "pk", None)},
            rulebook_version=rulebook.version,
        )
    return motion


def _carried(vote: Any) -> bool:
    """A yes/no vote carried: it counted (quorum reached) and "yes" won."""
    return bool(vote.result and vote.result.get("effective") and "yes" in vote.result["winners"])


def _without_effect(vote: Any) -> bool:
    """The vote did not count (no quorum, or no ballots): it decided nothing either way."""
    return not (vote.result and vote.result.get("effective"))


def _require_quorum(meeting: Meeting) -> None:
    status = selectors.quorum_status(meeting)
    if not status["reached"]:
        raise Conflict(
            _("No quorum: %(present)s present, %(needed)s needed before a vote can be put.")
            % {"present": status["present"], "needed": status["needed"]}
        )


# A motion whose vote had no quorum decided nothing: the chair may put it again.
PUT_TO_VOTE_STATES = (Motion.State.TABLED, Motion.State.VOID)


def motion_put_to_vote(
    *, motion: Motion, chair: Any, closes_at: datetime, secret: bool = False
) -> Motion:
    """The chair puts a motion (its amendments first) or an amendment to a yes/no vote."""
    from commonweal.voting.services import vote_create, vote_open

    meeting = motion.item.meeting
    _require_chair(chair, meeting)
    _require_running(meeting)
    _require_quorum(meeting)
    with transaction.atomic():
        motion = (
            Motion.objects.select_for_update(of=("self",)).select_related("item").get(pk=motion.pk)
        )
        if motion.state not in PUT_TO_VOTE_STATES:
            raise Conflict(_("This motion is already being voted on or decided."))
        if motion.amendments.filter(state__in=[Motion.State.TABLED, Motion.State.VOTING]).exists():
            raise Conflict(_("Its amendments are put to the vote first."))
        if motion.amends_id and motion.amends.state != Motion.State.TABLED:
            raise Conflict(_("The motion this amends is no longer open to amendment."))
        label = _("Amendment") if motion.amends_id else _("Motion")
        vote = vote_create(
            title=f"{label} #{motion.pk}: {motion.item.title}",
            body=meeting.body,
            method="majority",
            secret=secret,
            electorate=meeting.scope if meeting.is_econference else None,
            closes_at=closes_at,
            created_by=chair,
            subject=subject_of(motion),
            on_close="commonweal.meetings.services.motion_vote_closed",
            meeting=meeting,
            agenda_item=motion.item,
        )
        vote_open(vote=vote, opened_by=chair)
        motion.state = Motion.State.VOTING
        motion.vote_id = vote.pk
        motion.save(update_fields=["state", "vote_id"])
        record_append(
            kind="motion.put_to_vote", subject=motion, actor=chair, payload={"vote": vote.pk}
        )
    return motion


def motion_vote_closed(vote: Any) -> None:
    """Closing step of a motion's vote: a carried amendment replaces the motion's text; a
    carried motion becomes a decision."""
    from commonweal.decisions.services import decision_record

    motion = (
        Motion.objects.select_for_update(of=("self",))
        .select_related("item__meeting__body")
        .get(vote_id=vote.pk)
    )
    carried = _carried(vote)
    if _without_effect(vote):
        motion.state = Motion.State.VOID
    else:
        motion.state = Motion.State.CARRIED if carried else Motion.State.LOST
    fields = ["state"]
    if carried and motion.amends_id:
        parent = Motion.objects.select_for_update().get(pk=motion.amends_id)
        motion.replaced_text = parent.text
        fields.append("replaced_text")
        parent.text = motion.text
        parent.save(update_fields=["text", "text_html"])
    elif carried:
        meeting = motion.item.meeting
        decision = decision_record(
            kind="motion",
            title=motion.item.title,
            text=motion.text,
            body=meeting.body,
            rulebook_version=vote.rulebook_version,
            vote=vote,
            meeting=meeting,
            subject=motion.item.subject or subject_of(motion),
            link=meeting_url(meeting),
            notify_bodies=minutes_recipients(meeting),
        )
        motion.decision = decision
        fields.append("decision")
    motion.save(update_fields=fields)


# Elections --------------------------------------------------------------------------------


def candidate_nominate(*, item: AgendaItem, candidate: Any, nominated_by: Any) -> Nomination:
    """Nominate a member (oneself, or anyone if chairing) in an election item."""
    meeting = item.meeting
    if item.kind != AgendaItem.Kind.ELECTION:
        raise Refused(_("Candidates are nominated in election items."))
    _require_not_closed(meeting)
    if candidate.pk != nominated_by.pk:
        _require_chair(nominated_by, meeting)
    else:
        _require_participant(nominated_by, meeting)
    if not candidate.is_member:
        raise Refused(_("Only members in good standing can stand."), field="candidate")
    if getattr(item, "vote_id", None):
        raise Conflict(_("The election is already under way; nominations are closed."))
    label = candidate.display_name
    if item.nominations.filter(label=label).exists():
        label = f"{label} (#{candidate.pk})"
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                item=item,
                candidate=candidate,
                label=label,
                nominated_by=nominated_by,
                nominated_at=clock.now(),
            )
            record_append(
                kind="election.nominated",
                subject=item,
                actor=nominated_by,
                payload={"candidate": candidate.pk},
            )
    except IntegrityError as exc:
        raise Conflict(_("%(name)s is already a candidate.") % {"name": label}) from exc
    return nomination


def election_open(
    *,
    item: AgendaItem,
    chair: Any,
    office: str,
    seats: int,
    closes_at: datetime,
    secret: bool = True,
    to_body: Body | None = None,
) -> Election:
    """Put an election item to a single transferable vote among its candidates."""
    from commonweal.voting.services import vote_create, vote_open

    meeting = item.meeting
    _require_chair(chair, meeting)
    if item.kind != AgendaItem.Kind.ELECTION:
        raise Refused(_("Only an election item is put to an election."))
    _require_running(meeting)
    _require_quorum(meeting)
    office = clean_plain(office)[:120]
    if not office:
        raise Refused(_("Name the office, for example Committee member."), field="office")
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if item.vote_id:
            raise Conflict(_("This election is already under way."))
        labels = list(item.nominations.values_list("label", flat=True))
        if len(labels) <= seats:
            raise Refused(
                _("An election needs more candidates than seats (%(n)s candidates).")
                % {"n": len(labels)},
                field="seats",
            )
        election = Election.objects.create(
            item=item, to_body=to_body or meeting.body, office=office, seats=seats
        )
        vote = vote_create(
            title=f"{item.title}: {office}",
            body=meeting.body,
            method="stv",
            candidates=labels,
            seats=seats,
            secret=secret,
            electorate=meeting.scope if meeting.is_econference else None,
            closes_at=closes_at,
            created_by=chair,
            subject=subject_of(item),
            on_close="commonweal.meetings.services.election_vote_closed",
            meeting=meeting,
            agenda_item=item,
        )
        vote_open(vote=vote, opened_by=chair)
        item.vote_id = vote.pk
        item.save(update_fields=["vote_id"])
        record_append(
            kind="election.opened",
            subject=item,
            actor=chair,
            payload={"vote": vote.pk, "seats": seats},
        )
    return election


def election_vote_closed(vote: Any) -> None:
    """Closing step of an election: the elected receive mandates, recorded as one decision."""
    from commonweal.decisions.services import decision_record

    item = AgendaItem.objects.select_related("meeting__body", "election__to_body").get(
        vote_id=vote.pk
    )
    winners = (vote.result or {}).get("winners") or []
    if not (vote.result or {}).get("effective") or not winners:
        return
    election = item.election
    by_label = {n.label: n.candidate for n in item.nominations.select_related("candidate")}
    elected = [by_label[label] for label in winners]
    decision = decision_record(
        kind="election",
        title=_("%(office)s of %(body)s elected")
        % {"office": election.office, "body": election.to_body.name},
        text=", ".join(m.display_name for m in elected),
        body=item.meeting.body,
        rulebook_version=vote.rulebook_version,
        vote=vote,
        meeting=item.meeting,
        subject=subject_of(item),
        link=meeting_url(item.meeting),
        notify_bodies=[*minutes_recipients(item.meeting), election.to_body],
    )
    for member in elected:
        mandate_grant(
            body=election.to_body, holder=member, office=election.office, decision=decision
        )
    election.decision = decision
    election.save(update_fields=["decision"])


# Minutes ----------------------------------------------------------------------------------


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
    from .tasks import send_minutes

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


# Accountability ---------------------------------------------------------------------------


def report_file(*, mandate: Mandate, text: str, filed_by: Any) -> AccountabilityReport:
    """The holder of a mandate reports to the members on what they did with it."""
    if not filed_by.has_perm("meetings.file_report", mandate):
        raise NotPermitted(_("Only the holder of this office files its reports."))
    if mandate.ended_early_on or mandate.ends_on < clock.now().date():
        raise Conflict(_("This mandate has ended."))
    text = (text or "").strip()
    if not text:
        raise Refused(_("Write the report."), field="text")
    rulebook = current_rulebook()
    with transaction.atomic():
        report = AccountabilityReport.objects.create(
            mandate=mandate,
            text=text[:MAX_TEXT],
            filed_at=clock.now(),
            rulebook_version=rulebook.version,
        )
        record_append(
            kind="mandate.report_filed",
            subject=mandate,
            actor=filed_by,
            payload={"report": report.pk},
            rulebook_version=rulebook.version,
        )
        notify(
            kind="mandate.report_filed",
            title=_("%(office)s of %(body)s has reported")
            % {"office": mandate.office, "body": mandate.body.name},
            link=reverse("meetings:accountability", args=[mandate.body.slug]),
            bodies=[mandate.body],
            actor=filed_by,
        )
    return report


# Recall -----------------------------------------------------------------------------------


def recall_start(*, mandate: Mandate, reason: str, started_by: Any) -> Recall:
    """Start a recall motion; it opens for the vote once enough members in scope support it."""
    if not started_by.has_perm("meetings.support_recall", mandate):
        raise NotPermitted(
            _("Only members within %(unit)s may move to recall this office-holder.")
            % {"unit": mandate.body.unit.name}
        )
    if mandate.ended_early_on or mandate.ends_on < clock.now().date():
        raise Conflict(_("This mandate has already ended."))
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("Say why the office-holder should be recalled."), field="reason")
    rulebook = current_rulebook()
    in_scope = members_in_scope(mandate.body.unit).count()
    needed = max(1, math.ceil(rulebook["offices.recall_support"] * in_scope))
    try:
        with transaction.atomic():
            recall = Recall.objects.create(
                mandate=mandate,
                reason=reason[:MAX_TEXT],
                started_by=started_by,
                started_at=clock.now(),
                support_needed=needed,
                rulebook_version=rulebook.version,
            )
            record_append(
                kind="recall.started",
                subject=recall,
                actor=started_by,
                payload={"mandate": mandate.pk, "support_needed": needed},
                rulebook_version=rulebook.version,
            )
            notify(
                kind="recall.started",
                title=_("A recall of %(office)s of %(body)s is gathering support")
                % {"office": mandate.office, "body": mandate.body.name},
                link=reverse("meetings:recall", args=[recall.pk]),
                bodies=[mandate.body],
                members=[mandate.holder],
                actor=started_by,
                thread=f"recall:{recall.pk}",
            )
    except IntegrityError as exc:
        raise Conflict(_("A recall of this office-holder is already under way.")) from exc
    recall_support(recall=recall, member=started_by)
    recall.refresh_from_db()
    return recall


def recall_support(*, recall: Recall, member: Any) -> Recall:
    """Support a recall; the support that reaches the threshold puts it to the vote, once."""
    mandate = recall.mandate
    if not member.has_perm("meetings.support_recall", mandate):
        raise NotPermitted(
            _("Only members within %(unit)s may support this recall.")
            % {"unit": mandate.body.unit.name}
        )
    with transaction.atomic():
        recall = (
            Recall.objects.select_for_update(of=("self",))
            .select_related("mandate__body")
            .get(pk=recall.pk)
        )
        if recall.state != Recall.State.GATHERING:
            raise Conflict(_("This recall is no longer gathering support."))
        try:
            with transaction.atomic():
                RecallSupport.objects.create(recall=recall, member=member, supported_at=clock.now())
        except IntegrityError as exc:
            raise Conflict(_("You already support this recall.")) from exc
        recall.support_count += 1
        recall.save(update_fields=["support_count"])
        record_append(kind="recall.supported", subject=recall, actor=member)
        if recall.support_count >= recall.support_needed:
            _recall_to_vote(recall)
    return recall


def _recall_to_vote(recall: Recall) -> None:
    """Put the recall to the members in scope, under the rulebook's recall majority."""
    from commonweal.voting.services import vote_create, vote_open

    rulebook = current_rulebook()
    mandate = recall.mandate
    vote = vote_create(
        title=_("Recall %(holder)s as %(office)s of %(body)s")
        % {
            "holder": mandate.holder.display_name,
            "office": mandate.office,
            "body": mandate.body.name,
        },
        body=mandate.body,
        method="majority",
        secret=True,
        electorate=mandate.body.unit,
        closes_at=clock.now() + timedelta(days=rulebook["offices.recall_vote_days"]),
        created_by=None,
        subject=subject_of(recall),
        on_close="commonweal.meetings.services.recall_vote_closed",
        majority=rulebook["offices.recall_majority"],
    )
    vote_open(vote=vote, opened_by=None)
    recall.state = Recall.State.VOTING
    recall.vote_id = vote.pk
    recall.save(update_fields=["state", "vote_id"])
    record_append(
        kind="recall.threshold_reached",
        subject=recall,
        payload={"supports": recall.support_count, "vote": vote.pk},
        rulebook_version=recall.rulebook_version,
    )


def recall_vote_closed(vote: Any) -> None:
    """Closing step of a recall vote: if carried, the mandate ends and a decision records it."""
    from commonweal.decisions.services import decision_record

    recall = (
        Recall.objects.select_for_update(of=("self",))
        .select_related("mandate__body", "mandate__holder")
        .get(vote_id=vote.pk)
    )
    if not _carried(vote):
        recall.state = Recall.State.VOID if _without_effect(vote) else Recall.State.LOST
        recall.save(update_fields=["state"])
        return
    mandate = recall.mandate
    mandate_end(mandate=mandate, reason=_("recalled by vote #%(vote)s") % {"vote": vote.pk})
    recall.decision = decision_record(
        kind="motion",
        title=_("%(holder)s recalled as %(office)s of %(body)s")
        % {
            "holder": mandate.holder.display_name,
            "office": mandate.office,
            "body": mandate.body.name,
        },
        text=recall.reason,
        body=mandate.body,
        rulebook_version=vote.rulebook_version,
        vote=vote,
        subject=subject_of(recall),
        link=reverse("meetings:recall", args=[recall.pk]),
    )
    recall.state = Recall.State.CARRIED
    recall.save(update_fields=["state", "decision"])


# Erasure ----------------------------------------------------------------------------------


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
