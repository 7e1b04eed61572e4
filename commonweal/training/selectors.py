"""Reading courses, learners' progress and completions.

`completed_courses` and `members_who_completed` are what other apps ask of training (the
capacities register's search, leadership requirements): a completion on any version
counts, since a later version never undoes what a learner completed.
"""

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import Enrolment


def _completions(since: datetime | None = None) -> QuerySet[Enrolment]:
    done = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
    if since is not None:
        done = done.filter(completed_at__gte=since)
    return done


def completed_courses(member: Any, *, since: datetime | None = None) -> QuerySet:
    """Ids of the courses the member has completed (any version), completed on or after
    `since` when given (for retraining that must be recent): a values queryset usable as a
    subquery, `Course.objects.filter(pk__in=completed_courses(member))`."""
    return (
        _completions(since)
        .filter(member=member)
        .values_list("course_id", flat=True)
        .distinct()
        .order_by()
    )


def completed_on(member: Any, course_ids: list[int]) -> dict[int, datetime]:
    """For each of these courses the member completed, when they last completed it."""
    latest: dict[int, datetime] = {}
    for course_id, at in (
        _completions()
        .filter(member=member, course_id__in=course_ids)
        .values_list("course_id", "completed_at")
    ):
        if at is not None and (course_id not in latest or at > latest[course_id]):
            latest[course_id] = at
    return latest


def members_who_completed(course_ids: list[int], *, since: datetime | None = None) -> QuerySet:
    """Members who completed every one of these courses (any version): a queryset to
    filter further (by unit subtree, skill ...); each course is one indexed subquery."""
    members = get_user_model().objects.all()
    for course_id in course_ids:
        members = members.filter(
            pk__in=_completions(since).filter(course_id=course_id).values("member_id")
        )
    return members


def author_body_ids(member: Any) -> set[int]:
    """The bodies the rulebook names to write courses that the member belongs to now."""
    from commonweal.organisation.models import BodyMembership
    from commonweal.rulebook.selectors import current

    if not getattr(member, "is_authenticated", False):
        return set()
    slugs = current()["training.authored_by"]
    return set(
        BodyMembership.objects.filter(
            member=member, until=None, body__slug__in=slugs, body__closed_on=None
        ).values_list("body_id", flat=True)
    )


def is_learner_or_tutor(member: Any, course: Any) -> bool:
    return (
        Enrolment.objects.filter(course=course, member=member).exists()
        or course.cohorts.filter(tutor=member).exists()
    )


def _ancestor_paths(unit: Any) -> list[str]:
    if unit is None:
        return []
    step = unit.steplen
    return [unit.path[:n] for n in range(step, len(unit.path) + 1, step)]


def open_courses(member: Any) -> QuerySet:
    """Published courses open to the member: those of their unit and the units above it."""
    from .models import Course

    return (
        Course.objects.filter(
            withdrawn_at=None,
            current_version__isnull=False,
            unit__path__in=_ancestor_paths(getattr(member, "unit", None)),
        )
        .select_related("unit", "body", "current_version")
        .order_by("title", "pk")
    )


def authored_courses(member: Any) -> QuerySet:
    from .models import Course

    return (
        Course.objects.filter(body_id__in=author_body_ids(member))
        .select_related("unit", "current_version")
        .order_by("title", "pk")
    )


def my_enrolments(member: Any) -> QuerySet:
    """The member's courses in progress and completed, newest first (left ones not shown)."""
    return (
        Enrolment.objects.filter(member=member)
        .exclude(status=Enrolment.Status.LEFT)
        .select_related("course", "version", "cohort")
        .order_by("status", "-enrolled_at")
    )


def active_enrolment(member: Any, course: Any) -> Enrolment | None:
    if not getattr(member, "is_authenticated", False):
        return None
    return (
        Enrolment.objects.filter(member=member, course=course)
        .exclude(status=Enrolment.Status.LEFT)
        .select_related("version", "cohort")
        .order_by("status", "-enrolled_at")  # active before completed
        .first()
    )


def took_version(member: Any, version: Any) -> bool:
    """Whether the member took this version: is on it, completed it or left it."""
    from django.db.models import Q

    return Enrolment.objects.filter(
        Q(version=version) | Q(completed_version=version), member=member
    ).exists()


