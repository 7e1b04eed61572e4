"""Who may see and act on development plans and mentoring."""

import rules

from commonweal.organisation.rules import is_administrator, is_member, is_officer_of_unit


@rules.predicate
def owns_plan(user, plan) -> bool:
    return plan is not None and getattr(user, "pk", None) == plan.member_id


@rules.predicate
def mentors_or_is_mentored_by_owner(user, plan) -> bool:
    """Mentor and mentee see each other's plan while the mentoring is active."""
    from .selectors import active_partner_ids

    if plan is None or not is_member(user):
        return False
    return plan.member_id in active_partner_ids(user)


@rules.predicate
def officer_the_owner_shares_with(user, plan) -> bool:
    if plan is None or not plan.share_with_officers:
        return False
    member = plan.member
    return member.unit is not None and is_officer_of_unit(user, member.unit)


@rules.predicate
def officer_of_mentees_unit(user, mentoring) -> bool:
    unit = mentoring.mentee.unit if mentoring is not None else None
    return unit is not None and is_officer_of_unit(user, unit)


@rules.predicate
def of_the_mentees_unit(user, mentoring) -> bool:
    """A member of the same branch may offer to mentor someone looking for a mentor."""
    return (
        mentoring is not None
        and is_member(user)
        and user.unit_id is not None
        and user.unit_id == mentoring.mentee.unit_id
        and user.pk != mentoring.mentee_id
    )


@rules.predicate
def is_named_mentor(user, mentoring) -> bool:
    return mentoring is not None and getattr(user, "pk", None) == mentoring.mentor_id


@rules.predicate
def is_mentee(user, mentoring) -> bool:
    return mentoring is not None and getattr(user, "pk", None) == mentoring.mentee_id


rules.add_perm("development.keep_plan", is_member)
rules.add_perm(
    "development.view_plan",
    owns_plan | mentors_or_is_mentored_by_owner | officer_the_owner_shares_with,
)
rules.add_perm("development.view_mentoring", is_mentee | is_named_mentor | officer_of_mentees_unit)
rules.add_perm("development.assign_mentor", officer_of_mentees_unit | is_administrator)
rules.add_perm("development.offer_to_mentor", of_the_mentees_unit | officer_of_mentees_unit)
rules.add_perm("development.accept_mentoring", is_named_mentor)
rules.add_perm("development.end_mentoring", is_mentee | is_named_mentor)
