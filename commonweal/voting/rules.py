"""Who may create, run, see and cast votes."""

import rules

from commonweal.organisation.rules import (
    is_administrator,
    is_member,
    is_officer_of_body,
    is_officer_of_scope,
)

from .selectors import may_vote


@rules.predicate
def officer_of_votes_body(user, vote) -> bool:
    return vote is not None and (
        is_officer_of_body(user, vote.body) or is_officer_of_scope(user, vote.body)
    )


@rules.predicate
def in_electorate(user, vote) -> bool:
    return vote is not None and may_vote(user, vote)


rules.add_perm("voting.create_vote", is_officer_of_body | is_officer_of_scope | is_administrator)
rules.add_perm("voting.manage_vote", officer_of_votes_body | is_administrator)
rules.add_perm("voting.view_vote", is_member | is_administrator)
rules.add_perm("voting.cast_vote", in_electorate)
