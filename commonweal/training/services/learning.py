"""Taking courses: enrolling, taking modules in order, checks, reflections and the tutor's
feedback, moving to a newer version, leaving.

A module is reached when the ones before it are done, a module with a check is done once
its check is answered (passed, where the course asks every check passed), and the course
is completed by its rule."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.notifications.services import notify
from commonweal.record.payload import content_sha256
from commonweal.record.services import record_append

from ..models import (
    CheckAnswer,
    Cohort,
    Course,
    Enrolment,
    Module,
    Reflection,
)
from ._common import MAX_FEEDBACK, MAX_REFLECTION, _require, _text


def enrol(*, actor: Any, course: Course, cohort: Cohort | None = None) -> Enrolment:
    """The member starts the course, on its current version (or their cohort's)."""
    _require(actor, "training.enrol", course, _("This course is not open to you."))
    if cohort is not None and cohort.course_id != course.pk:
        raise Refused(_("That cohort is not one of this course's."), field="cohort")
    if cohort is None and not course.self_paced:
        raise Refused(_("This course is taken in a cohort: choose one."), field="cohort")
    with transaction.atomic():
        if cohort is not None:
            cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
            # Read under the lock: a cohort closed a moment ago takes nobody.
            if cohort.closed_at is not None:
                raise Refused(_("That cohort is closed."), field="cohort")
            taken = cohort.enrolments.filter(status=Enrolment.Status.ACTIVE).count()
            if taken >= cohort.places:
                raise Conflict(_("That cohort is full."))
        if Enrolment.objects.filter(
            course=course, member=actor, status=Enrolment.Status.ACTIVE
        ).exists():
            raise Conflict(_("You are already taking this course."))
        version = cohort.version if cohort else course.current_version
        if version is None:
            raise Refused(_("This course is not published."))
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    course=course,
                    version=version,
                    member=actor,
                    cohort=cohort,
                    enrolled_at=clock.now(),
                )
        except IntegrityError as exc:
            raise Conflict(_("You are already taking this course.")) from exc
        record_append(
            kind="training.enrolled",
            subject=enrolment,
            actor=actor,
            payload={
                "course": course.pk,
                "version": enrolment.version.number,
                "cohort": cohort.pk if cohort else None,
            },
        )
    return enrolment


def _locked_active(actor: Any, enrolment: Enrolment) -> Enrolment:
    _require(actor, "training.learn", enrolment, _("This is not your enrolment."))
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.COMPLETED:
        raise Conflict(_("You have completed this course."))
    if enrolment.status != Enrolment.Status.ACTIVE:
        if enrolment.cohort is not None and enrolment.cohort.closed_at is not None:
            raise Conflict(_("Your cohort is closed."))
        raise Conflict(_("You have left this course."))
    return enrolment


def _reached(enrolment: Enrolment, module: Module) -> None:
    if module.version_id != enrolment.version_id:
        raise Refused(_("That module is not in the version you are taking."))
    if module.position > enrolment.modules_done + 1:
        raise Refused(_("You have not reached this module yet: take the ones before it first."))


def _passed(course: Course, answer: CheckAnswer | None) -> bool:
    return answer is not None and answer.percent >= course.pass_mark


def _complete_if_done(enrolment: Enrolment, actor: Any) -> None:
    if enrolment.modules_done < enrolment.version.module_count:
        return
    now = clock.now()
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = now
    enrolment.completed_version = enrolment.version
    enrolment.save(update_fields=["status", "completed_at", "completed_version"])
    record_append(
        kind="training.completed",
        subject=enrolment,
        actor=actor,
        payload={"course": enrolment.course_id, "version": enrolment.version.number},
    )


def module_done(*, actor: Any, enrolment: Enrolment, module: Module) -> Enrolment:
    """The learner has taken the module they reached; the next one opens, and after the last
    the course is completed. A module with a check needs the check answered first (passed,
    where the course asks every check passed)."""
    with transaction.atomic():
        enrolment = _locked_active(actor, enrolment)
        _reached(enrolment, module)
        if module.position <= enrolment.modules_done:
            raise Conflict(_("You have already taken this module."))
        if module.check_questions.exists():
            answer = CheckAnswer.objects.filter(enrolment=enrolment, module=module).first()
            if answer is None:
                raise Refused(_("Answer the module's check first."))
            course = enrolment.course
            if course.completion == Course.Completion.CHECKS and not _passed(course, answer):
                raise Refused(
                    _("This course asks for every check passed (%(mark)s%%): try the check again.")
                    % {"mark": course.pass_mark}
                )
        enrolment.modules_done = F("modules_done") + 1
        enrolment.last_progress_at = clock.now()
        enrolment.save(update_fields=["modules_done", "last_progress_at"])
        enrolment.refresh_from_db(fields=["modules_done"])
        record_append(
            kind="training.module_done",
            subject=enrolment,
            actor=actor,
            payload={"module": module.pk, "position": module.position},
        )
        _complete_if_done(enrolment, actor)
    return enrolment


