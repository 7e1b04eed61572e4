"""Motions and amendments, tabled, put to a vote and carried or lost."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.record.services import record_append, subject_of
from commonweal.rulebook.selectors import current as current_rulebook

from ..models import (
    AgendaItem,
    Motion,
)
from ._common import (
    MAX_TEXT,
    _carried,
    _require_chair,
    _require_not_closed,
    _require_participant,
    _require_quorum,
    _require_running,
    _without_effect,
    meeting_url,
)
from .minutes import minutes_recipients


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
        if motion.amends is not None and motion.amends.state != Motion.State.TABLED:
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
