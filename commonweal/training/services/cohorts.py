"""Cohorts: starting one with a tutor, scheduling its sessions, closing it."""

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import notify
from commonweal.record.services import record_append

from ..models import (
    Cohort,
    CohortSession,
    Course,
    Enrolment,
    Module,
)
from ._common import (
    _require,
    _title,
)


def cohort_create(
    *, actor: Any, course: Course, name: str, tutor: Any, starts_on: date, places: int = 20
) -> Cohort:
    """A cohort on the course's current version, with a tutor who may take the course."""
    _require(actor, "training.add_cohort", course, _("Only the course's authors start cohorts."))
    found = Refusals()
    with found:
        name = _title(name, "name")
    if not course.is_published:
        found.add(Refused(_("Publish the course before starting a cohort.")))
    if tutor is None or not tutor.is_member:
        found.add(Refused(_("The tutor must be a member in good standing."), field="tutor"))
    if not 1 <= places <= 500:
        found.add(Refused(_("A cohort has between 1 and 500 places."), field="places"))
    found.raise_any()
    version = course.current_version
    if version is None:
        raise Refused(_("Publish the course before starting a cohort."))
    with transaction.atomic():
        cohort = Cohort.objects.create(
            course=course,
            version=version,
            name=name,
            tutor=tutor,
            starts_on=starts_on,
            places=places,
            created_by=actor,
            created_at=clock.now(),
        )
        record_append(
            kind="training.cohort_created",
            subject=cohort,
            actor=actor,
            payload={"course": course.pk, "tutor": tutor.pk},
        )
        notify(
            kind="training.tutor",
            title=_("You tutor the cohort %(name)s of %(course)s")
            % {"name": cohort.name, "course": course.title},
            link=reverse("training:cohort", args=[cohort.pk]),
            members=[tutor.pk],
            actor=actor,
        )
    return cohort


def session_schedule(
    *,
    actor: Any,
    cohort: Cohort,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    module: Module | None = None,
) -> CohortSession:
    """A session of the cohort; it appears in its learners' and tutor's calendar feeds."""
    _require(
        actor, "training.schedule_session", cohort, _("Only the tutor and the course's authors do.")
    )
    if cohort.closed_at is not None:
        raise Conflict(_("This cohort is closed."))
    found = Refusals()
    with found:
        title = _title(title)
    if ends_at <= starts_at:
        found.add(Refused(_("A session ends after it starts."), field="ends_at"))
    if module is not None and module.version_id != cohort.version_id:
        found.add(Refused(_("Choose a module of the cohort's version."), field="module"))
    found.raise_any()
    with transaction.atomic():
        session = CohortSession.objects.create(
            cohort=cohort,
            module=module,
            title=title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=clean_plain(place or "")[:300],
        )
        record_append(kind="training.session_scheduled", subject=session, actor=actor)
    return session


def cohort_close(*, actor: Any, cohort: Cohort) -> Cohort:
    """The cohort has finished: nobody joins it or takes its modules any more. Learners who
    completed keep their completion; those still under way stop where they are (their
    enrolment is ended, so they may join another cohort or start again). The learners and
    the tutor are told."""
    _require(actor, "training.close_cohort", cohort, _("Only the course's authors close a cohort."))
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)
        if cohort.closed_at is not None:
            raise Conflict(_("This cohort is already closed."))
        now = clock.now()
        cohort.closed_at = now
        cohort.save(update_fields=["closed_at"])
        learners = list(
            cohort.enrolments.exclude(status=Enrolment.Status.LEFT).values_list(
                "member_id", flat=True
            )
        )
        stopped = cohort.enrolments.filter(status=Enrolment.Status.ACTIVE).update(
            status=Enrolment.Status.LEFT, left_at=now
        )
        record_append(
            kind="training.cohort_closed",
            subject=cohort,
            actor=actor,
            payload={"course": cohort.course_id, "stopped": stopped},
        )
        notify(
            kind="training.cohort_closed",
            title=_("The cohort %(name)s of %(course)s is closed")
            % {"name": cohort.name, "course": cohort.course.title},
            text=_("What you completed stays completed."),
            link=reverse("training:course", args=[cohort.course.slug]),
            members=[*learners, cohort.tutor_id],
            actor=actor,
        )
    return cohort
