"""What every step shares: permission, input checks, the locked proposal, moving it on."""

import hashlib
import math
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain
from commonweal.organisation.models import Body
from commonweal.organisation.selectors import member_count_in_scope
from commonweal.record.services import record_append
from commonweal.rulebook.labels import readable
from commonweal.rulebook.selectors import Rulebook

from ..models import EarlyEnd, Proposal, Stage, StageTransition
from ..windows import counts, cut_off, reason_wanted, when, window

# A reason for ending a step early: a few sentences everyone cut off reads.
EARLY_REASON_MAX = 1000

T = TypeVar("T")

# The rulebook's duration for each stage that has a deadline.
STAGE_DAYS = {
    Stage.PROPOSED: "support_days",
    Stage.SCOPING: "scoping_days",
    Stage.CIRCULATION: "circulation_days",
    Stage.DRAFTING: "drafting_days",
    Stage.CONSULTATION: "consultation_days",
    Stage.APPROVAL: "approval_days",
}


def _require(user: Any, perm: str, obj: Any, message: str) -> None:
    if user is None or not user.has_perm(perm, obj):
        raise NotPermitted(message)


def _text(value: str, *, field: str, limit: int, what: str) -> str:
    """Markdown text: stripped, required, bounded. Sanitising happens when it is rendered."""
    value = (value or "").strip()
    if not value:
        raise Refused(_("%(what)s cannot be empty.") % {"what": what}, field=field)
    if len(value) > limit:
        raise Refused(
            _("%(what)s is too long: at most %(limit)s characters (this has %(n)s).")
            % {"what": what, "limit": f"{limit:,}", "n": f"{len(value):,}"},
            field=field,
        )
    return value


def _line(value: str, *, field: str, limit: int, what: str, required: bool = True) -> str:
    value = clean_plain(value or "")
    if required and not value:
        raise Refused(_("%(what)s cannot be empty.") % {"what": what}, field=field)
    if len(value) > limit:
        raise Refused(
            _("%(what)s is too long: at most %(limit)s characters.")
            % {"what": what, "limit": limit},
            field=field,
        )
    return value


def _thread(proposal: Proposal) -> str:
    return f"policy.proposal:{proposal.pk}"


def _locked(proposal: Proposal, *stages: str) -> Proposal:
    """Lock the proposal row and refuse if it is not at one of the given steps."""
    locked = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("section__unit")
        .get(pk=proposal.pk)
    )
    if locked.stage not in stages:
        raise Conflict(
            _("This proposal is at the “%(now)s” step; that action belongs to “%(wanted)s”.")
            % {
                "now": locked.get_stage_display(),
                "wanted": ", ".join(str(Stage(s).label) for s in stages),
            }
        )
    return locked


def _deadline(proposal: Proposal) -> datetime:
    """The current step's deadline: `_move` gives one to every step in STAGE_DAYS."""
    if proposal.stage_deadline is None:
        raise ValueError(f"proposal {proposal.pk} at {proposal.stage} has no deadline")
    return proposal.stage_deadline


def _move(
    proposal: Proposal, to: str, *, actor: Any, rulebook: Rulebook, note: str = ""
) -> StageTransition:
    """Move a locked proposal to its next step: timeline, deadline, record."""
    now = clock.now()
    days = STAGE_DAYS.get(Stage(to))
    deadline = now + timedelta(days=rulebook[f"policy.{days}"]) if days else None
    transition = StageTransition.objects.create(
        proposal=proposal,
        from_stage=proposal.stage,
        to_stage=to,
        actor=actor,
        at=now,
        deadline=deadline,
        rulebook_version=rulebook.version,
        note=note[:300],
    )
    proposal.stage = to
    proposal.stage_started_at = now
    proposal.stage_deadline = deadline
    proposal.stalled_since = None
    proposal.stall_notified_on = None
    proposal.save(
        update_fields=[
            "stage",
            "stage_started_at",
            "stage_deadline",
            "stalled_since",
            "stall_notified_on",
        ]
    )
    record_append(
        kind=f"policy.{to}",
        subject=proposal,
        actor=actor,
        payload={"proposal": proposal.pk, "from": transition.from_stage, "to": to},
        rulebook_version=rulebook.version,
    )
    return transition


def support_needed(section: Body, rulebook: Rulebook) -> int:
    """The rulebook's threshold: a number, or a share of the members in the section's scope."""
    threshold = rulebook["policy.support_threshold"]
    if rulebook["policy.support_threshold_kind"] == "absolute":
        needed = math.ceil(threshold)
    else:
        needed = math.ceil(threshold * member_count_in_scope(section.unit))
    return max(needed, rulebook["policy.support_minimum"])


def _end_window(proposal: Proposal, *, by: Any, reason: str, rulebook: Rulebook) -> EarlyEnd | None:
    """Check that `by` may end the locked proposal's current window now; keep why if early.

    No one ends the consultation or the amendments before their minimum; before the
    deadline only the officers the rulebook names may, with a reason, which is kept here
    for everyone cut off to read (the record holds its hash). None when the deadline has
    passed: then the step ends as the section decides.
    """
    win = window(proposal, rulebook)
    if win is None or not win.early:
        return None
    if win.earliest is not None and win.too_soon:
        raise Conflict(
            _(
                "The %(step)s stays open at least %(n)s days, until %(day)s: "
                "nobody may end it sooner."
            )
            % {
                "step": win.name,
                "n": (win.earliest - win.opened_at).days,
                "day": when(win.earliest),
            }
        )
    if not by.has_perm("policy.end_step_early", proposal):
        offices = rulebook["policy.end_early_by"]
        raise NotPermitted(
            _(
                "The %(step)s runs until %(day)s. Before then only %(who)s may end it, "
                "with a reason."
            )
            % {
                "step": win.name,
                "day": when(win.deadline),
                "who": readable("policy.end_early_by", offices, {}) if offices else _("nobody"),
            }
        )
    reason = clean_plain(reason or "")
    if not reason:
        raise Refused(reason_wanted(win), field="reason")
    if len(reason) > EARLY_REASON_MAX:
        raise Refused(
            _("The reason is too long: at most %(limit)s characters.")
            % {"limit": f"{EARLY_REASON_MAX:,}"},
            field="reason",
        )
    early = EarlyEnd.objects.create(
        proposal=proposal,
        stage=proposal.stage,
        by=by,
        at=win.now,
        deadline=win.deadline,
        reason=reason,
        cut_off=counts(cut_off(proposal)),
    )
    record_append(
        kind="policy.ended_early",
        subject=proposal,
        actor=by,
        payload={
            "proposal": proposal.pk,
            "stage": proposal.stage,
            "early_end": early.pk,
            "reason": hashlib.sha256(reason.encode()).hexdigest(),
        },
        rulebook_version=rulebook.version,
    )
    return early


def _early_text(early: EarlyEnd | None) -> str:
    """A notification's line on a step ended early: until when it was to run, and why."""
    if early is None:
        return ""
    return _("Ended before its deadline of %(day)s. The reason given: %(reason)s") % {
        "day": when(early.deadline),
        "reason": early.reason,
    }
