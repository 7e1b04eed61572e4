from datetime import date

import pytest

from commonweal.organisation.models import Body
from commonweal.organisation.services import body_create, body_membership_add
from commonweal.training import services
from commonweal.training.models import Course

CHECK = [
    {
        "prompt": "What moves things, for dialectics?",
        "choices": ["Contradiction", "Chance"],
        "correct": 0,
    },
    {"prompt": "Quantity turns into ...", "choices": ["Nothing", "Quality", "Money"], "correct": 1},
]


@pytest.fixture
def training(org, make_member):
    """The national training department with an author, a course of three modules (the
    second with a check and a reflection question) published to the North, a tutor and a
    Leeds learner; a York member in scope, a Brighton member outside it."""

    class Training:
        pass

    t = Training()
    t.department = body_create(
        name="Training Department", kind=Body.Kind.DEPARTMENT, unit=org.nation
    )
    t.author = make_member(unit=org.leeds, full_name="Asha Author")
    body_membership_add(body=t.department, member=t.author)
    t.tutor = make_member(unit=org.york, full_name="Tomas Tutor")
    t.learner = make_member(unit=org.leeds, full_name="Lena Learner")
    t.neighbour = make_member(unit=org.york, full_name="Nia Neighbour")
    t.outsider = make_member(unit=org.brighton, full_name="Otto Outsider")
    t.course = services.course_create(
        actor=t.author,
        body=t.department,
        unit=org.north,
        title="Materialist dialectics",
        summary="How things change.",
    )
    t.m1 = services.module_save(
        actor=t.author, course=t.course, title="Everything changes", text="Nothing *stands still*."
    )
    t.m2 = services.module_save(
        actor=t.author,
        course=t.course,
        title="Contradiction",
        text="Opposites.",
        reflection_prompt="Where do you see a contradiction in your branch?",
        check=CHECK,
    )
    t.m3 = services.module_save(
        actor=t.author, course=t.course, title="Leaps", text="Quantity into quality."
    )
    t.v1 = services.course_publish(actor=t.author, course=t.course, note="first")
    t.course.refresh_from_db()
    t.cohort = services.cohort_create(
        actor=t.author,
        course=t.course,
        name="Autumn cohort",
        tutor=t.tutor,
        starts_on=date(2026, 9, 1),
    )
    return t


def fresh(course: Course) -> Course:
    return Course.objects.get(pk=course.pk)


def short_course(t, unit, title: str) -> Course:
    """A published course of one module, written by the training fixture's author."""
    course = services.course_create(actor=t.author, body=t.department, unit=unit, title=title)
    services.module_save(actor=t.author, course=course, title="The one module", text="Read.")
    services.course_publish(actor=t.author, course=course)
    return fresh(course)


def complete(course: Course, member):
    """The member completes a one-module course, now (as the clock says)."""
    enrolment = services.enrol(actor=member, course=course)
    module = course.current_version.modules.get()
    return services.module_done(actor=member, enrolment=enrolment, module=module)
