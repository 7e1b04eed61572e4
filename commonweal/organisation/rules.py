"""Who may do what with units and bodies, derived from memberships and mandates."""

import rules

from .selectors import officer_body_ids, officer_unit_paths


@rules.predicate
def is_member(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_member)


@rules.predicate
def is_administrator(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


@rules.predicate
def is_officer_of_body(user, body) -> bool:
    if body is None or not getattr(user, "is_authenticated", False) or not user.is_member:
        return False
    return body.pk in officer_body_ids(user)


@rules.predicate
def is_officer_of_unit(user, unit) -> bool:
    """An officer of this unit's assembly or leadership, or of a unit above it."""
    if unit is None or not getattr(user, "is_authenticated", False) or not user.is_member:
        return False
    return any(unit.path.startswith(path) for path in officer_unit_paths(user))


@rules.predicate
def is_national_officer(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_member:
        return False
    return any(len(path) == 5 for path in officer_unit_paths(user))


@rules.predicate
def belongs_to_body(user, body) -> bool:
    if body is None or not getattr(user, "is_authenticated", False):
        return False
    return body.memberships.filter(member=user, until=None).exists()


@rules.predicate
def in_scope_of_body(user, body) -> bool:
    unit = getattr(user, "unit", None)
    return bool(body is not None and unit is not None and unit.path.startswith(body.unit.path))


@rules.predicate
def is_officer_of_scope(user, body) -> bool:
    """An officer of the unit (or a unit above) whose scope the body covers."""
    return body is not None and is_officer_of_unit(user, body.unit)


rules.add_perm("organisation.view_unit", is_member | is_administrator)
rules.add_perm("organisation.view_body", is_member | is_administrator)
rules.add_perm(
    "organisation.manage_body", is_officer_of_body | is_officer_of_scope | is_administrator
)
rules.add_perm("organisation.refer_from_body", is_officer_of_body | is_administrator)
rules.add_perm("organisation.grant_mandate", is_administrator | is_national_officer)
rules.add_perm("rulebook.stage_version", is_national_officer | is_administrator)
rules.add_perm("rulebook.view", is_member | is_administrator)
rules.add_perm("record.view", is_member | is_administrator)
