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


def _structure_paths(user) -> list[str]:
    """Paths of the units below (or, for bodies, within) which the user changes the structure:
    the national units of a national officer and, where the rulebook lets regional officers,
    the regions they are officers of."""
    from commonweal.rulebook.selectors import current

    from .models import Unit

    paths = officer_unit_paths(user)
    if not paths:
        return []
    kinds = [Unit.Kind.NATIONAL]
    if current()["structure.changed_by"] == "regional_officers":
        kinds.append(Unit.Kind.REGION)
    return list(
        Unit.objects.filter(path__in=paths, kind__in=kinds, closed_on=None).values_list(
            "path", flat=True
        )
    )


@rules.predicate
def changes_structure_under(user, unit) -> bool:
    """May add a unit under `unit`, or a body in it: it is the user's national unit or region,
    or lies within it."""
    if unit is None or not is_member(user):
        return False
    return any(unit.path.startswith(path) for path in _structure_paths(user))


@rules.predicate
def changes_unit(user, unit) -> bool:
    """May rename, merge or close `unit`: it lies strictly below the user's national unit or
    region (a region's officers do not close their own region)."""
    if unit is None or not is_member(user):
        return False
    return any(unit.path.startswith(path) and unit.path != path for path in _structure_paths(user))


@rules.predicate
def changes_body(user, body) -> bool:
    return body is not None and changes_structure_under(user, body.unit)


rules.add_perm("organisation.view_unit", is_member | is_administrator)
rules.add_perm("organisation.view_body", is_member | is_administrator)
rules.add_perm(
    "organisation.manage_body", is_officer_of_body | is_officer_of_scope | is_administrator
)
rules.add_perm("organisation.refer_from_body", is_officer_of_body | is_administrator)
rules.add_perm("organisation.grant_mandate", is_administrator | is_national_officer)
rules.add_perm("organisation.add_unit", changes_structure_under | is_administrator)
rules.add_perm("organisation.change_unit", changes_unit | is_administrator)
rules.add_perm("organisation.change_body", changes_body | is_administrator)
rules.add_perm("organisation.appoint_to_body", changes_body | is_administrator)
rules.add_perm("rulebook.stage_version", is_national_officer | is_administrator)
rules.add_perm("rulebook.view", is_member | is_administrator)
rules.add_perm("record.view", is_member | is_administrator)
