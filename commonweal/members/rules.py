"""Who may see and act on members and applications."""

import rules

from commonweal.organisation.rules import is_administrator, is_member, is_officer_of_unit
from commonweal.organisation.selectors import bodies_of


@rules.predicate
def is_officer_of_applicants_unit(user, application) -> bool:
    return application is not None and is_officer_of_unit(user, application.unit)


@rules.predicate
def is_officer_of_members_unit(user, member) -> bool:
    return member is not None and member.unit is not None and is_officer_of_unit(user, member.unit)


@rules.predicate
def is_self(user, member) -> bool:
    return member is not None and getattr(user, "pk", None) == member.pk


@rules.predicate
def may_see_by_visibility(user, member) -> bool:
    """The member's own choice of who may see their profile."""
    if member is None or not is_member(user) or not member.is_member:
        return False
    choice = member.visibility
    if choice == "organisation":
        return True
    same_unit = user.unit_id is not None and user.unit_id == member.unit_id
    if choice == "unit":
        return same_unit
    if choice == "bodies":
        return same_unit or bodies_of(user).filter(pk__in=bodies_of(member).values("pk")).exists()
    return False


rules.add_perm("members.decide_application", is_officer_of_applicants_unit | is_administrator)
rules.add_perm("members.suspend_member", is_officer_of_members_unit | is_administrator)
rules.add_perm(
    "members.view_profile",
    is_self | may_see_by_visibility | is_officer_of_members_unit | is_administrator,
)
rules.add_perm("members.export_data", is_self)
# The unit's members list as CSV: its officers (and, as for every permission, superusers).
rules.add_perm("members.export_unit_members", is_officer_of_unit)
# Importing a members list into a unit (and the branches below it): its officers, as for
# the members list download; an office-holder whose term has ended or who is suspended is
# no officer (`is_officer_of_unit` reads the dates and the standing).
rules.add_perm("members.import_members", is_officer_of_unit | is_administrator)


@rules.predicate
def is_officer_of_offers_unit(user, offer) -> bool:
    return offer is not None and is_officer_of_unit(user, offer.unit)


@rules.predicate
def is_any_unit_officer(user) -> bool:
    from commonweal.organisation.selectors import officer_unit_paths

    return is_member(user) and bool(officer_unit_paths(user))


# Tags a member keeps for officers: themselves, the officers of their unit and above.
rules.add_perm("members.see_hidden_tags", is_self | is_officer_of_members_unit | is_administrator)
# The capacities register: the officers of a unit search its subtree (the selectors
# keep each search within the units the officer is an officer of).
rules.add_perm("members.search_register", is_any_unit_officer | is_administrator)
rules.add_perm("members.make_offer", is_member)
rules.add_perm("members.answer_offer", is_officer_of_offers_unit | is_administrator)
