"""Who may read, take part in and moderate discussion, derived from the discussion's space.

A space is a body (its members take part), a unit (members in its subtree take
part) or, with neither, the whole organisation (every member takes part).
"""

import rules

from commonweal.organisation.rules import (
    is_administrator,
    is_member,
    is_national_officer,
    is_officer_of_body,
    is_officer_of_unit,
)
from commonweal.organisation.selectors import (
    body_member_count,
    holds_any_office,
    member_count_in_scope,
)
from commonweal.rulebook.selectors import current as current_rulebook


def _in_unit(user, unit) -> bool:
    own = getattr(user, "unit", None)
    return own is not None and own.path.startswith(unit.path)


def _body_member(user, body) -> bool:
    return body.memberships.filter(member=user, until=None).exists()


@rules.predicate
def may_see_space(user, item) -> bool:
    """Members of the body or in its scope, members in the unit's subtree, officers above."""
    if item is None or not is_member(user):
        return False
    if item.space_body_id:
        body = item.space_body
        return (
            _in_unit(user, body.unit)
            or _body_member(user, body)
            or is_officer_of_unit(user, body.unit)
        )
    if item.space_unit_id:
        return _in_unit(user, item.space_unit) or is_officer_of_unit(user, item.space_unit)
    return True


@rules.predicate
def takes_part_in_space(user, item) -> bool:
    """Members of the body; members in the unit's subtree; every member for the organisation."""
    if item is None or not is_member(user):
        return False
    if item.space_body_id:
        return _body_member(user, item.space_body)
    if item.space_unit_id:
        return _in_unit(user, item.space_unit)
    return True


@rules.predicate
def moderates_space(user, item) -> bool:
    """The body's officers (or of its scope), the unit's, the national ones for the organisation."""
    if item is None or not is_member(user):
        return False
    if item.space_body_id:
        return is_officer_of_body(user, item.space_body) or is_officer_of_unit(
            user, item.space_body.unit
        )
    if item.space_unit_id:
        return is_officer_of_unit(user, item.space_unit)
    return is_national_officer(user)


def is_wide(item) -> bool:
    """The organisation, or a unit or body of more members than one member may notify."""
    reach = current_rulebook()["notifications.member_reach"]
    if item.space_body_id:
        return body_member_count(item.space_body) > reach
    if item.space_unit_id:
        return member_count_in_scope(item.space_unit) > reach
    return True


@rules.predicate
def may_open_there(user, item) -> bool:
    """In a wide space, only its officers, unless the rulebook lets every member open there."""
    if item is None:
        return False
    if current_rulebook()["discussion.open_in_wide_space"] == "members" or not is_wide(item):
        return True
    return moderates_space(user, item)


@rules.predicate
def is_open(user, item) -> bool:
    return item is not None and item.status == "open"


@rules.predicate
def is_author(user, contribution) -> bool:
    return contribution is not None and contribution.author_id == getattr(user, "pk", None)


@rules.predicate
def opened_it(user, item) -> bool:
    return item is not None and item.opened_by_id == getattr(user, "pk", None)


@rules.predicate
def decides_appeal(user, appeal) -> bool:
    return appeal is not None and is_officer_of_body(user, appeal.to_body)


@rules.predicate
def is_officer(user) -> bool:
    return is_member(user) and holds_any_office(user)


# Every write asks `is_member` (a member in good standing): a suspended member, or one who
# has left, reads what they may still see and writes nothing, whoever they once were.
rules.add_perm("discussion.view_debate", may_see_space | is_administrator)
rules.add_perm("discussion.contribute_debate", is_open & takes_part_in_space)
rules.add_perm("discussion.open_debate", takes_part_in_space & may_open_there)
rules.add_perm("discussion.moderate_debate", moderates_space | is_administrator)
# Whoever opened a debate or check (still in good standing) closes it, or starts its map.
leads_it = is_member & opened_it | moderates_space | is_administrator
rules.add_perm("discussion.manage_debate", leads_it)
rules.add_perm("discussion.edit_contribution", is_member & is_author)
rules.add_perm("discussion.decide_appeal", decides_appeal | is_administrator)
rules.add_perm("discussion.view_check", may_see_space | is_administrator)
rules.add_perm("discussion.respond_check", is_open & takes_part_in_space)
rules.add_perm("discussion.open_check", takes_part_in_space & may_open_there)
rules.add_perm("discussion.close_check", leads_it)
rules.add_perm("discussion.view_tendency", is_member | is_administrator)
rules.add_perm("discussion.take_part_tendency", is_member)
rules.add_perm("discussion.see_all_tendency_members", is_officer | is_administrator)