def completions_of(member: Any, course: Any) -> QuerySet:
    """The member's completions of the course, the latest first, each naming its version."""
    if not getattr(member, "is_authenticated", False):
        return Enrolment.objects.none()
    return (
        _completions()
        .filter(member=member, course=course)
        .select_related("completed_version")
        .order_by("-completed_at")
    )


def course_progress(course: Any) -> dict[str, Any]:
    """How far a course's learners have come, from one grouped count over the enrolment
    index: by status, and on the current version how many reached and took each module.
    Two queries whatever the number of learners or members."""
    from django.db.models import Count

    rows = list(
        Enrolment.objects.filter(course=course)
        .values("version_id", "status", "modules_done")
        .annotate(n=Count("pk"))
        .order_by()
    )
    totals = dict.fromkeys(Enrolment.Status.values, 0)
    for row in rows:
        totals[row["status"]] += row["n"]
    version = course.current_version
    modules = (
        list(version.modules.order_by("position").values("position", "title")) if version else []
    )
    on_version = [
        r
        for r in rows
        if version and r["version_id"] == version.pk and r["status"] != Enrolment.Status.LEFT
    ]
    for module in modules:
        position = module["position"]
        module["reached"] = sum(r["n"] for r in on_version if r["modules_done"] + 1 >= position)
        module["done"] = sum(r["n"] for r in on_version if r["modules_done"] >= position)
    started = sum(r["n"] for r in on_version)
    for module in modules:
        module["share"] = round(100 * module["done"] / started) if started else 0
    return {
        "enrolled": sum(totals.values()),
        "active": totals[Enrolment.Status.ACTIVE],
        "completed": totals[Enrolment.Status.COMPLETED],
        "left": totals[Enrolment.Status.LEFT],
        "on_version": started,
        "modules": modules,
    }


def cohort_learners(cohort: Any) -> QuerySet:
    """A cohort's learners, each with how many reflections they wrote and how many wait for
    the tutor's feedback: one query per page of learners."""
    from django.db.models import Count, Q

    return (
        cohort.enrolments.exclude(status=Enrolment.Status.LEFT)
        .select_related("member")
        .annotate(
            reflections_written=Count("reflections"),
            reflections_waiting=Count("reflections", filter=Q(reflections__feedback="")),
        )
        .order_by("member__full_name", "pk")
    )


def cohort_reflections(cohort: Any) -> QuerySet:
    from .models import Reflection

    return (
        Reflection.objects.filter(enrolment__cohort=cohort)
        .select_related("enrolment__member", "module")
        .order_by("feedback_at", "-written_at")
    )


def sessions_for_member(member: Any) -> QuerySet:
    """Upcoming sessions of the cohorts the member takes part in or tutors."""
    from django.db.models import Q

    from commonweal.core import clock

    from .models import CohortSession

    return (
        CohortSession.objects.filter(ends_at__gte=clock.now(), cohort__closed_at=None)
        .filter(
            Q(cohort__tutor=member)
            | Q(
                cohort__enrolments__member=member,
                cohort__enrolments__status=Enrolment.Status.ACTIVE,
            )
        )
        .select_related("cohort__course")
        .distinct()
        .order_by("starts_at")
    )


def calendar_entries(member: Any) -> list[dict[str, Any]]:
    """The member's cohort sessions for their calendar feed (news.calendar)."""
    from django.urls import reverse

    return [
        {
            "uid": f"training-session-{session.pk}",
            "summary": session.title,
            "description": f"{session.cohort.course.title} · {session.cohort.name}"
            + (f" · {session.place}" if session.place else ""),
            "start": session.starts_at,
            "end": session.ends_at,
            "url": reverse("training:course", args=[session.cohort.course.slug]),
        }
        for session in sessions_for_member(member)[:200]
    ]


