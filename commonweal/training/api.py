"""Learning over the API: the courses open to you, enrolling, your progress, taking modules,
answering checks and writing reflections. The same services as the pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from commonweal.config.api_errors import errors
from commonweal.core.pagination import MAX_OFFSET

from . import selectors, services
from .models import Course, Enrolment, Module

router = Router(tags=["training"])
MAX_PAGE = 100


class CourseOut(Schema):
    slug: str
    title: str
    kind: str
    summary: str
    body: str
    unit: str
    self_paced: bool
    version: int | None
    modules: int


class EnrolmentOut(Schema):
    id: int
    course: str
    version: int
    cohort: str | None
    status: str
    modules_done: int
    modules: int
    percent: int
    enrolled_at: datetime
    completed_at: datetime | None


class EnrolIn(Schema):
    cohort: int | None = None


class CheckAnswersIn(Schema):
    answers: list[int]


class CheckScoreOut(Schema):
    module: int
    score: int
    out_of: int
    percent: int
    passed: bool


class ReflectionIn(Schema):
    text: str


class ReflectionOut(Schema):
    id: int
    module: int
    text: str
    written_at: datetime
    feedback: str


def _course_out(course: Course) -> CourseOut:
    version = course.current_version
    return CourseOut(
        slug=course.slug,
        title=course.title,
        kind=course.kind,
        summary=course.summary,
        body=course.body.slug,
        unit=course.unit.name,
        self_paced=course.self_paced,
        version=version.number if version else None,
        modules=version.module_count if version else 0,
    )


def _enrolment_out(enrolment: Enrolment) -> EnrolmentOut:
    total = enrolment.version.module_count
    return EnrolmentOut(
        id=enrolment.pk,
        course=enrolment.course.slug,
        version=enrolment.version.number,
        cohort=enrolment.cohort.name if enrolment.cohort else None,
        status=enrolment.status,
        modules_done=enrolment.modules_done,
        modules=total,
        percent=round(100 * enrolment.modules_done / total) if total else 0,
        enrolled_at=enrolment.enrolled_at,
        completed_at=enrolment.completed_at,
    )


def _course(request, slug: str) -> Course:
    course = get_object_or_404(
        Course.objects.select_related("body", "unit", "current_version"), slug=slug
    )
    if not request.auth.has_perm("training.view_course", course):
        raise HttpError(404, "Not found.")
    return course


def _own(request, enrolment_id: int) -> Enrolment:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course", "version", "cohort"), pk=enrolment_id
    )
    if enrolment.member_id != request.auth.pk:
        raise HttpError(404, "Not found.")
    return enrolment


def _module(enrolment: Enrolment, position: int) -> Module:
    return get_object_or_404(Module, version=enrolment.version, position=position)


@router.get("/courses", response=list[CourseOut], summary="Courses and reading groups open to you")
def courses(request, offset: int = 0, limit: int = 25):
    if not request.auth.is_member:
        return []
    limit = max(1, min(limit, MAX_PAGE))
    offset = min(max(offset, 0), MAX_OFFSET)
    return [_course_out(c) for c in selectors.open_courses(request.auth)[offset : offset + limit]]


@router.get("/courses/{slug}", response={200: CourseOut, **errors(404)}, summary="A course")
def course(request, slug: str):
    return _course_out(_course(request, slug))


@router.post(
    "/courses/{slug}/enrol",
    response={201: EnrolmentOut, **errors(400, 403, 404, 409)},
    summary="Start the course, alone or in one of its cohorts (twice is refused: 409)",
)
def enrol(request, slug: str, data: EnrolIn):
    course = _course(request, slug)
    cohort = None
    if data.cohort is not None:
        cohort = course.cohorts.filter(pk=data.cohort).first()
        if cohort is None:
            raise HttpError(404, "Not found.")
    enrolment = services.enrol(actor=request.auth, course=course, cohort=cohort)
    return Status(201, _enrolment_out(enrolment))


@router.get(
    "/enrolments",
    response=list[EnrolmentOut],
    summary="Your courses in progress and completed, with your progress in each",
)
def enrolments(request, offset: int = 0, limit: int = 25):
    limit = max(1, min(limit, MAX_PAGE))
    offset = min(max(offset, 0), MAX_OFFSET)
    return [
        _enrolment_out(e) for e in selectors.my_enrolments(request.auth)[offset : offset + limit]
    ]


@router.get(
    "/enrolments/{enrolment_id}", response={200: EnrolmentOut, **errors(404)}, summary="Progress"
)
def enrolment(request, enrolment_id: int):
    return _enrolment_out(_own(request, enrolment_id))


@router.post(
    "/enrolments/{enrolment_id}/modules/{position}/done",
    response={200: EnrolmentOut, **errors(400, 403, 404, 409)},
    summary="Say you have taken the module you reached (the last completes the course)",
)
def module_done(request, enrolment_id: int, position: int):
    enrolment = _own(request, enrolment_id)
    enrolment = services.module_done(
        actor=request.auth, enrolment=enrolment, module=_module(enrolment, position)
    )
    return _enrolment_out(
        Enrolment.objects.select_related("course", "version", "cohort").get(pk=enrolment.pk)
    )


@router.post(
    "/enrolments/{enrolment_id}/modules/{position}/check",
    response={200: CheckScoreOut, **errors(400, 403, 404, 409)},
    summary="Answer the module's check, one choice (counted from 0) per question; scored",
)
def check(request, enrolment_id: int, position: int, data: CheckAnswersIn):
    enrolment = _own(request, enrolment_id)
    answer = services.check_answer(
        actor=request.auth,
        enrolment=enrolment,
        module=_module(enrolment, position),
        answers=data.answers,
    )
    return CheckScoreOut(
        module=position,
        score=answer.score,
        out_of=answer.out_of,
        percent=answer.percent,
        passed=answer.percent >= enrolment.course.pass_mark,
    )


@router.post(
    "/enrolments/{enrolment_id}/modules/{position}/reflection",
    response={200: ReflectionOut, **errors(400, 403, 404, 409)},
    summary="Write (or rewrite) your reflection on the module; only you and your tutor read it",
)
def reflection(request, enrolment_id: int, position: int, data: ReflectionIn):
    enrolment = _own(request, enrolment_id)
    written = services.reflection_write(
        actor=request.auth,
        enrolment=enrolment,
        module=_module(enrolment, position),
        text=data.text,
    )
    return ReflectionOut(
        id=written.pk,
        module=position,
        text=written.text,
        written_at=written.written_at,
        feedback=written.feedback,
    )
