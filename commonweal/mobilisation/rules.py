"""Who may run actions and read who answered them.

An action belongs to a unit: its officers (and officers of the units above) create, edit,
open and close it and read its sign-ups; so do current members of a body the rulebook names
(`mobilisation.organised_by`) whose unit covers the action's unit. Officers keep the postcode
areas and places of the units in their scope. Anyone, signed in or not, may sign an open
action; suspended members, external participants and applicants sign as the public do.
"""

import rules

from commonweal.organisation.rules import is_administrator, is_member, is_officer_of_unit

from . import selectors


@rules.predicate
def organises_somewhere(user) -> bool:
    """An officer of some unit, or a member of a body named to organise actions."""
    return bool(
        is_member(user) and (selectors.officer_paths(user) or selectors.organiser_paths(user))
    )


@rules.predicate
def organises_in(user, unit) -> bool:
    """May run actions of `unit`: its officers and those above, or a named body covering it."""
    if unit is None or not is_member(user):
        return False
    if is_officer_of_unit(user, unit):
        return True
    return any(unit.path.startswith(path) for path in selectors.organiser_paths(user))


@rules.predicate
def organises_action(user, action) -> bool:
    return action is not None and organises_in.test(user, action.unit)


@rules.predicate
def is_open(user, action) -> bool:
    return action is not None and action.status == "open"


@rules.predicate
def keeps_places(user, unit) -> bool:
    return unit is not None and is_officer_of_unit(user, unit)


rules.add_perm("mobilisation.add_action", organises_somewhere)
rules.add_perm("mobilisation.add_action_in", organises_in)
rules.add_perm("mobilisation.change_action", organises_action)
rules.add_perm("mobilisation.view_signups", organises_action | is_administrator)
rules.add_perm("mobilisation.sign_action", is_open)
rules.add_perm("mobilisation.keep_places", keeps_places)
