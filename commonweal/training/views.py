"""Learning pages: courses, modules, the tutor's cohort, reflections and the overview."""

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.permissions import get_visible_or_404
from commonweal.core.signin import login_required

from . import cases, leadership, selectors, services
from .forms import CheckForm, FeedbackForm, ReflectionForm, SessionForm
from .models import CheckAnswer, Cohort, Course, CourseVersion, Enrolment, Module, Reflection


def _course(request, slug: str) -> Course:
    return get_visible_or_404(
        request.user,
        Course.objects.select_related("body", "unit", "current_version"),
        "training.view_course",
        slug=slug,
    )


@login_required
def course_list(request):
    user = request.user
    if not user.is_member:
        raise Http404
    return render(
        request,
        "training/list.html",
        {
            "enrolments": selectors.my_enrolments(user)[:50],
            "page_obj": paginate(request, selectors.open_courses(user), per_page=25),
            "authored": selectors.authored_courses(user)[:50],
            "tutored": user.cohorts_tutored.filter(closed_at=None).select_related("course")[:50],
            "may_overview": user.has_perm("training.view_overview"),
            "obligations": leadership.my_obligations(user),
            "may_write": rules.has_perm("training.add_course", user),
        },
    )


@login_required
def course_detail(request, slug: str):
    course = _course(request, slug)
    user = request.user
    enrolment = selectors.active_enrolment(user, course)
    version = enrolment.version if enrolment else course.current_version
    modules = list(version.modules.order_by("position")) if version else []
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "enrolment": enrolment,
            "version": version,
            "modules": modules,
            "newer": bool(
                enrolment
                and enrolment.status == Enrolment.Status.ACTIVE
                and course.current_version_id != enrolment.version_id
            ),
            "may_enrol": rules.has_perm("training.enrol", user, course)
            and (enrolment is None or enrolment.status != Enrolment.Status.ACTIVE),
            "cohorts": course.cohorts.filter(closed_at=None, version=course.current_version)
            .select_related("tutor")
            .order_by("starts_on")[:20],
            "may_change": rules.has_perm("training.change_course", user, course),
            "completions": selectors.completions_of(user, course),
        },
    )


def _past_version(request, slug: str, number: int) -> tuple[Course, CourseVersion]:
    """A published version as it was, for its authors and for whoever took it (on it now,
    completed it, or left it): a later version never rewrites what a learner read."""
    course = get_object_or_404(Course.objects.select_related("body", "unit"), slug=slug)
    version = get_object_or_404(
        course.versions.exclude(status=CourseVersion.Status.DRAFT), number=number
    )
    user = request.user
    if not (
        rules.has_perm("training.change_course", user, course)
        or (user.is_member and selectors.took_version(user, version))
    ):
        raise Http404
    return course, version


@login_required
def version_detail(request, slug: str, number: int):
    course, version = _past_version(request, slug, number)
    return render(
        request,
        "training/version.html",
        {"course": course, "version": version, "modules": version.modules.order_by("position")},
    )


@login_required
def version_module(request, slug: str, number: int, position: int):
    course, version = _past_version(request, slug, number)
    module = get_object_or_404(version.modules.all(), position=position)
    return render(
        request,
        "training/version_module.html",
        {
            "course": course,
            "version": version,
            "module": module,
            "count": version.modules.count(),
            "documents": module.documents.filter(withdrawn_at=None).select_related("body"),
            "cases": cases.shown_to(request.user, module.cases.all()),
        },
    )


@login_required
@require_POST
def enrol(request, slug: str):
    course = _course(request, slug)
    cohort = None
    if request.POST.get("cohort"):
        cohort = Cohort.objects.filter(pk=request.POST["cohort"], course=course).first()
        if cohort is None:
            raise Http404
    try:
        services.enrol(actor=request.user, course=course, cohort=cohort)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("You are taking %(course)s.") % {"course": course.title})
    return redirect("training:course", slug=course.slug)


