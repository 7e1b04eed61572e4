"""Who may publish news, see it, post notices and take them down."""

import rules

from commonweal.organisation.rules import (
    is_administrator,
    is_member,
    is_officer_of_body,
    is_officer_of_unit,
)


def _in_subtree(user, unit) -> bool:
    home = getattr(user, "unit", None)
    return bool(home is not None and unit is not None and home.path.startswith(unit.path))


@rules.predicate
def may_publish_to_scope(user, item) -> bool:
    """Officers of the scope unit or a unit above it; for a body's news, its officers too."""
    if item is None:
        return False
    if item.body_scope_id is not None and is_officer_of_body(user, item.body_scope):
        return True
    return is_officer_of_unit(user, item.unit)


@rules.predicate
def is_in_news_scope(user, item) -> bool:
    if item is None or not is_member(user):
        return False
    if item.body_scope_id is not None:
        return item.body_scope.memberships.filter(member=user, until=None).exists()
    return _in_subtree(user, item.unit)


@rules.predicate
def is_public_news(user, item) -> bool:
    return item is not None and item.is_public


@rules.predicate
def is_author(user, obj) -> bool:
    return obj is not None and obj.author_id is not None and obj.author_id == user.pk


@rules.predicate
def belongs_under_board(user, unit) -> bool:
    """A unit's board is for the members of its subtree."""
    return is_member(user) and _in_subtree(user, unit)


@rules.predicate
def is_officer_of_board(user, unit) -> bool:
    return is_officer_of_unit(user, unit)


@rules.predicate
def is_officer_of_notice_board(user, notice) -> bool:
    return notice is not None and is_officer_of_unit(user, notice.unit)


rules.add_perm("news.add_newsitem", may_publish_to_scope | is_administrator)
rules.add_perm(
    "news.view_newsitem",
    is_public_news | is_in_news_scope | (is_member & is_author) | is_administrator,
)
rules.add_perm("news.view_board", belongs_under_board | is_officer_of_board | is_administrator)
rules.add_perm("news.post_notice", belongs_under_board)
rules.add_perm("news.take_down_notice", is_officer_of_notice_board | is_administrator)
