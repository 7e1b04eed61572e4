from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from commonweal.core import clock
from commonweal.core.csv_export import csv_response
from commonweal.core.errors import Refused
from commonweal.core.forms import act, add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.permissions import get_visible_or_404
from commonweal.core.signin import login_required
from commonweal.members.models import Member

from . import selectors, services
from .forms import (
    ActionForm,
    ActionReportForm,
    DecisionEnterForm,
    MinorityPositionForm,
    RegisterSearchForm,
    ReviewDateForm,
    ReviewForm,
)
from .models import Action, Decision, MinorityPosition


def _register_search(request) -> tuple[RegisterSearchForm, QuerySet[Decision]]:
    """The register's search form and the decisions it selects, for the page and its CSV."""
    if not request.user.has_perm("decisions.view_decision"):
        raise Http404
    form = RegisterSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    decisions = selectors.register(
        body=filters.get("body"),
        unit=filters.get("unit"),
        text=filters.get("q") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return form, decisions


@login_required
def register(request):
    form, decisions = _register_search(request)
    page = paginate(request, decisions)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "decisions/register.html",
        {
            "form": form,
            "page_obj": page,
            "query": query.urlencode(),
            "on_time": selectors.on_time_by_body(),
            "may_enter": selectors.bodies_recordable_by(request.user).exists(),
        },
    )


@login_required
def decision_enter(request):
    """An officer enters a decision their body took outside the platform's votes (a
    meeting held offline, unanimous consent, a written resolution)."""
    bodies = selectors.bodies_recordable_by(request.user)
    if not bodies.exists():
        raise Http404
    chosen = request.GET.get("body", "")
    form = DecisionEnterForm(
        request.POST or None,
        bodies=bodies,
        initial={
            "body": int(chosen) if chosen.isdigit() else None,
            "taken_on": timezone.localdate(clock.now()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_enter(entered_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("The decision is in the register and its body has been told.")
            )
            return redirect("decisions:detail", pk=decision.pk)
    return render(request, "decisions/enter.html", {"form": form})


@login_required
@require_GET
def register_csv(request):
    form, decisions = _register_search(request)
    if form.is_bound and not form.is_valid():
        # The page shows the errors above every decision; a download of every decision
        # would look like the search's answer, so it is refused instead.
        return HttpResponse(
            _("The search is not valid, so nothing was downloaded. %(errors)s")
            % {"errors": _search_errors(form)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return csv_response(
        selectors.register_csv_header(),
        selectors.register_csv_rows(decisions, site=request.build_absolute_uri("/")),
        filename=f"decisions-{clock.now().date().isoformat()}.csv",
    )


def _search_errors(form: RegisterSearchForm) -> str:
    """Each invalid field by its label, with what is wrong: "From: Enter a valid date." """
    parts = [f"{field.label}: {' '.join(field.errors)}" for field in form if field.errors]
    return " ".join([*parts, *form.non_field_errors()])


def _decision(request, pk: int) -> Decision:
    return get_visible_or_404(
        request.user,
        Decision.objects.select_related("body", "body__unit", "vote", "recorded_by"),
        "decisions.view_decision",
        pk=pk,
    )


def _detail(request, decision: Decision, status: int = 200, **forms):
    context = selectors.decision_page(decision)
    standing = selectors.minority_standing(request.user, decision)
    may_manage = request.user.has_perm("decisions.manage_decision", decision)
    context.update(
        may_manage=may_manage,
        minority_standing=standing,
        minority_awaiting=list(selectors.minority_positions_awaiting(decision))
        if may_manage
        else [],
        minority_form=(
            forms.get("minority_form") or MinorityPositionForm(standing=standing)
            if standing.may_attach
            else None
        ),
        action_form=forms.get("action_form") or ActionForm(),
        review_date_form=forms.get("review_date_form")
        or ReviewDateForm(initial={"review_on": decision.review_on}),
        review_form=forms.get("review_form") or ReviewForm(),
        review_due=decision.review_on is not None and decision.review_on <= clock.now().date(),
        report_form=ActionReportForm(),
        reportable={
            a.pk for a in context["actions"] if request.user.has_perm("decisions.report_action", a)
        },
    )
    return render(request, "decisions/detail.html", context, status=status)


@login_required
def decision_detail(request, pk: int):
    return _detail(request, _decision(request, pk))


@login_required
@require_POST
def minority_attach(request, pk: int):
    decision = _decision(request, pk)
    standing = selectors.minority_standing(request.user, decision)
    if not standing.may_attach:
        messages.error(request, standing.refusal)
        return redirect("decisions:detail", pk=pk)
    form = MinorityPositionForm(request.POST, standing=standing)
    if form.is_valid():
        try:
            position = services.minority_position_attach(
                decision=decision,
                text=form.cleaned_data["text"],
                author=request.user,
                tendency=form.cleaned_data["tendency"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("Your minority position is published beside the decision.")
                if position.published_at
                else _("Your minority position will be published once an officer has seen it."),
            )
            return redirect("decisions:detail", pk=pk)
    return _detail(request, decision, status=400, minority_form=form)


@login_required
@require_POST
def minority_publish(request, pk: int):
    position = get_object_or_404(MinorityPosition.objects.select_related("decision"), pk=pk)
    decision = _decision(request, position.decision_id)
    act(
        request,
        lambda: services.minority_position_publish(position=position, by=request.user),
        _("The minority position is published beside the decision."),
    )
    return redirect("decisions:detail", pk=decision.pk)


@login_required
@require_POST
def action_add(request, pk: int):
    decision = _decision(request, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        owner = None
        if data["owner_email"]:
            owner = Member.objects.filter(email__iexact=data["owner_email"]).first()
        try:
            if data["owner_email"] and owner is None:
                raise Refused(_("No member has that email address."), field="owner_email")
            services.action_add(
                decision=decision,
                what=data["what"],
                owner_member=owner,
                owner_body=data["owner_body"],
                due_on=data["due_on"],
                added_by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The action has been added."))
            return redirect("decisions:detail", pk=pk)
    return _detail(request, decision, status=400, action_form=form)


@login_required
@require_POST
def action_report(request, pk: int):
    action = get_object_or_404(Action.objects.select_related("decision"), pk=pk)
    decision = _decision(request, action.decision_id)
    form = ActionReportForm(request.POST)
    if form.is_valid():
        try:
            services.action_report(action=action, reported_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Your progress report has been recorded."))
    else:
        messages.error(request, _("Fill in the progress, the percentage and the status."))
    return redirect("decisions:detail", pk=decision.pk)


@login_required
@require_POST
def review_set(request, pk: int):
    decision = _decision(request, pk)
    form = ReviewDateForm(request.POST)
    if form.is_valid():
        try:
            services.decision_review_set(
                decision=decision, review_on=form.cleaned_data["review_on"], by=request.user
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The review date is set; the officers will be reminded."))
            return redirect("decisions:detail", pk=pk)
    return _detail(request, decision, status=400, review_date_form=form)


@login_required
@require_POST
def review_record(request, pk: int):
    decision = _decision(request, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.decision_review_record(
                decision=decision, outcome=form.cleaned_data["outcome"], by=request.user
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("What came of the decision is recorded."))
            return redirect("decisions:detail", pk=pk)
    return _detail(request, decision, status=400, review_form=form)