def _own_enrolment(request, course: Course) -> Enrolment:
    enrolment = selectors.active_enrolment(request.user, course)
    if enrolment is None:
        raise Http404
    return enrolment


@login_required
@require_POST
def move(request, slug: str):
    course = _course(request, slug)
    try:
        services.enrolment_move(actor=request.user, enrolment=_own_enrolment(request, course))
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("You are now on the course's current version."))
    return redirect("training:course", slug=course.slug)


@login_required
def leave(request, slug: str):
    course = _course(request, slug)
    enrolment = _own_enrolment(request, course)
    if request.method == "POST":
        try:
            services.enrolment_leave(actor=request.user, enrolment=enrolment)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("You have left %(course)s.") % {"course": course.title})
        return redirect("training:course", slug=course.slug)
    return render(request, "training/leave.html", {"course": course, "enrolment": enrolment})


def _module(request, slug: str, position: int):
    """The module at this position of the learner's version (of the current version for
    whoever may see the course without taking it)."""
    course = _course(request, slug)
    enrolment = selectors.active_enrolment(request.user, course)
    version = enrolment.version if enrolment else course.current_version
    if version is None:
        raise Http404
    module = get_object_or_404(
        Module.objects.prefetch_related("check_questions"), version=version, position=position
    )
    return course, enrolment, module


@login_required
def module_detail(request, slug: str, position: int, *, forms: dict | None = None):
    course, enrolment, module = _module(request, slug, position)
    learning = enrolment is not None and enrolment.status == Enrolment.Status.ACTIVE
    questions = list(module.check_questions.all())
    answer = reflection = None
    if enrolment is not None:
        answer = CheckAnswer.objects.filter(enrolment=enrolment, module=module).first()
        reflection = Reflection.objects.filter(enrolment=enrolment, module=module).first()
    reached = enrolment is not None and module.position <= enrolment.modules_done + 1
    taken = enrolment is not None and module.position <= enrolment.modules_done
    passed = answer is not None and answer.percent >= course.pass_mark
    forms = forms or {}
    context = {
        "course": course,
        "enrolment": enrolment,
        "module": module,
        "count": module.version.modules.count(),
        "documents": module.documents.filter(withdrawn_at=None).select_related("body"),
        "cases": cases.shown_to(request.user, module.cases.all()),
        "questions": questions,
        "answer": answer,
        "reflection": reflection,
        "learning": learning,
        "reached": reached,
        "taken": taken,
        "check_open": learning and reached and not taken and questions and not passed,
        "check_form": forms.get("check") or CheckForm(questions=questions),
        "reflection_form": forms.get("reflection")
        or ReflectionForm(initial={"text": reflection.text if reflection else ""}),
    }
    return render(request, "training/module.html", context)


@login_required
@require_POST
def module_done(request, slug: str, position: int):
    course, enrolment, module = _module(request, slug, position)
    if enrolment is None:
        raise Http404
    try:
        enrolment = services.module_done(actor=request.user, enrolment=enrolment, module=module)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("training:module", slug=course.slug, position=position)
    if enrolment.status == Enrolment.Status.COMPLETED:
        messages.success(request, _("You have completed %(course)s.") % {"course": course.title})
        return redirect("training:course", slug=course.slug)
    return redirect("training:module", slug=course.slug, position=position + 1)


@login_required
@require_POST
def check(request, slug: str, position: int):
    course, enrolment, module = _module(request, slug, position)
    if enrolment is None:
        raise Http404
    form = CheckForm(request.POST, questions=list(module.check_questions.all()))
    if form.is_valid():
        try:
            answer = services.check_answer(
                actor=request.user, enrolment=enrolment, module=module, answers=form.answers()
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("You scored %(score)s out of %(out_of)s.")
                % {"score": answer.score, "out_of": answer.out_of},
            )
            return redirect("training:module", slug=course.slug, position=position)
    return module_detail(request, slug, position, forms={"check": form})


