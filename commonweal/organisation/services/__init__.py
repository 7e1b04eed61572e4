"""Writes to the unit tree, bodies, memberships, mandates and referrals, by what they change."""

from .bodies import body_close, body_create, body_membership_add, body_membership_end
from .mandates import (
    mandate_appoint,
    mandate_end,
    mandate_grant,
    mandates_end_on_leaving,
    mandates_sweep,
    member_erase,
    term_end,
)
from .referrals import referral_answer, referral_create
from .units import unit_close, unit_create, unit_merge, unit_rename

__all__ = [
    "body_close",
    "body_create",
    "body_membership_add",
    "body_membership_end",
    "mandate_appoint",
    "mandate_end",
    "mandate_grant",
    "mandates_end_on_leaving",
    "mandates_sweep",
    "member_erase",
    "referral_answer",
    "referral_create",
    "term_end",
    "unit_close",
    "unit_create",
    "unit_merge",
    "unit_rename",
]
