"""The authors' pages: writing a course, editing its draft, publishing and withdrawing it,
starting and closing cohorts. Each is a 404 to anyone but the members of the body that
writes the course (not even an administrator authors for others)."""

import rules
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal, confirmed
from commonweal.core.markdown import render as render_markdown
from commonweal.core.signin import login_required
from commonweal.library.selectors import recent_documents
from commonweal.organisation.models import Body

from . import cases, selectors, services
from .forms import CaseForm, CohortForm, CourseForm, ModuleForm, PublishForm
from .models import Cohort, Course, CourseVersion, Module, ModuleCase

LIBRARY_CHOICES = 100


def _authored(request, slug: str) -> Course:
    course = get_object_or_404(
        Course.objects.select_related("body", "unit", "current_version"), slug=slug
    )
    # The rule itself, not `has_perm`: an administrator is no author.
    if not rules.has_perm("training.change_course", request.user, course):
        raise Http404
    return course


def _draft(course: Course) -> CourseVersion | None:
    return course.versions.filter(status=CourseVersion.Status.DRAFT).first()


def _draft_module(course: Course, position: int) -> tuple[CourseVersion, Module]:
    draft = _draft(course)
    if draft is None:
        raise Http404
    module = get_object_or_404(
        Module.objects.prefetch_related("check_questions", "documents"),
        version=draft,
        position=position,
    )
    return draft, module


@login_required
def course_write(request):
    """Write a course: a new course with an empty draft, then on to its editor."""
    if not rules.has_perm("training.add_course", request.user):
        raise Http404
    bodies = list(
        Body.objects.filter(pk__in=selectors.author_body_ids(request.user))
        .select_related("unit")
        .order_by("name")
    )
    form = CourseForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The course is written: now add its modules."))
            return redirect("training:draft", slug=course.slug)
    return render(request, "training/author/write.html", {"form": form})


@login_required
def draft(request, slug: str):
    """The course's editor: its draft's modules, its versions and its cohorts. A course with
    no draft offers to start one from the published version (a POST)."""
    course = _authored(request, slug)
    if request.method == "POST":
        services.course_draft(actor=request.user, course=course)
        messages.success(request, _("A new draft is started from the published version."))
        return redirect("training:draft", slug=course.slug)
    current = _draft(course)
    return render(
        request,
        "training/author/draft.html",
        {
            "course": course,
            "draft": current,
            "modules": list(current.modules.order_by("position")) if current else [],
            "versions": course.versions.exclude(status=CourseVersion.Status.DRAFT).order_by(
                "-number"
            )[:50],
            "cohorts": course.cohorts.select_related("tutor", "version").order_by(
                "closed_at", "-starts_on"
            )[:50],
        },
    )


def _module_form(request, course: Course, module: Module | None) -> ModuleForm:
    documents = list(recent_documents(request.user, limit=LIBRARY_CHOICES))
    if module is not None:
        documents += [d for d in module.documents.all() if d not in documents]
    questions = list(module.check_questions.order_by("position")) if module else []
    initial = None
    if module is not None:
        initial = {
            "title": module.title,
            "text": module.text,
            "reading": module.reading,
            "questions": module.questions,
            "reflection_prompt": module.reflection_prompt,
            "documents": [d.pk for d in module.documents.all()],
        }
    return ModuleForm(
        request.POST or None,
        initial=initial,
        documents=documents,
        initial_check=questions,
        slots=1 if questions else 2,
    )


def _module_page(request, course: Course, module: Module | None):
    form = _module_form(request, course, module)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["text"])
        else:
            data = {k: form.cleaned_data[k] for k in ("title", "text", "reading", "questions")}
            try:
                saved = services.module_save(
                    actor=request.user,
                    course=course,
                    module=module,
                    reflection_prompt=form.cleaned_data["reflection_prompt"],
                    documents=list(form.cleaned_data["documents"]),
                    check=form.check(),
                    **data,
                )
            except Refused as refusal:
                add_refusal(form, refusal)
            else:
                messages.success(
                    request, _("The module %(title)s is saved.") % {"title": saved.title}
                )
                return redirect("training:draft", slug=course.slug)
    template = "training/author/module.html"
    if request.headers.get("HX-Request") and preview is not None:
        template = "training/author/preview.html"
    return render(
        request,
        template,
        {
            "course": course,
            "module": module,
            "form": form,
            "preview": preview,
            "cases": cases.shown_to(request.user, module.cases.all()) if module else [],
            "case_form": CaseForm(kinds=cases.kinds()) if module and cases.kinds() else None,
        },
    )


