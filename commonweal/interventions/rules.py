"""Who sees and does what with struggles, interventions and lessons.

A branch sees its own (and what its units above do); the officers of a unit see everything in
its subtree. Another branch sees nothing of them: who takes part in which struggle is
sensitive (docs/interventions.md).
"""

import rules

from commonweal.organisation.rules import (
    is_administrator,
    is_member,
    is_officer_of_body,
    is_officer_of_scope,
    is_officer_of_unit,
)


def _in_chain(user, unit) -> bool:
    """The unit is the member's own or one above it."""
    own = getattr(user, "unit", None)
    return bool(unit is not None and own is not None and own.path.startswith(unit.path))


def sees_unit(user, unit) -> bool:
    return is_member(user) and (_in_chain(user, unit) or is_officer_of_unit(user, unit))


@rules.predicate
def sees_struggle(user, struggle) -> bool:
    return struggle is not None and sees_unit(user, struggle.unit)


@rules.predicate
def manages_struggle(user, struggle) -> bool:
    return struggle is not None and is_officer_of_unit(user, struggle.unit)


@rules.predicate
def reports_in_unit(user, unit) -> bool:
    return is_member(user) and _in_chain(user, unit)


@rules.predicate
def decides_report(user, report) -> bool:
    return report is not None and is_officer_of_unit(user, report.unit)


@rules.predicate
def sees_intervention(user, intervention) -> bool:
    return intervention is not None and sees_unit(user, intervention.unit)


@rules.predicate
def manages_intervention(user, intervention) -> bool:
    return intervention is not None and (
        is_officer_of_body(user, intervention.body) or is_officer_of_scope(user, intervention.body)
    )


@rules.predicate
def sees_lesson(user, lesson) -> bool:
    if lesson is None or not is_member(user):
        return False
    return lesson.shared or sees_unit(user, lesson.intervention.unit)


rules.add_perm("interventions.view", is_member | is_administrator)
rules.add_perm("interventions.view_struggle", sees_struggle | is_administrator)
rules.add_perm("interventions.add_struggle", is_officer_of_unit | is_administrator)
rules.add_perm("interventions.manage_struggle", manages_struggle | is_administrator)
rules.add_perm("interventions.report_action", reports_in_unit)
rules.add_perm("interventions.decide_report", decides_report | is_administrator)
rules.add_perm("interventions.view_intervention", sees_intervention | is_administrator)
rules.add_perm(
    "interventions.plan_intervention", is_officer_of_body | is_officer_of_scope | is_administrator
)
rules.add_perm("interventions.manage_intervention", manages_intervention | is_administrator)
rules.add_perm("interventions.view_lesson", sees_lesson | is_administrator)