@login_required
@require_POST
def reflect(request, slug: str, position: int):
    course, enrolment, module = _module(request, slug, position)
    if enrolment is None:
        raise Http404
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            services.reflection_write(
                actor=request.user,
                enrolment=enrolment,
                module=module,
                text=form.cleaned_data["text"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Your reflection is saved."))
            return redirect("training:module", slug=course.slug, position=position)
    return module_detail(request, slug, position, forms={"reflection": form})


@login_required
def progress(request, slug: str):
    """How far the course's learners have come; the same few queries at any size."""
    course = _course(request, slug)
    if not (
        request.user.has_perm("training.change_course", course)
        or request.user.has_perm("training.view_overview")
    ):
        raise Http404
    return render(
        request,
        "training/progress.html",
        {"course": course, "progress": selectors.course_progress(course)},
    )


@login_required
def cohort_detail(request, pk: int):
    cohort = get_visible_or_404(
        request.user,
        Cohort.objects.select_related("course", "tutor", "version"),
        "training.view_cohort",
        pk=pk,
    )
    is_tutor = cohort.tutor_id == request.user.pk
    form = SessionForm(request.POST or None)
    may_schedule = rules.has_perm("training.schedule_session", request.user, cohort)
    if request.method == "POST":
        if not may_schedule:
            raise Http404
        if form.is_valid():
            try:
                services.session_schedule(actor=request.user, cohort=cohort, **form.cleaned_data)
            except Refused as refusal:
                add_refusal(form, refusal)
            else:
                messages.success(request, _("The session is scheduled."))
                return redirect("training:cohort", pk=cohort.pk)
    return render(
        request,
        "training/cohort.html",
        {
            "cohort": cohort,
            "modules": list(cohort.version.modules.order_by("position")),
            "page_obj": paginate(request, selectors.cohort_learners(cohort), per_page=50),
            "sessions": cohort.sessions.all(),
            # Reflections are the learner's and the tutor's: not listed to the authors.
            "reflections": selectors.cohort_reflections(cohort)[:100] if is_tutor else None,
            "form": form,
            "may_schedule": may_schedule,
            "may_close": rules.has_perm("training.close_cohort", request.user, cohort),
        },
    )


@login_required
def reflection_detail(request, pk: int):
    reflection = get_object_or_404(
        Reflection.objects.select_related(
            "enrolment__member", "enrolment__cohort", "enrolment__course", "module", "feedback_by"
        ),
        pk=pk,
    )
    # The rules themselves: not even an administrator reads a learner's reflection.
    if not rules.has_perm("training.read_reflections", request.user, reflection.enrolment):
        raise Http404
    may_answer = rules.has_perm("training.give_feedback", request.user, reflection.enrolment)
    form = FeedbackForm(request.POST or None, initial={"feedback": reflection.feedback})
    if request.method == "POST":
        if not may_answer:
            raise Http404
        if form.is_valid():
            try:
                services.reflection_feedback(
                    actor=request.user,
                    reflection=reflection,
                    feedback=form.cleaned_data["feedback"],
                )
            except Refused as refusal:
                add_refusal(form, refusal)
            else:
                messages.success(request, _("Your feedback is sent to the learner."))
                return redirect("training:cohort", pk=reflection.enrolment.cohort_id)
    return render(
        request,
        "training/reflection.html",
        {"reflection": reflection, "form": form, "may_answer": may_answer},
    )


@login_required
def overview(request):
    if not request.user.has_perm("training.view_overview"):
        raise Http404
    return render(request, "training/overview.html", selectors.overview())


@login_required
def leadership_status(request):
    """The training department's page: office-holders whose training is due or overdue."""
    if not request.user.has_perm("training.view_overview"):
        raise Http404
    return render(request, "training/leadership.html", leadership.department_view())
