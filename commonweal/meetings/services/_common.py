"""What every step of a meeting checks: its times, its state, who chairs and who takes part."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain

from .. import selectors
from ..models import (
    Meeting,
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
