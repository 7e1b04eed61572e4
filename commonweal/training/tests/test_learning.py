"""Enrolment, progress, completion, checks, reflections and versions, through the services."""

import pytest

from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.training import selectors, services
from commonweal.training.models import CheckAnswer, Enrolment, Reflection

from .conftest import fresh

pytestmark = pytest.mark.django_db


def take(t, enrolment, *, pass_check=True):
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m1)
    services.check_answer(
        actor=t.learner, enrolment=enrolment, module=t.m2, answers=[0, 1] if pass_check else [1, 0]
    )
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m2)
    return services.module_done(actor=t.learner, enrolment=enrolment, module=t.m3)


def test_enrolling_twice_is_refused_and_changes_nothing(training):
    t = training
    services.enrol(actor=t.learner, course=t.course)
    with pytest.raises(Conflict, match="already taking this course"):
        services.enrol(actor=t.learner, course=t.course)
    assert Enrolment.objects.filter(member=t.learner).count() == 1


def test_only_members_in_scope_enrol_in_a_published_course(training):
    t = training
    with pytest.raises(NotPermitted):
        services.enrol(actor=t.outsider, course=t.course)
    services.enrol(actor=t.neighbour, course=t.course)
    assert not Enrolment.objects.filter(member=t.outsider).exists()


def test_modules_are_taken_in_order_and_the_last_completes_the_course(training):
    t = training
    enrolment = services.enrol(actor=t.learner, course=t.course)
    with pytest.raises(Refused, match="not reached this module"):
        services.module_done(actor=t.learner, enrolment=enrolment, module=t.m3)
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m1)
    with pytest.raises(Refused, match="Answer the module's check first"):
        services.module_done(actor=t.learner, enrolment=enrolment, module=t.m2)
    assert list(selectors.completed_courses(t.learner)) == []

    enrolment = Enrolment.objects.get(member=t.learner)
    services.check_answer(actor=t.learner, enrolment=enrolment, module=t.m2, answers=[0, 0])
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m2)
    enrolment = services.module_done(actor=t.learner, enrolment=enrolment, module=t.m3)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_version == t.v1
    assert list(selectors.completed_courses(t.learner)) == [t.course.pk]
    assert list(selectors.members_who_completed([t.course.pk])) == [t.learner]
    with pytest.raises(Conflict, match="completed this course"):
        services.module_done(actor=t.learner, enrolment=enrolment, module=t.m3)


def test_a_check_is_scored_and_a_closed_check_refused(training):
    t = training
    enrolment = services.enrol(actor=t.learner, course=t.course)
    with pytest.raises(Refused, match="not reached"):
        services.check_answer(actor=t.learner, enrolment=enrolment, module=t.m2, answers=[0, 1])
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m1)
    with pytest.raises(Refused, match="one answer for every question"):
        services.check_answer(actor=t.learner, enrolment=enrolment, module=t.m2, answers=[0, 7])
    failed = services.check_answer(
        actor=t.learner, enrolment=enrolment, module=t.m2, answers=[1, 1]
    )
    assert (failed.score, failed.out_of, failed.percent) == (1, 2, 50)
    passed = services.check_answer(
        actor=t.learner, enrolment=enrolment, module=t.m2, answers=[0, 1]
    )
    assert (passed.score, passed.percent) == (2, 100)
    with pytest.raises(Conflict, match="closed: you have passed it"):
        services.check_answer(actor=t.learner, enrolment=enrolment, module=t.m2, answers=[1, 0])
    assert CheckAnswer.objects.get(enrolment=enrolment).answers == [0, 1]


def test_a_course_asking_every_check_passed_holds_the_learner_at_a_failed_one(training):
    t = training
    t.course.completion = "checks"
    t.course.save()
    enrolment = services.enrol(actor=t.learner, course=fresh(t.course))
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m1)
    services.check_answer(actor=t.learner, enrolment=enrolment, module=t.m2, answers=[1, 0])
    with pytest.raises(Refused, match="every check passed"):
        services.module_done(actor=t.learner, enrolment=enrolment, module=t.m2)
    assert Enrolment.objects.get(pk=enrolment.pk).modules_done == 1


def test_completing_v1_stays_completed_after_v2_and_learners_keep_their_version(training):
    t = training
    done = services.enrol(actor=t.learner, course=t.course)
    take(t, done)
    midway = services.enrol(actor=t.neighbour, course=t.course)
    services.module_done(actor=t.neighbour, enrolment=midway, module=t.m1)

    draft = services.course_draft(actor=t.author, course=t.course)
    services.module_save(
        actor=t.author, course=t.course, title="Negation of the negation", text="Spirals."
    )
    v2 = services.course_publish(actor=t.author, course=t.course, note="a fourth module")
    assert v2 == draft
    assert v2.number == 2
    assert v2.module_count == 4

    done = Enrolment.objects.get(pk=done.pk)
    assert done.status == Enrolment.Status.COMPLETED
    assert done.completed_version == t.v1
    assert list(selectors.completed_courses(t.learner)) == [t.course.pk]
    midway = Enrolment.objects.get(pk=midway.pk)
    assert midway.version == t.v1
    assert midway.modules_done == 1
    # Moving explicitly carries what was taken over to the new version's copies.
    moved = services.enrolment_move(actor=t.neighbour, enrolment=midway)
    assert moved.version == v2
    assert moved.modules_done == 1
    # Who completed may take the course again (retraining), on the current version.
    again = services.enrol(actor=t.learner, course=fresh(t.course))
    assert again.version == v2
    assert again.modules_done == 0


def test_reflections_are_read_by_the_learner_and_tutor_only(training, make_member):
    t = training
    enrolment = services.enrol(actor=t.learner, course=t.course, cohort=t.cohort)
    services.module_done(actor=t.learner, enrolment=enrolment, module=t.m1)
    reflection = services.reflection_write(
        actor=t.learner, enrolment=enrolment, module=t.m2, text="Our branch wants growth and rest."
    )
    assert t.learner.has_perm("training.read_reflections", enrolment)
    assert t.tutor.has_perm("training.read_reflections", enrolment)
    assert not t.author.has_perm("training.read_reflections", enrolment)
    with pytest.raises(NotPermitted):
        services.reflection_feedback(actor=t.author, reflection=reflection, feedback="Good.")
    assert Reflection.objects.get(pk=reflection.pk).feedback == ""
    services.reflection_feedback(actor=t.tutor, reflection=reflection, feedback="Say more.")
    assert Reflection.objects.get(pk=reflection.pk).feedback == "Say more."
