"""Who may see and keep the records of outside organisations.

Members see an organisation's public facts. A relationship is seen by the members of its
unit's subtree and by officers of that unit or above; its contact people's details only by
the members who hold it and those officers. Officers keep the records within their scope.
"""

import rules

from commonweal.organisation.rules import is_administrator, is_member, is_officer_of_unit
from commonweal.organisation.selectors import holds_any_office


def _in_subtree(user, unit) -> bool:
    home = getattr(user, "unit", None)
    return bool(home is not None and unit is not None and home.path.startswith(unit.path))


def _relationship(obj):
    """The relationship an object belongs to (a relationship, contact person, activity,
    statement), or None."""
    if obj is None:
        return None
    if hasattr(obj, "relationship"):
        return obj.relationship
    return obj


@rules.predicate
def is_officer_anywhere(user) -> bool:
    return is_member(user) and holds_any_office(user)


@rules.predicate
def keeps_organisation(user, organisation) -> bool:
    """An officer of the unit that keeps the organisation's record, or of a unit above."""
    return organisation is not None and is_officer_of_unit(user, organisation.unit)


@rules.predicate
def sees_relationship(user, obj) -> bool:
    relationship = _relationship(obj)
    if relationship is None or not is_member(user):
        return False
    return _in_subtree(user, relationship.unit) or is_officer_of_unit(user, relationship.unit)


@rules.predicate
def holds_relationship(user, obj) -> bool:
    relationship = _relationship(obj)
    if relationship is None or not is_member(user) or relationship.pk is None:
        return False
    return relationship.holders.filter(pk=user.pk).exists()


@rules.predicate
def officer_of_relationship(user, obj) -> bool:
    relationship = _relationship(obj)
    return relationship is not None and is_officer_of_unit(user, relationship.unit)


@rules.predicate
def is_published_statement(user, statement) -> bool:
    return statement is not None and statement.status == "published"


rules.add_perm("alliances.view_organisation", is_member | is_administrator)
rules.add_perm("alliances.add_organisation", is_officer_anywhere | is_administrator)
rules.add_perm("alliances.change_organisation", keeps_organisation | is_administrator)
rules.add_perm("alliances.view_relationship", sees_relationship | is_administrator)
rules.add_perm("alliances.manage_relationship", officer_of_relationship | is_administrator)
rules.add_perm(
    "alliances.view_contact_details",
    holds_relationship | officer_of_relationship | is_administrator,
)
rules.add_perm("alliances.add_contact_person", holds_relationship | officer_of_relationship)
rules.add_perm("alliances.record_activity", holds_relationship | officer_of_relationship)
rules.add_perm("alliances.view_statement", sees_relationship | is_administrator)
rules.add_perm("alliances.draft_statement", officer_of_relationship)
rules.add_perm("alliances.view_public_statement", is_published_statement)
