"""Writes for meetings and e-conferences, one module per step: calling and running a meeting,
attendance and speakers, motions, elections, minutes, accountability and recall, erasure.

Closing steps are named by their path here (`commonweal.meetings.services.motion_vote_closed`
is stored on votes), so every public name stays importable from the package."""

from ._common import (
    MAX_TEXT,
    is_running,
    meeting_url,
)
from .accountability import (
    recall_start,
    recall_support,
    recall_vote_closed,
    report_file,
)
from .attendance import (
    attendance_leave,
    attendance_register,
    speaker_next,
    speaker_request,
    speaker_stop,
    speaker_withdraw,
)
from .calling import (
    agenda_item_add,
    delegates_set,
    econference_call,
    may_call_econference,
    meeting_close,
    meeting_open,
    meeting_schedule,
    meeting_video_set,
)
from .elections import (
    candidate_nominate,
    election_open,
    election_vote_closed,
)
from .erasure import (
    member_erase,
)
from .minutes import (
    minutes_approve,
    minutes_recipients,
    minutes_send,
    minutes_write,
)
from .motions import (
    PUT_TO_VOTE_STATES,
    motion_put_to_vote,
    motion_table,
    motion_vote_closed,
)
from .reminders import (
    minutes_sweep,
    reports_sweep,
)

__all__ = [
    "MAX_TEXT",
    "PUT_TO_VOTE_STATES",
    "agenda_item_add",
    "attendance_leave",
    "attendance_register",
    "candidate_nominate",
    "delegates_set",
    "econference_call",
    "election_open",
    "election_vote_closed",
    "is_running",
    "may_call_econference",
    "meeting_close",
    "meeting_open",
    "meeting_schedule",
    "meeting_url",
    "meeting_video_set",
    "member_erase",
    "minutes_approve",
    "minutes_recipients",
    "minutes_send",
    "minutes_sweep",
    "minutes_write",
    "motion_put_to_vote",
    "motion_table",
    "motion_vote_closed",
    "recall_start",
    "recall_support",
    "recall_vote_closed",
    "report_file",
    "reports_sweep",
    "speaker_next",
    "speaker_request",
    "speaker_stop",
    "speaker_withdraw",
]
