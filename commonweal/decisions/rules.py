"""Who may see the register, record decisions, add actions and report on them."""

import rules

from commonweal.organisation.rules import (
    belongs_to_body,
    is_administrator,
    is_member,
    is_officer_of_body,
    is_officer_of_scope,
)


@rules.predicate
def officer_of_deciding_body(user, decision) -> bool:
    return decision is not None and (
        is_officer_of_body(user, decision.body) or is_officer_of_scope(user, decision.body)
    )


@rules.predicate
def owns_action(user, action) -> bool:
    if action is None or not is_member(user):
        return False
    if action.owner_member_id is not None and action.owner_member_id == user.pk:
        return True
    return action.owner_body_id is not None and belongs_to_body(user, action.owner_body)


@rules.predicate
def officer_of_actions_decision(user, action) -> bool:
    return action is not None and officer_of_deciding_body(user, action.decision)


rules.add_perm("decisions.view_decision", is_member | is_administrator)
rules.add_perm(
    "decisions.record_decision", is_officer_of_body | is_officer_of_scope | is_administrator
)
rules.add_perm("decisions.manage_decision", officer_of_deciding_body | is_administrator)
rules.add_perm(
    "decisions.report_action", owns_action | officer_of_actions_decision | is_administrator
)
