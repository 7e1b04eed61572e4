"""Who may write, take, tutor and oversee courses.

Authors are the current members of the bodies the rulebook names (`training.authored_by`:
the training department, or any body given the mandate); a course is written by one such
body and opened to members of a unit within that body's scope. A reflection is personal:
only the learner and the tutor of their cohort read it, nobody else (not the course's
authors, not officers).
"""

import rules

from commonweal.organisation.rules import is_administrator, is_member

from . import selectors


@rules.predicate
def is_author(user) -> bool:
    """A member of a body the rulebook names to write courses."""
    return bool(is_member(user) and selectors.author_body_ids(user))


@rules.predicate
def authors_course(user, course) -> bool:
    return bool(
        course is not None and is_member(user) and course.body_id in selectors.author_body_ids(user)
    )


@rules.predicate
def may_take(user, course) -> bool:
    """A member in good standing whose unit lies in the course's scope, the course published."""
    unit = getattr(user, "unit", None)
    return bool(
        course is not None
        and is_member(user)
        and course.is_published
        and unit is not None
        and unit.path.startswith(course.unit.path)
    )


@rules.predicate
def takes_or_tutors(user, course) -> bool:
    """Has an enrolment in it or tutors one of its cohorts (after moving unit, too)."""
    return bool(
        course is not None and is_member(user) and selectors.is_learner_or_tutor(user, course)
    )


@rules.predicate
def tutors(user, cohort) -> bool:
    return bool(cohort is not None and is_member(user) and cohort.tutor_id == user.pk)


@rules.predicate
def authors_cohort(user, cohort) -> bool:
    return cohort is not None and authors_course.test(user, cohort.course)


@rules.predicate
def is_own_enrolment(user, enrolment) -> bool:
    return bool(enrolment is not None and is_member(user) and enrolment.member_id == user.pk)


@rules.predicate
def tutors_enrolment(user, enrolment) -> bool:
    return bool(
        enrolment is not None
        and enrolment.cohort_id is not None
        and is_member(user)
        and enrolment.cohort.tutor_id == user.pk
    )


rules.add_perm("training.add_course", is_author)
rules.add_perm("training.change_course", authors_course)
rules.add_perm(
    "training.view_course", may_take | authors_course | takes_or_tutors | is_administrator
)
rules.add_perm("training.enrol", may_take)
rules.add_perm("training.add_cohort", authors_course)
rules.add_perm("training.view_cohort", tutors | authors_cohort | is_administrator)
rules.add_perm("training.schedule_session", tutors | authors_cohort)
rules.add_perm("training.close_cohort", authors_cohort)
rules.add_perm("training.learn", is_own_enrolment)
# The learner and their tutor only: reflections are personal (docs/training.md).
rules.add_perm("training.read_reflections", is_own_enrolment | tutors_enrolment)
rules.add_perm("training.give_feedback", tutors_enrolment)
rules.add_perm("training.view_overview", is_author | is_administrator)
