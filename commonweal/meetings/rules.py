"""Who may take part in, chair and minute meetings; who reports and who may recall."""

import rules

from commonweal.organisation.models import BodyMembership
from commonweal.organisation.rules import is_administrator, is_member, is_officer_of_body
from commonweal.organisation.selectors import officer_memberships


@rules.predicate
def is_participant(user, meeting) -> bool:
    """The body's members; for an e-conference, the members in scope (or its delegates)."""
    from .selectors import is_participant as participant

    return meeting is not None and is_member(user) and participant(meeting, user)


@rules.predicate
def chairs_meeting(user, meeting) -> bool:
    """Officers of the meeting's body chair it."""
    return meeting is not None and is_officer_of_body(user, meeting.body)


@rules.predicate
def is_secretary_of_meeting(user, meeting) -> bool:
    if meeting is None or not is_member(user):
        return False
    return officer_memberships(
        body_id=meeting.body_id, member=user, role=BodyMembership.Role.SECRETARY
    ).exists()


@rules.predicate
def is_chair_of_meeting(user, meeting) -> bool:
    if meeting is None or not is_member(user):
        return False
    return officer_memberships(
        body_id=meeting.body_id, member=user, role=BodyMembership.Role.CHAIR
    ).exists()


@rules.predicate
def officer_of_body(user, body) -> bool:
    return is_officer_of_body(user, body)


@rules.predicate
def holds_mandate(user, mandate) -> bool:
    return mandate is not None and is_member(user) and mandate.holder_id == user.pk


@rules.predicate
def in_scope_of_mandate(user, mandate) -> bool:
    unit = getattr(user, "unit", None)
    return bool(
        mandate is not None
        and is_member(user)
        and unit is not None
        and unit.path.startswith(mandate.body.unit.path)
    )


rules.add_perm("meetings.view_meeting", is_member | is_administrator)
rules.add_perm("meetings.take_part_meeting", is_participant)
rules.add_perm("meetings.chair_meeting", chairs_meeting | is_administrator)
rules.add_perm("meetings.schedule_meeting", officer_of_body | is_administrator)
rules.add_perm("meetings.write_minutes", is_secretary_of_meeting | is_administrator)
rules.add_perm("meetings.approve_minutes", is_chair_of_meeting | is_administrator)
rules.add_perm("meetings.file_report", holds_mandate)
rules.add_perm("meetings.support_recall", in_scope_of_mandate)
