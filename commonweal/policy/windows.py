"""When a step's window may end, and whom ending it early cuts off.

Circulation (units and sections report), the wider consultation (members and invited
outside groups comment) and the amendments to the final draft (members propose changes
until the e-conference is called) are windows that run to the step's deadline. Before it,
only the officers the rulebook names (`policy.end_early_by`) may end one, giving a reason;
the consultation and the amendments also have a floor nobody may cut
(`policy.consultation_min_days`, `policy.amendment_min_days`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonweal.core import clock
from commonweal.organisation.selectors import member_count_in_scope
from commonweal.rulebook.selectors import Rulebook

from .models import Circulation, Comment, ExternalInvitation, Proposal, Stage

# The steps that are windows, what ending each is called, and the rule for its floor.
WINDOWS = {
    Stage.CIRCULATION: (_("circulation"), None),
    Stage.CONSULTATION: (_("wider consultation"), "consultation_min_days"),
    Stage.APPROVAL: (_("time for amendments"), "amendment_min_days"),
}
# Names of those cut off listed on the confirmation page; the counts are always whole.
NAMES_SHOWN = 20


def when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


@dataclass(frozen=True)
class Window:
    stage: str
    name: Any
    opened_at: datetime
    deadline: datetime
    earliest: datetime | None
    now: datetime

    @property
    def early(self) -> bool:
        return self.now < self.deadline

    @property
    def too_soon(self) -> bool:
        return self.earliest is not None and self.now < self.earliest


def reason_wanted(win: Window) -> str:
    """What is said to an officer who ends a window early without saying why."""
    return gettext(
        "Say why the %(step)s ends before its deadline (%(day)s): everyone it cuts off "
        "will read it."
    ) % {"step": win.name, "day": when(win.deadline)}


def window(proposal: Proposal, rulebook: Rulebook) -> Window | None:
    """The window the proposal's current step is, or None if the step is not one."""
    if proposal.stage not in WINDOWS or proposal.stage_deadline is None:
        return None
    name, floor = WINDOWS[Stage(proposal.stage)]
    earliest = (
        proposal.stage_started_at + timedelta(days=rulebook[f"policy.{floor}"]) if floor else None
    )
    return Window(
        stage=proposal.stage,
        name=name,
        opened_at=proposal.stage_started_at,
        deadline=proposal.stage_deadline,
        earliest=earliest,
        now=clock.now(),
    )


def cut_off(proposal: Proposal) -> dict[str, Any]:
    """Who ending the current step now leaves out: counts, and the first names where few."""
    now = clock.now()
    if proposal.stage == Stage.CIRCULATION:
        silent = proposal.circulations.filter(status=Circulation.Status.SILENT)
        names = [str(c.recipient) for c in silent.select_related("unit", "body")[:NAMES_SHOWN]]
        return {"silent": silent.count(), "silent_names": names}
    if proposal.stage == Stage.CONSULTATION:
        invited = proposal.invitations.filter(expires_at__gt=now)
        commenters = (
            Comment.objects.filter(paragraph__version__proposal=proposal, author__isnull=False)
            .values("author")
            .distinct()
            .count()
        )
        return {
            "invitations": invited.count(),
            "invitation_names": list(invited.values_list("name", flat=True)[:NAMES_SHOWN]),
            "not_commented": max(member_count_in_scope(proposal.section.unit) - commenters, 0),
        }
    if proposal.stage == Stage.APPROVAL:
        return {
            "amendments": proposal.amendments.count(),
            "may_amend": member_count_in_scope(proposal.section.unit),
        }
    return {}


def counts(cut: dict[str, Any]) -> dict[str, int]:
    """What an early end keeps of `cut_off`: the counts, not the names."""
    return {k: v for k, v in cut.items() if isinstance(v, int)}


def closed_notice(invitation: ExternalInvitation) -> dict[str, Any] | None:
    """What an invitee's link says once the consultation it was for has closed; None if open.

    Ended early: when, the day the invitation had named, and the reason the officer gave.
    """
    proposal = invitation.proposal
    now = clock.now()
    if proposal.stage == Stage.CONSULTATION and invitation.expires_at > now:
        return None
    early = (
        proposal.early_ends.filter(stage=Stage.CONSULTATION, at__lt=invitation.expires_at)
        .filter(Q(at__gte=invitation.created_at))
        .order_by("-at")
        .first()
    )
    if early is not None:
        return {"early": True, "closed_at": early.at, "reason": early.reason}
    closed = (
        proposal.transitions.filter(from_stage=Stage.CONSULTATION, at__gte=invitation.created_at)
        .values_list("at", flat=True)
        .first()
    )
    return {"early": False, "closed_at": closed or invitation.expires_at, "reason": ""}
