"""Writing courses: the draft, its modules, checks and case material, publishing and
withdrawing.

Authors change only a course's draft; publishing it makes a new version, so nothing a
learner did or completed is rewritten."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refusals, Refused
from commonweal.core.markdown import clean_plain
from commonweal.organisation.models import Body, Unit
from commonweal.record.services import record_append
from commonweal.rulebook.selectors import current

from .. import cases
from ..models import (
    CheckQuestion,
    Course,
    CourseVersion,
    Module,
    ModuleCase,
)
from ._common import MAX_CHOICES, MAX_QUESTIONS, _require, _text, _title


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
    from ..selectors import author_body_ids

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


def module_move(*, actor: Any, module: Module, by: int) -> Module:
    """Move a module of the draft one place up (`by=-1`) or down (`by=1`), swapping it with
    its neighbour; at the first or last place it stays where it is."""
    module = Module.objects.select_related("version__course").get(pk=module.pk)
    _require(
        actor,
        "training.change_course",
        module.version.course,
        _("Only the course's authors change it."),
    )
    if by not in (-1, 1):
        raise Refused(_("Move a module one place up or down."), field="by")
    if module.version.status != CourseVersion.Status.DRAFT:
        raise Conflict(_("Only the draft's modules are changed; published versions stay."))
    with transaction.atomic():
        CourseVersion.objects.select_for_update().get(pk=module.version_id)
        module.refresh_from_db(fields=["position"])
        other = module.version.modules.filter(position=module.position + by).first()
        if other is None:
            return module
        mine, theirs = module.position, other.position
        # Through position 0, which no module holds, so (version, position) stays unique.
        Module.objects.filter(pk=module.pk).update(position=0)
        Module.objects.filter(pk=other.pk).update(position=mine)
        Module.objects.filter(pk=module.pk).update(position=theirs)
        module.position = theirs
    return module


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
