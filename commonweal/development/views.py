from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.signin import login_required
from commonweal.members.models import Member
from commonweal.organisation.selectors import officer_unit_paths

from . import selectors, services
from .forms import AskForm, AssignForm, GoalForm, PlanForm, StepForm
from .models import Goal, Mentoring, Plan, Step


def _keeper(request) -> Member:
    if not request.user.has_perm("development.keep_plan"):
        raise Http404
    return request.user


def _act(request, action, done: str) -> None:
    try:
        action()
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)


@login_required
def home(request):
    """My development plan and my mentoring."""
    member = _keeper(request)
    plan = selectors.plan_of(member)
    initial = {"aims": plan.aims, "share_with_officers": plan.share_with_officers} if plan else {}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(member=member, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Your plan is saved."))
            return redirect("development:home")
    return render(
        request,
        "development/home.html",
        {
            "form": form,
            "page": selectors.plan_page(plan) if plan else None,
            "goal_form": GoalForm(),
            "step_form": StepForm(),
            "mentoring": selectors.open_mentoring_of(member),
        },
    )


@login_required
@require_POST
def goal_add(request):
    member = _keeper(request)
    plan = get_object_or_404(Plan, member=member)
    form = GoalForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.goal_add(member=member, plan=plan, **form.cleaned_data),
            _("Goal added."),
        )
    else:
        messages.error(request, _("Name the goal."))
    return redirect("development:home")


@login_required
@require_POST
def step_add(request, pk: int):
    member = _keeper(request)
    goal = get_object_or_404(Goal.objects.select_related("plan"), pk=pk, plan__member=member)
    form = StepForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.step_add(member=member, goal=goal, **form.cleaned_data),
            _("Step added."),
        )
    else:
        messages.error(request, _("Name the step, and give a real date or none."))
    return redirect("development:home")


@login_required
@require_POST
def step_mark(request, pk: int):
    member = _keeper(request)
    step = get_object_or_404(Step.objects.select_related("goal__plan"), pk=pk)
    if step.goal.plan.member_id != member.pk:
        raise Http404
    done = request.POST.get("done") == "1"
    _act(
        request,
        lambda: services.step_mark(member=member, step=step, done=done),
        _("Marked done.") if done else _("Marked not done."),
    )
    return redirect("development:home")


def _plan_or_404(request, pk: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("member__unit"), pk=pk)
    if not request.user.has_perm("development.view_plan", plan):
        raise Http404
    return plan


@login_required
@require_GET
def plan_detail(request, pk: int):
    """Another member's plan: their mentor's or mentee's, or an officer's when shared."""
    plan = _plan_or_404(request, pk)
    if plan.member_id == request.user.pk:
        return redirect("development:home")
    from commonweal.members.services import profile_viewed

    profile_viewed(viewer=request.user, subject=plan.member, what="development plan")
    may_review = plan.member_id in selectors.active_partner_ids(request.user)
    return render(
        request,
        "development/plan.html",
        {**selectors.plan_page(plan), "owner": plan.member, "may_review": may_review},
    )


@login_required
@require_POST
def plan_review(request, pk: int):
    plan = _plan_or_404(request, pk)
    _act(
        request,
        lambda: services.plan_review(actor=request.user, plan=plan),
        _("The plan is reviewed; the next review is due in the rulebook's interval."),
    )
    if plan.member_id == request.user.pk:
        return redirect("development:home")
    return redirect("development:plan", pk=plan.pk)


@login_required
@require_GET
def mentoring(request):
    member = _keeper(request)
    mentored = list(selectors.mentoring_as_mentor(member))
    plans = {p.member_id: p for p in Plan.objects.filter(member__in=[m.mentee for m in mentored])}
    progress = selectors.progress_of([p.pk for p in plans.values()])
    rows = [
        (m, plans.get(m.mentee_id), progress.get(getattr(plans.get(m.mentee_id), "pk", 0)))
        for m in mentored
    ]
    return render(
        request,
        "development/mentoring.html",
        {
            "mine": selectors.open_mentoring_of(member),
            "ask_form": AskForm(),
            "mentored": rows,
            "requests": paginate(request, selectors.mentoring_requests_for(member)),
            "shared": selectors.shared_plans_for(member)[:50],
            "assign_form": AssignForm(),
            "is_officer": bool(officer_unit_paths(member)),
        },
    )


@login_required
@require_POST
def mentoring_ask(request):
    member = _keeper(request)
    form = AskForm(request.POST)
    form.is_valid()
    _act(
        request,
        lambda: services.mentoring_ask(member=member, note=form.cleaned_data.get("note", "")),
        _("Your request for a mentor is sent to your unit's officers."),
    )
    return redirect("development:mentoring")


def _mentoring_or_404(request, pk: int, perm: str) -> Mentoring:
    found = get_object_or_404(Mentoring.objects.select_related("mentee__unit"), pk=pk)
    if not request.user.has_perm(perm, found):
        raise Http404
    return found


@login_required
@require_POST
def mentor_assign(request, pk: int):
    found = _mentoring_or_404(request, pk, "development.assign_mentor")
    form = AssignForm(request.POST)
    mentor = None
    if form.is_valid():
        mentor = Member.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if mentor is None:
        messages.error(request, _("No member has this email address."))
    else:
        _act(
            request,
            lambda: services.mentor_assign(mentoring=found, mentor=mentor, officer=request.user),
            _("The mentor is asked to accept."),
        )
    return redirect("development:mentoring")


@login_required
@require_POST
def mentor_offer(request, pk: int):
    found = _mentoring_or_404(request, pk, "development.offer_to_mentor")
    _act(
        request,
        lambda: services.mentor_offer(mentoring=found, mentor=request.user),
        _("You offered to mentor; accept below to begin."),
    )
    return redirect("development:mentoring")


@login_required
@require_POST
def mentoring_answer(request, pk: int):
    found = _mentoring_or_404(request, pk, "development.accept_mentoring")
    accept = request.POST.get("decision") == "accept"
    _act(
        request,
        lambda: services.mentoring_accept(mentoring=found, mentor=request.user, accept=accept),
        _("You are now mentoring.") if accept else _("You declined."),
    )
    return redirect("development:mentoring")


@login_required
@require_POST
def mentoring_end(request, pk: int):
    found = _mentoring_or_404(request, pk, "development.end_mentoring")
    _act(
        request,
        lambda: services.mentoring_end(mentoring=found, member=request.user),
        _("The mentoring has ended."),
    )
    return redirect("development:mentoring")