def check_answer(
    *, actor: Any, enrolment: Enrolment, module: Module, answers: list[int]
) -> CheckAnswer:
    """Score the learner's answers to the module's check (one choice per question).

    A check is open while its module is reached and not yet taken, and until it is passed:
    a failed check may be tried again, a passed one or one of a taken module is closed."""
    with transaction.atomic():
        enrolment = _locked_active(actor, enrolment)
        _reached(enrolment, module)
        questions = list(module.check_questions.order_by("position"))
        if not questions:
            raise Refused(_("This module has no check."))
        if module.position <= enrolment.modules_done:
            raise Conflict(_("This check is closed: you have taken its module."))
        previous = CheckAnswer.objects.filter(enrolment=enrolment, module=module).first()
        if _passed(enrolment.course, previous):
            raise Conflict(_("This check is closed: you have passed it."))
        if (
            not isinstance(answers, list)
            or len(answers) != len(questions)
            or any(
                not isinstance(a, int) or isinstance(a, bool) or not 0 <= a < len(q.choices)
                for a, q in zip(answers, questions, strict=False)
            )
        ):
            raise Refused(_("Choose one answer for every question."), field="answers")
        score = sum(1 for a, q in zip(answers, questions, strict=True) if a == q.correct)
        answer, _created = CheckAnswer.objects.update_or_create(
            enrolment=enrolment,
            module=module,
            defaults={
                "answers": answers,
                "score": score,
                "out_of": len(questions),
                "answered_at": clock.now(),
            },
        )
        record_append(
            kind="training.check_answered",
            subject=enrolment,
            actor=actor,
            payload={"module": module.pk, "score": score, "out_of": len(questions)},
        )
    return answer


def reflection_write(*, actor: Any, enrolment: Enrolment, module: Module, text: str) -> Reflection:
    """The learner's answer to the module's reflection question, for them and their tutor."""
    with transaction.atomic():
        enrolment = _locked_active(actor, enrolment)
        _reached(enrolment, module)
        if not module.reflection_prompt:
            raise Refused(_("This module asks no reflection."))
        text = _text(text, "text", MAX_REFLECTION)
        if not text:
            raise Refused(_("Write your reflection first."), field="text")
        reflection, _created = Reflection.objects.update_or_create(
            enrolment=enrolment,
            module=module,
            defaults={"text": text, "written_at": clock.now()},
        )
        record_append(
            kind="training.reflection_written",
            subject=enrolment,
            actor=actor,
            payload={"module": module.pk, "text_sha256": content_sha256(text)},
        )
        if (cohort := enrolment.cohort) is not None:
            notify(
                kind="training.reflection",
                title=_("A learner of %(cohort)s wrote a reflection on %(module)s")
                % {"cohort": cohort.name, "module": module.title},
                link=reverse("training:reflection", args=[reflection.pk]),
                members=[cohort.tutor_id],
                actor=actor,
            )
    return reflection


def reflection_feedback(*, actor: Any, reflection: Reflection, feedback: str) -> Reflection:
    """The tutor answers a reflection; the learner is told."""
    _require(
        actor,
        "training.give_feedback",
        reflection.enrolment,
        _("Only the learner's tutor gives feedback."),
    )
    feedback = _text(feedback, "feedback", MAX_FEEDBACK)
    if not feedback:
        raise Refused(_("Write your feedback first."), field="feedback")
    with transaction.atomic():
        reflection = Reflection.objects.select_for_update().get(pk=reflection.pk)
        reflection.feedback = feedback
        reflection.feedback_by = actor
        reflection.feedback_at = clock.now()
        reflection.save(update_fields=["feedback", "feedback_by", "feedback_at"])
        record_append(
            kind="training.feedback_given",
            subject=reflection.enrolment,
            actor=actor,
            payload={"reflection": reflection.pk, "text_sha256": content_sha256(feedback)},
        )
        notify(
            kind="training.feedback",
            title=_("Your tutor answered your reflection on %(module)s")
            % {"module": reflection.module.title},
            link=reverse("training:reflection", args=[reflection.pk]),
            members=[reflection.enrolment.member_id],
            actor=actor,
        )
    return reflection


def enrolment_move(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    """The learner moves to the course's current version. What they took carries over for
    the leading modules of the new version that come from modules they took (their check
    answers and reflections stay with the old modules)."""
    with transaction.atomic():
        enrolment = _locked_active(actor, enrolment)
        target = enrolment.course.current_version
        if target is None or target.pk == enrolment.version_id:
            raise Conflict(_("You are already on the course's current version."))
        done_ids = set(
            enrolment.version.modules.filter(position__lte=enrolment.modules_done).values_list(
                "pk", flat=True
            )
        )
        carried = 0
        for module in target.modules.order_by("position"):
            origin, hops = module.origin_id, 0
            lineage = set()
            while origin is not None and hops < 50:
                lineage.add(origin)
                origin = Module.objects.filter(pk=origin).values_list("origin_id", flat=True)[0]
                hops += 1
            if lineage & done_ids:
                carried += 1
            else:
                break
        old = enrolment.version.number
        enrolment.version = target
        enrolment.modules_done = carried
        enrolment.save(update_fields=["version", "modules_done"])
        record_append(
            kind="training.version_moved",
            subject=enrolment,
            actor=actor,
            payload={"from": old, "to": target.number, "carried": carried},
        )
        _complete_if_done(enrolment, actor)
    return enrolment


def enrolment_leave(*, actor: Any, enrolment: Enrolment) -> Enrolment:
    with transaction.atomic():
        enrolment = _locked_active(actor, enrolment)
        enrolment.status = Enrolment.Status.LEFT
        enrolment.left_at = clock.now()
        enrolment.save(update_fields=["status", "left_at"])
        record_append(kind="training.left", subject=enrolment, actor=actor)
    return enrolment
