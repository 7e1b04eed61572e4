"""Writing, publishing and taking courses; cohorts, their sessions and the tutor's feedback.

Authors change only a course's draft; publishing it makes a new version, so nothing a learner
did or completed is rewritten. Learners take modules in order: a module is reached when the
ones before it are done, a module with a check is done once its check is answered (passed,
where the course asks every check passed), and the course is completed by its rule.
"""

from datetime import date, datetime
from typing import Any

import rules
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.notifications.services import notify
from commonweal.organisation.models import Body, Unit
from commonweal.record.payload import content_sha256
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from . import cases
from .models import (
    CheckAnswer,
    CheckQuestion,
    Cohort,
    CohortSession,
    Course,
    CourseVersion,
    Enrolment,
    Module,
    ModuleCase,
    Reflection,
)

MAX_TITLE = 200
MAX_TEXT = 20_000
MAX_REFLECTION = 10_000
MAX_FEEDBACK = 5_000
MAX_CHOICES = 8
MAX_QUESTIONS = 20


def _require(actor: Any, perm: str, obj: Any, message: str) -> None:
    """The rule itself, not `has_perm`: a superuser passes `has_perm` for everything, and an
    administrator is no tutor, author or learner unless the rule says so."""
    if not rules.has_perm(perm, actor, obj):
        raise NotPermitted(message)


def _title(value: str, field: str = "title") -> str:
    title = clean_plain(value or "").strip()
    if not title:
        raise Refused(_("Give it a title."), field=field)
    if len(title) > MAX_TITLE:
        raise Refused(_("Keep the title under %(n)s characters.") % {"n": MAX_TITLE}, field=field)
    return title


def _text(value: str, field: str, limit: int = MAX_TEXT) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise Refused(_("Keep this under %(n)s characters.") % {"n": limit}, field=field)
    return text


# --- writing courses -------------------------------------------------------------------------


