"""Every step of the policy process is one function here, one module per step.

Each checks the permission predicate and the step the proposal is at, reads the
rulebook in force, changes state in one transaction with the proposal row
locked, appends to the record and notifies whoever is concerned. Callers import
from this package (`commonweal.policy.services.x`), never from a step's module,
so the closing steps named by votes (`on_close`) keep their paths.
"""

from ._common import STAGE_DAYS, support_needed
from .approval import (
    AMEND_RATE,
    amendment_propose,
    amendment_vote_closed,
    approval_call,
    approval_vote_closed,
    draft_text_of,
    final_draft,
)
from .circulation import circulation_report, contribution_add, outside_consultation_add
from .consultation import (
    ConsultationClosed,
    comment_add,
    consultation_open,
    external_access,
    external_invite,
    invitation_token_issue,
    token_hash,
)
from .drafting import draft_save, drafting_start
from .proposal import PROPOSE_RATE, proposal_create, proposal_withdraw
from .scoping import scope_answer, scope_propose
from .stalls import proposals_sweep
from .support import (
    SUPPORT_RATE_PER_ACCOUNT,
    SUPPORT_RATE_PER_ADDRESS,
    proposal_expire,
    proposal_support,
    support_rate_check,
    support_withdraw,
)

__all__ = [
    "AMEND_RATE",
    "PROPOSE_RATE",
    "STAGE_DAYS",
    "SUPPORT_RATE_PER_ACCOUNT",
    "SUPPORT_RATE_PER_ADDRESS",
    "ConsultationClosed",
    "amendment_propose",
    "amendment_vote_closed",
    "approval_call",
    "approval_vote_closed",
    "circulation_report",
    "comment_add",
    "consultation_open",
    "contribution_add",
    "draft_save",
    "draft_text_of",
    "drafting_start",
    "external_access",
    "external_invite",
    "final_draft",
    "invitation_token_issue",
    "outside_consultation_add",
    "proposal_create",
    "proposal_expire",
    "proposal_support",
    "proposal_withdraw",
    "proposals_sweep",
    "scope_answer",
    "scope_propose",
    "support_needed",
    "support_rate_check",
    "support_withdraw",
    "token_hash",
]