@login_required
def module_add(request, slug: str):
    return _module_page(request, _authored(request, slug), None)


@login_required
def module_edit(request, slug: str, position: int):
    course = _authored(request, slug)
    _draft_obj, module = _draft_module(course, position)
    return _module_page(request, course, module)


@login_required
@require_POST
def module_move(request, slug: str, position: int):
    course = _authored(request, slug)
    _draft_obj, module = _draft_module(course, position)
    try:
        services.module_move(
            actor=request.user, module=module, by=-1 if request.POST.get("by") == "up" else 1
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect("training:draft", slug=course.slug)


@login_required
def module_remove(request, slug: str, position: int):
    course = _authored(request, slug)
    _draft_obj, module = _draft_module(course, position)
    if request.method == "POST" and confirmed(request):
        services.module_remove(actor=request.user, module=module)
        messages.success(request, _("The module %(title)s is removed.") % {"title": module.title})
        return redirect("training:draft", slug=course.slug)
    return render(
        request, "training/author/module_remove.html", {"course": course, "module": module}
    )


@login_required
@require_POST
def case_attach(request, slug: str, position: int):
    course = _authored(request, slug)
    _draft_obj, module = _draft_module(course, position)
    form = CaseForm(request.POST, kinds=cases.kinds())
    if not form.is_valid():
        messages.error(request, _("Choose a kind of case and give its number."))
    else:
        try:
            services.case_attach(actor=request.user, module=module, **form.cleaned_data)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The case is attached."))
    return redirect("training:module_edit", slug=course.slug, position=position)


@login_required
@require_POST
def case_detach(request, slug: str, position: int, pk: int):
    course = _authored(request, slug)
    _draft_obj, module = _draft_module(course, position)
    case = get_object_or_404(
        ModuleCase.objects.select_related("module__version__course"), pk=pk, module=module
    )
    services.case_detach(actor=request.user, case=case)
    messages.success(request, _("The case is taken off the module."))
    return redirect("training:module_edit", slug=course.slug, position=position)


@login_required
def publish(request, slug: str):
    """Publishing asks for what changed and a confirmation: a published version is never
    edited again."""
    course = _authored(request, slug)
    current = _draft(course)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and confirmed(request) and form.is_valid():
        try:
            version = services.course_publish(
                actor=request.user, course=course, note=form.cleaned_data["note"]
            )
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Version %(n)s of %(course)s is published.")
                % {"n": version.number, "course": course.title},
            )
            return redirect("training:course", slug=course.slug)
    return render(
        request,
        "training/author/publish.html",
        {
            "course": course,
            "draft": current,
            "count": current.modules.count() if current else 0,
            "form": form,
        },
    )


@login_required
def withdraw(request, slug: str):
    course = _authored(request, slug)
    if request.method == "POST" and confirmed(request):
        services.course_withdraw(actor=request.user, course=course)
        messages.success(request, _("%(course)s is withdrawn.") % {"course": course.title})
        return redirect("training:draft", slug=course.slug)
    return render(request, "training/author/withdraw.html", {"course": course})


@login_required
def cohort_add(request, slug: str):
    """Start a cohort on the published version, with a tutor named by their email address."""
    course = _authored(request, slug)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tutor = (
            get_user_model()
            .objects.filter(email__iexact=data.pop("tutor_email"), is_active=True)
            .first()
        )
        try:
            cohort = services.cohort_create(actor=request.user, course=course, tutor=tutor, **data)
        except Refused as refusal:
            for each in refusal.every:
                field = "tutor_email" if each.field == "tutor" else each.field
                form.add_error(field if field in form.fields else None, each.message)
        else:
            messages.success(request, _("%(name)s is started.") % {"name": cohort.name})
            return redirect("training:cohort", pk=cohort.pk)
    return render(request, "training/author/cohort_add.html", {"course": course, "form": form})


@login_required
def cohort_close(request, pk: int):
    cohort = get_object_or_404(Cohort.objects.select_related("course", "tutor"), pk=pk)
    if not rules.has_perm("training.close_cohort", request.user, cohort):
        raise Http404
    if request.method == "POST" and confirmed(request):
        try:
            services.cohort_close(actor=request.user, cohort=cohort)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("%(name)s is closed.") % {"name": cohort.name})
        return redirect("training:cohort", pk=cohort.pk)
    return render(
        request,
        "training/author/cohort_close.html",
        {
            "cohort": cohort,
            "active": selectors.cohort_learners(cohort).filter(status="active").count(),
        },
    )