def overview() -> dict[str, Any]:
    """The training department's overview: per course enrolments, completions and drop-off
    by module (one grouped query over enrolments), and reach per region (learners against
    members, one grouped query each)."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    from commonweal.organisation.models import Unit

    from .models import Course, Module

    courses = list(
        Course.objects.filter(current_version__isnull=False)
        .select_related("current_version", "unit")
        .order_by("title", "pk")
    )
    rows = list(
        Enrolment.objects.values("course_id", "version_id", "status", "modules_done")
        .annotate(n=Count("pk"))
        .order_by()
    )
    modules_by_version: dict[int, list[dict[str, Any]]] = {}
    for row in (
        Module.objects.filter(version_id__in=[c.current_version_id for c in courses])
        .order_by("position")
        .values("version_id", "position", "title")
    ):
        modules_by_version.setdefault(row["version_id"], []).append(dict(row))
    lines = []
    for course in courses:
        mine = [r for r in rows if r["course_id"] == course.pk]
        current = [
            r
            for r in mine
            if r["version_id"] == course.current_version_id and r["status"] != Enrolment.Status.LEFT
        ]
        started = sum(r["n"] for r in current)
        modules: list[dict[str, Any]] = [
            dict(m) for m in modules_by_version.get(course.current_version_id or 0, [])
        ]
        for module in modules:
            done = sum(r["n"] for r in current if r["modules_done"] >= module["position"])
            module["done"] = done
            module["share"] = round(100 * done / started) if started else 0
        lines.append(
            {
                "course": course,
                "enrolled": sum(r["n"] for r in mine),
                "completed": sum(r["n"] for r in mine if r["status"] == Enrolment.Status.COMPLETED),
                "left": sum(r["n"] for r in mine if r["status"] == Enrolment.Status.LEFT),
                "started": started,
                "modules": modules,
            }
        )
    regions = list(Unit.objects.filter(depth=2, closed_on=None).order_by("name"))
    width = 2 * Unit.steplen
    learners = dict(
        Enrolment.objects.exclude(status=Enrolment.Status.LEFT)
        .annotate(region=Substr("member__unit__path", 1, width))
        .values("region")
        .annotate(n=Count("member_id", distinct=True))
        .order_by()
        .values_list("region", "n")
    )
    from commonweal.members.models import Member

    members = dict(
        Member.objects.filter(status=Member.Status.MEMBER)
        .annotate(region=Substr("unit__path", 1, width))
        .values("region")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("region", "n")
    )
    reach = []
    for region in regions:
        total, taking = members.get(region.path, 0), learners.get(region.path, 0)
        reach.append(
            {
                "unit": region,
                "members": total,
                "learners": taking,
                "share": round(100 * taking / total) if total else 0,
            }
        )
    return {"courses": lines, "reach": reach}


def member_export(member: Any) -> dict[str, Any]:
    """What a member's data export holds of their learning: each enrolment with its
    reflections (and the feedback on them) and check answers."""
    from .models import CheckAnswer, Reflection

    enrolments = list(
        Enrolment.objects.filter(member=member).select_related("course", "version", "cohort")
    )
    reflections = list(Reflection.objects.filter(enrolment__member=member).select_related("module"))
    answers = list(CheckAnswer.objects.filter(enrolment__member=member).select_related("module"))
    return {
        "enrolments": [
            {
                "course": e.course.title,
                "version": e.version.number,
                "cohort": e.cohort.name if e.cohort else None,
                "status": e.status,
                "enrolled_at": e.enrolled_at.isoformat(),
                "modules_done": e.modules_done,
                "completed_at": e.completed_at.isoformat() if e.completed_at else None,
                "reflections": [
                    {
                        "module": r.module.title,
                        "text": r.text,
                        "written_at": r.written_at.isoformat(),
                        "feedback": r.feedback,
                    }
                    for r in reflections
                    if r.enrolment_id == e.pk
                ],
                "checks": [
                    {
                        "module": a.module.title,
                        "answers": a.answers,
                        "score": a.score,
                        "out_of": a.out_of,
                    }
                    for a in answers
                    if a.enrolment_id == e.pk
                ],
            }
            for e in enrolments
        ]
    }


def register_course_choices(viewer: Any) -> list[tuple[str, str]]:
    """The courses the capacities register may ask about: every course ever published."""
    from .models import Course

    return list(
        Course.objects.filter(current_version__isnull=False)
        .order_by("title", "pk")
        .values_list("slug", "title")
    )


def register_course_condition(slug: str) -> Any:
    """Members who completed the course (any version, any time): one indexed subquery."""
    from django.db.models import Q

    return Q(pk__in=_completions().filter(course__slug=slug).values("member_id"))
