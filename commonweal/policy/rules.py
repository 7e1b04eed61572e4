"""Who may take which step of the policy process."""

import rules

from commonweal.core import clock
from commonweal.organisation.rules import (
    belongs_to_body,
    is_administrator,
    is_member,
    is_officer_of_body,
    is_officer_of_unit,
)


def _in_scope(user, body) -> bool:
    unit = getattr(user, "unit", None)
    return bool(body is not None and unit is not None and unit.path.startswith(body.unit.path))


@rules.predicate
def in_scope_of_section(user, section) -> bool:
    return _in_scope(user, section)


@rules.predicate
def in_scope_of_proposal(user, proposal) -> bool:
    return proposal is not None and _in_scope(user, proposal.section)


@rules.predicate
def is_author(user, proposal) -> bool:
    return proposal is not None and getattr(user, "pk", None) == proposal.author_id


@rules.predicate
def acts_for_section(user, proposal) -> bool:
    """Members and officers of the proposal's policy section do the section's work."""
    if proposal is None:
        return False
    section = proposal.section
    return bool(belongs_to_body(user, section) or is_officer_of_body(user, section))


@rules.predicate
def may_contribute(user, circulation) -> bool:
    """Members of the unit (or the other section) the proposal was circulated to."""
    if circulation is None:
        return False
    if circulation.unit_id:
        unit = getattr(user, "unit", None)
        return unit is not None and unit.path.startswith(circulation.unit.path)
    return bool(belongs_to_body(user, circulation.body))


@rules.predicate
def may_report(user, circulation) -> bool:
    """A unit's officers speak for the unit; a section's members for their section."""
    if circulation is None:
        return False
    if circulation.unit_id:
        return bool(is_officer_of_unit(user, circulation.unit))
    return bool(belongs_to_body(user, circulation.body))


@rules.predicate
def step_deadline_passed(user, proposal) -> bool:
    return bool(
        proposal is not None
        and proposal.stage_deadline is not None
        and proposal.stage_deadline <= clock.now()
    )


@rules.predicate
def may_end_early(user, proposal) -> bool:
    """An officer of the proposal's section whom the rulebook lets end a step early."""
    from commonweal.organisation.selectors import officer_memberships
    from commonweal.rulebook.selectors import current

    if proposal is None or not getattr(user, "is_authenticated", False):
        return False
    offices = set(current()["policy.end_early_by"])
    section = proposal.section
    if "officers" in offices and is_officer_of_body(user, section):
        return True
    roles = set(offices & {"chair", "secretary"})
    # A chair or secretary by a mandate counts only within the mandate's dates.
    return bool(roles) and officer_memberships(body=section, member=user, role__in=roles).exists()


rules.add_perm("policy.view_proposal", is_member | is_administrator)
rules.add_perm("policy.add_proposal", is_member & in_scope_of_section)
rules.add_perm("policy.support_proposal", is_member & in_scope_of_proposal)
rules.add_perm("policy.withdraw_proposal", is_member & is_author)
rules.add_perm("policy.answer_scope", is_member & is_author)
rules.add_perm("policy.act_for_section", is_member & acts_for_section)
# Ending circulation, the consultation or the amendments: the section once the deadline has
# passed, before it only the officers the rulebook names (services also keep the minimums).
rules.add_perm("policy.end_step_early", is_member & may_end_early)
rules.add_perm(
    "policy.end_step", is_member & ((acts_for_section & step_deadline_passed) | may_end_early)
)
rules.add_perm("policy.contribute_circulation", is_member & may_contribute)
rules.add_perm("policy.report_circulation", is_member & may_report)
rules.add_perm("policy.comment_draft", is_member & in_scope_of_proposal)
rules.add_perm("policy.amend_draft", is_member & in_scope_of_proposal)