def course_create(
    *,
    actor: Any,
    body: Body,
    unit: Unit,
    title: str,
    summary: str = "",
    kind: str = Course.Kind.COURSE,
    self_paced: bool = True,
    completion: str = Course.Completion.MODULES,
    pass_mark: int = 60,
    slug: str = "",
) -> Course:
    """A new course with an empty draft (version 1), written by `body` for members of `unit`,
    which must lie within the body's scope."""
    from .selectors import author_body_ids

    if body.pk not in author_body_ids(actor):
        raise NotPermitted(_("Only members of a body the rulebook names may write courses."))
    found = Refusals()
    with found:
        title = _title(title)
    with found:
        summary = _text(summary, "summary")
    if not unit.path.startswith(body.unit.path):
        found.add(
            Refused(
                _("Open it to a unit within %(body)s's scope.") % {"body": body.name}, field="unit"
            )
        )
    if kind not in Course.Kind.values:
        found.add(Refused(_("Choose a course or a reading group."), field="kind"))
    if completion not in Course.Completion.values:
        found.add(Refused(_("Choose how the course is completed."), field="completion"))
    if not 0 <= pass_mark <= 100:
        found.add(Refused(_("A pass mark is between 0 and 100."), field="pass_mark"))
    found.raise_any()
    rulebook = current()
    now = clock.now()
    base = slugify(slug or title)[:70] or "course"
    with transaction.atomic():
        candidate, n = base, 1
        while Course.objects.filter(slug=candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        course = Course.objects.create(
            title=title,
            slug=candidate,
            kind=kind,
            summary=summary,
            body=body,
            unit=unit,
            self_paced=self_paced,
            completion=completion,
            pass_mark=pass_mark,
            created_by=actor,
            created_at=now,
        )
        CourseVersion.objects.create(course=course, number=1, created_at=now)
        record_append(
            kind="training.course_created",
            subject=course,
            actor=actor,
            payload={"body": body.pk, "unit": unit.pk, "kind": kind},
            rulebook_version=rulebook.version,
        )
    return course


def course_draft(*, actor: Any, course: Course) -> CourseVersion:
    """The course's draft, made from the published version (modules, checks, library
    documents and case material copied, each module remembering its origin) if there is none."""
    _require(actor, "training.change_course", course, _("Only the course's authors change it."))
    with transaction.atomic():
        Course.objects.select_for_update().get(pk=course.pk)
        draft = course.versions.filter(status=CourseVersion.Status.DRAFT).first()
        if draft is not None:
            return draft
        published = course.versions.filter(status=CourseVersion.Status.PUBLISHED).first()
        last = course.versions.order_by("-number").values_list("number", flat=True).first() or 0
        draft = CourseVersion.objects.create(course=course, number=last + 1, created_at=clock.now())
        if published is not None:
            for module in published.modules.prefetch_related(
                "documents", "check_questions", "cases"
            ):
                copy = Module.objects.create(
                    version=draft,
                    position=module.position,
                    title=module.title,
                    text=module.text,
                    reading=module.reading,
                    questions=module.questions,
                    reflection_prompt=module.reflection_prompt,
                    origin=module,
                )
                copy.documents.set(module.documents.all())
                CheckQuestion.objects.bulk_create(
                    CheckQuestion(
                        module=copy,
                        position=q.position,
                        prompt=q.prompt,
                        choices=q.choices,
                        correct=q.correct,
                    )
                    for q in module.check_questions.all()
                )
                ModuleCase.objects.bulk_create(
                    ModuleCase(
                        module=copy,
                        kind=c.kind,
                        object_id=c.object_id,
                        attached_by=c.attached_by,
                        attached_at=c.attached_at,
                    )
                    for c in module.cases.all()
                )
    return draft


def _clean_check(check: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{prompt, choices, correct}] with the prompt and every choice one line, 2–8 choices,
    the right one among them."""
    if len(check) > MAX_QUESTIONS:
        raise Refused(
            _("A check has at most %(n)s questions.") % {"n": MAX_QUESTIONS}, field="check"
        )
    cleaned = []
    for n, question in enumerate(check, start=1):
        prompt = clean_plain(str(question.get("prompt", ""))).strip()[:500]
        choices = [clean_plain(str(c)).strip()[:300] for c in question.get("choices", [])]
        choices = [c for c in choices if c]
        correct = question.get("correct")
        if not prompt or not 2 <= len(choices) <= MAX_CHOICES:
            raise Refused(
                _("Question %(n)s needs a question and 2 to 8 choices.") % {"n": n}, field="check"
            )
        if (
            not isinstance(correct, int)
            or isinstance(correct, bool)
            or not 0 <= correct < len(choices)
        ):
            raise Refused(
                _("Question %(n)s needs its right choice marked.") % {"n": n}, field="check"
            )
        cleaned.append({"prompt": prompt, "choices": choices, "correct": correct})
    return cleaned


def module_save(
    *,
    actor: Any,
    course: Course,
    title: str,
    text: str = "",
    reading: str = "",
    questions: str = "",
    reflection_prompt: str = "",
    documents: list[Any] | None = None,
    check: list[dict[str, Any]] | None = None,
    module: Module | None = None,
) -> Module:
    """Add a module at the end of the course's draft, or change one of the draft's modules.

    Library documents attached must be ones the author may read."""
    draft = course_draft(actor=actor, course=course)
    if module is not None and module.version_id != draft.pk:
        raise Conflict(_("Only the draft's modules are changed; published versions stay."))
    found = Refusals()
    with found:
        title = _title(title)
    with found:
        text = _text(text, "text")
    with found:
        reading = _text(reading, "reading")
    with found:
        questions = _text(questions, "questions")
    with found:
        prompt = clean_plain(reflection_prompt or "").strip()
        if len(prompt) > 500:
            raise Refused(_("Keep the question under 500 characters."), field="reflection_prompt")
    with found:
        cleaned = _clean_check(check or [])
    for document in documents or []:
        if not actor.has_perm("library.view_document", document) or document.is_withdrawn:
            found.add(Refused(_("Attach only current documents you may read."), field="documents"))
            break
    found.raise_any()
    with transaction.atomic():
        CourseVersion.objects.select_for_update().get(pk=draft.pk)
        if module is None:
            last = draft.modules.order_by("-position").values_list("position", flat=True).first()
            module = Module(version=draft, position=(last or 0) + 1)
        module.title, module.text, module.reading = title, text, reading
        module.questions, module.reflection_prompt = questions, prompt
        module.save()
        if documents is not None:
            module.documents.set(documents)
        if check is not None:
            module.check_questions.all().delete()
            CheckQuestion.objects.bulk_create(
                CheckQuestion(module=module, position=n, **question)
                for n, question in enumerate(cleaned, start=1)
            )
    return module


def module_remove(*, actor: Any, module: Module) -> None:
    """Take a module out of the draft; those after it move up."""
    module = Module.objects.select_related("version__course").get(pk=module.pk)
    course = module.version.course
    _require(actor, "training.change_course", course, _("Only the course's authors change it."))
    if module.version.status != CourseVersion.Status.DRAFT:
        raise Conflict(_("Only the draft's modules are changed; published versions stay."))
    with transaction.atomic():
        CourseVersion.objects.select_for_update().get(pk=module.version_id)
        version, position = module.version, module.position
        module.delete()
        for later in version.modules.filter(position__gt=position).order_by("position"):
            later.position -= 1
            later.save(update_fields=["position"])


def case_attach(*, actor: Any, module: Module, kind: str, object_id: int) -> ModuleCase:
    """Attach a lesson kept elsewhere (a kind registered in `training.cases`) to a module of
    the draft, as case material. The author must be able to read it."""
    module = Module.objects.select_related("version__course").get(pk=module.pk)
    course = module.version.course
    _require(actor, "training.change_course", course, _("Only the course's authors change it."))
    if module.version.status != CourseVersion.Status.DRAFT:
        raise Conflict(_("Case material is attached to the draft; published versions stay."))
    case_kind = cases.kind(kind)
    if case_kind is None:
        raise Refused(_("There is no such kind of case material."), field="kind")
    if object_id not in case_kind.visible(actor, [object_id]) or not case_kind.fetch([object_id]):
        raise Refused(_("There is no such case you may read."), field="object_id")
    try:
        with transaction.atomic():
            return ModuleCase.objects.create(
                module=module,
                kind=kind,
                object_id=object_id,
                attached_by=actor,
                attached_at=clock.now(),
            )
    except IntegrityError as exc:
        raise Conflict(_("This case is already attached to the module.")) from exc


def case_detach(*, actor: Any, case: ModuleCase) -> None:
    module = case.module
    _require(
        actor,
        "training.change_course",
        module.version.course,
        _("Only the course's authors change it."),
    )
    if module.version.status != CourseVersion.Status.DRAFT:
        raise Conflict(_("Case material is changed on the draft; published versions stay."))
    case.delete()


def course_publish(*, actor: Any, course: Course, note: str = "") -> CourseVersion:
    """The draft becomes the version new learners take. Learners on the version before keep
    it (and what they completed on it) until they move on themselves."""
    _require(actor, "training.change_course", course, _("Only the course's authors publish it."))
    note = clean_plain(note or "").strip()[:500]
    rulebook = current()
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        draft = course.versions.filter(status=CourseVersion.Status.DRAFT).first()
        if draft is None:
            raise Conflict(_("There is no draft to publish: change the course first."))
        count = draft.modules.count()
        if count == 0:
            raise Refused(_("A course needs at least one module before it is published."))
        course.versions.filter(status=CourseVersion.Status.PUBLISHED).update(
            status=CourseVersion.Status.SUPERSEDED
        )
        draft.status = CourseVersion.Status.PUBLISHED
        draft.published_at = clock.now()
        draft.published_by = actor
        draft.note = note
        draft.module_count = count
        draft.save()
        course.current_version = draft
        course.save(update_fields=["current_version"])
        record_append(
            kind="training.version_published",
            subject=course,
            actor=actor,
            payload={"version": draft.number, "modules": count},
            rulebook_version=rulebook.version,
        )
    return draft


def course_withdraw(*, actor: Any, course: Course) -> Course:
    """No new learners; those under way finish, and completions stay."""
    _require(actor, "training.change_course", course, _("Only the course's authors withdraw it."))
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        if course.withdrawn_at is None:
            course.withdrawn_at = clock.now()
            course.save(update_fields=["withdrawn_at"])
            record_append(kind="training.course_withdrawn", subject=course, actor=actor)
    return course


# --- cohorts ---------------------------------------------------------------------------------


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


# --- learning --------------------------------------------------------------------------------


def enrol(*, actor: Any, course: Course, cohort: Cohort | None = None) -> Enrolment:
    """The member starts the course, on its current version (or their cohort's)."""
    _require(actor, "training.enrol", course, _("This course is not open to you."))
    if cohort is not None and cohort.course_id != course.pk:
        raise Refused(_("That cohort is not one of this course's."), field="cohort")
    if cohort is None and not course.self_paced:
        raise Refused(_("This course is taken in a cohort: choose one."), field="cohort")
    if cohort is not None and cohort.closed_at is not None:
        raise Refused(_("That cohort is closed."), field="cohort")
    with transaction.atomic():
        if cohort is not None:
            cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
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
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise Conflict(
            _("You have completed this course.")
            if enrolment.status == Enrolment.Status.COMPLETED
            else _("You have left this course.")
        )
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


# --- erasure ---------------------------------------------------------------------------------


def member_erase(member: Any) -> None:
    """A learner's reflections and check answers are theirs: deleted. Enrolments stay, under
    the tombstone, as counts (who completed what is the organisation's record of training).
    Feedback they wrote as a tutor stays with the learner it answered, signed "former member"."""
    Reflection.objects.filter(enrolment__member=member).delete()
    CheckAnswer.objects.filter(enrolment__member=member).delete()
