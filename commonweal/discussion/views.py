"""Pages for discussion: thin, every change goes through a service.

Forms post normally and redirect; with htmx the same POST swaps only the part
of the page that changed (`hx-select` picks it from the redirected page).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal, confirmed
from commonweal.core.pagination import paginate
from commonweal.core.permissions import get_visible_or_404
from commonweal.core.signin import login_required
from commonweal.organisation.models import Body, Unit

from . import forms, selectors, services
from .models import (
    Appeal,
    Contribution,
    Debate,
    DiscussionProfile,
    OpinionMap,
    Statement,
    TemperatureCheck,
    Tendency,
)


def _space(value: str) -> dict:
    kind, _sep, pk = value.partition(":")
    if kind == "unit":
        return {"space_unit": get_object_or_404(Unit, pk=pk)}
    if kind == "body":
        return {"space_body": get_object_or_404(Body, pk=pk)}
    return {}


def _debate(request, pk: int) -> Debate:
    return get_visible_or_404(
        request.user,
        Debate.objects.select_related("space_body__unit", "space_unit", "opened_by"),
        "discussion.view_debate",
        pk=pk,
    )


@login_required
def index(request):
    page_obj = paginate(request, selectors.debates_for(request.user))
    return render(
        request,
        "discussion/index.html",
        {
            "page_obj": page_obj,
            "checks": selectors.checks_for(request.user)[:10],
            "my_tendencies": selectors.tendencies_of(request.user),
            "appeals_waiting": selectors.appeals_for(request.user).count(),
        },
    )


@login_required
def debate_new(request):
    spaces = selectors.spaces_for(request.user)
    form = forms.DebateForm(request.POST or None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        try:
            debate = services.debate_open(
                **_space(form.cleaned_data["space"]),
                question=form.cleaned_data["question"],
                description=form.cleaned_data["description"],
                opened_by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            return redirect("discussion:debate", debate.pk)
    return render(request, "discussion/debate_new.html", {"form": form})


def _debate_context(request, debate: Debate, form=None) -> dict:
    context = selectors.debate_page(debate, request.user)
    user = request.user
    context.update(
        form=form or forms.ContributionForm(),
        may_contribute=user.has_perm("discussion.contribute_debate", debate),
        may_moderate=user.has_perm("discussion.moderate_debate", debate),
        may_close=debate.status == Debate.Status.OPEN
        and user.has_perm("discussion.manage_debate", debate),
        speakable=[t for t in selectors.tendencies_of(user) if selectors.is_recognised(t)],
        opinion_map=OpinionMap.objects.filter(debate=debate).only("pk", "debate_id").first(),
        by_group=selectors.voice_by_group(debate),
    )
    return context


@login_required
def debate_detail(request, pk: int):
    debate = _debate(request, pk)
    form = None
    if request.method == "POST":
        form = forms.ContributionForm(request.POST)
        if form.is_valid():
            try:
                contribution = services.contribution_post(
                    debate=debate, author=request.user, **form.cleaned_data
                )
            except Refused as refusal:
                add_refusal(form, refusal)
            else:
                return redirect(reverse("discussion:debate", args=[pk]) + f"#c{contribution.pk}")
    return render(request, "discussion/debate_detail.html", _debate_context(request, debate, form))


@login_required
@require_POST
def debate_close(request, pk: int):
    debate = _debate(request, pk)
    try:
        services.debate_close(debate=debate, closed_by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect("discussion:debate", pk)


def _contribution(request, pk: int) -> Contribution:
    contribution = get_object_or_404(
        Contribution.objects.select_related("debate__space_body__unit", "debate__space_unit"),
        pk=pk,
    )
    if not request.user.has_perm("discussion.view_debate", contribution.debate):
        raise Http404
    return contribution


@login_required
@require_POST
def contribution_reply(request, pk: int):
    parent = _contribution(request, pk)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            reply = services.contribution_post(
                debate=parent.debate,
                author=request.user,
                stance="",
                text=form.cleaned_data["text"],
                parent=parent,
            )
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            return redirect(reverse("discussion:debate", args=[parent.debate_id]) + f"#c{reply.pk}")
    else:
        messages.error(request, _("Write your reply."))
    return redirect("discussion:debate", parent.debate_id)


@login_required
def contribution_edit(request, pk: int):
    contribution = _contribution(request, pk)
    if contribution.author_id != request.user.pk:
        raise Http404
    initial = {"stance": contribution.stance, "text": contribution.text}
    form = forms.ContributionForm(request.POST or None, initial=initial)
    if contribution.parent_id:
        form.fields["stance"].required = False
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_edit(
                contribution=contribution,
                editor=request.user,
                text=form.cleaned_data["text"],
                stance=form.cleaned_data["stance"] or None,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            return redirect(reverse("discussion:debate", args=[contribution.debate_id]) + f"#c{pk}")
    return render(
        request,
        "discussion/contribution_edit.html",
        {"form": form, "contribution": contribution, "window": services.EDIT_WINDOW},
    )


@login_required
def contribution_history(request, pk: int):
    contribution = _contribution(request, pk)
    if contribution.is_hidden and not (
        contribution.author_id == request.user.pk
        or request.user.has_perm("discussion.moderate_debate", contribution.debate)
    ):
        raise Http404
    return render(
        request,
        "discussion/contribution_history.html",
        {"contribution": contribution, "versions": contribution.versions.all()},
    )


@login_required
@require_POST
def contribution_hide(request, pk: int):
    contribution = _contribution(request, pk)
    form = forms.ReasonForm(request.POST)
    try:
        services.contribution_hide(
            contribution=contribution,
            moderator=request.user,
            reason=form.data.get("reason", ""),
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The contribution is hidden; its author has been told why."))
    return redirect(reverse("discussion:debate", args=[contribution.debate_id]) + f"#c{pk}")


@login_required
@require_POST
def contribution_appeal(request, pk: int):
    contribution = _contribution(request, pk)
    try:
        appeal = services.appeal_lodge(
            contribution=contribution,
            author=request.user,
            grounds=request.POST.get("grounds", ""),
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("Your appeal has gone to %(body)s.") % {"body": appeal.to_body.name}
        )
    return redirect(reverse("discussion:debate", args=[contribution.debate_id]) + f"#c{pk}")


@login_required
def appeals(request):
    return render(
        request,
        "discussion/appeals.html",
        {"appeals": selectors.appeals_for(request.user), "form": forms.AppealDecisionForm()},
    )


@login_required
@require_POST
def appeal_decide(request, pk: int):
    appeal = get_visible_or_404(
        request.user,
        Appeal.objects.select_related("to_body", "contribution__debate"),
        "discussion.decide_appeal",
        pk=pk,
    )
    try:
        services.appeal_decide(
            appeal=appeal,
            decided_by=request.user,
            uphold=request.POST.get("decision") == "uphold",
            reason=request.POST.get("reason", ""),
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The appeal has been decided and the author told."))
    return redirect("discussion:appeals")


@login_required
def check_new(request):
    spaces = selectors.spaces_for(request.user, "discussion.open_check")
    form = forms.CheckForm(request.POST or None, spaces=spaces)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.check_open(
                **_space(form.cleaned_data["space"]),
                statement=form.cleaned_data["statement"],
                opened_by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            return redirect("discussion:check", check.pk)
    return render(request, "discussion/check_new.html", {"form": form})


@login_required
def check_detail(request, pk: int):
    check = get_visible_or_404(
        request.user,
        TemperatureCheck.objects.select_related("space_body", "space_unit"),
        "discussion.view_check",
        pk=pk,
    )
    own = selectors.own_response(check, request.user)
    initial = {"choice": own.choice, "reason": own.reason} if own else None
    form = forms.ResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_respond(check=check, member=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Your response is counted."))
            return redirect("discussion:check", pk)
    return render(
        request,
        "discussion/check_detail.html",
        {
            "check": check,
            "form": form,
            "own": own,
            "results": selectors.check_results(check),
            "may_respond": request.user.has_perm("discussion.respond_check", check),
            "may_close": check.status == TemperatureCheck.Status.OPEN
            and request.user.has_perm("discussion.close_check", check),
        },
    )


@login_required
@require_POST
def check_close(request, pk: int):
    check = get_visible_or_404(request.user, TemperatureCheck, "discussion.view_check", pk=pk)
    if not confirmed(request):
        return redirect("discussion:check", pk)
    try:
        services.check_close(check=check, closed_by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect("discussion:check", pk)


def _map_context(request, debate: Debate, opinion_map: OpinionMap, form=None) -> dict:
    return {
        "debate": debate,
        "opinion_map": opinion_map,
        "form": form or forms.StatementForm(),
        "next": selectors.next_statements(opinion_map, request.user),
        "picture": selectors.opinion_map_page(opinion_map),
        "own_group": selectors.own_group(opinion_map, request.user),
        "next_publication": selectors.next_publication(),
        "small_group": selectors.SMALL_GROUP,
        "may_take_part": request.user.has_perm("discussion.contribute_debate", debate)
        and opinion_map.is_open,
        "may_moderate": request.user.has_perm("discussion.moderate_debate", debate),
        "vote_choices": forms.VOTE_CHOICES,
    }


@login_required
def map_detail(request, pk: int):
    debate = _debate(request, pk)
    opinion_map = OpinionMap.objects.filter(debate=debate).defer("model").first()
    if opinion_map is None:
        may_open = request.user.has_perm("discussion.manage_debate", debate)
        return render(request, "discussion/map_none.html", {"debate": debate, "may_open": may_open})
    form = None
    if request.method == "POST":
        form = forms.StatementForm(request.POST)
        if form.is_valid():
            try:
                services.statement_add(
                    opinion_map=opinion_map, author=request.user, text=form.cleaned_data["text"]
                )
            except Refused as refusal:
                add_refusal(form, refusal)
            else:
                messages.success(request, _("Your statement is on the map."))
                return redirect("discussion:map", pk)
    return render(
        request, "discussion/map_detail.html", _map_context(request, debate, opinion_map, form)
    )


@login_required
@require_POST
def map_open(request, pk: int):
    debate = _debate(request, pk)
    try:
        services.opinion_map_open(debate=debate, opened_by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect("discussion:map", pk)


def _statement(request, pk: int) -> Statement:
    statement = get_object_or_404(
        Statement.objects.select_related(
            "opinion_map__debate__space_body__unit", "opinion_map__debate__space_unit"
        ),
        pk=pk,
    )
    if not request.user.has_perm("discussion.view_debate", statement.opinion_map.debate):
        raise Http404
    return statement


@login_required
@require_POST
def statement_vote(request, pk: int):
    statement = _statement(request, pk)
    try:
        services.statement_vote(
            statement=statement, member=request.user, choice=request.POST.get("choice", "")
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect(reverse("discussion:map", args=[statement.opinion_map.debate_id]) + "#vote")


@login_required
@require_POST
def statement_hide(request, pk: int):
    statement = _statement(request, pk)
    try:
        services.statement_hide(
            statement=statement, moderator=request.user, reason=request.POST.get("reason", "")
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect("discussion:map", statement.opinion_map.debate_id)


@login_required
def tendency_list(request):
    return render(
        request,
        "discussion/tendency_list.html",
        {
            "page_obj": paginate(request, selectors.tendencies()),
            "minimum": selectors.recognition_minimum(),
        },
    )


@login_required
def tendency_new(request):
    form = forms.TendencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tendency = services.tendency_form(founded_by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            return redirect("discussion:tendency", tendency.slug)
    return render(request, "discussion/tendency_new.html", {"form": form})


@login_required
def tendency_detail(request, slug: str):
    tendency = get_visible_or_404(request.user, Tendency, "discussion.view_tendency", slug=slug)
    members, not_listed = selectors.tendency_members(tendency, request.user) or (None, 0)
    belongs = selectors.is_in_tendency(request.user, tendency)
    recognised = selectors.is_recognised(tendency)
    minority_form = forms.MinorityPositionForm(request.POST or None)
    if request.method == "POST" and minority_form.is_valid():
        from commonweal.decisions.models import Decision

        decision = Decision.objects.filter(pk=minority_form.cleaned_data["decision"]).first()
        try:
            if decision is None:
                raise Refused(_("There is no decision with this number."), field="decision")
            position = services.tendency_minority_position_submit(
                tendency=tendency,
                decision=decision,
                text=minority_form.cleaned_data["text"],
                submitted_by=request.user,
            )
        except Refused as refusal:
            add_refusal(minority_form, refusal)
        else:
            messages.success(
                request,
                _("The minority position is published with the decision.")
                if position.published_at
                else _("The minority position will be published once an officer has seen it."),
            )
            return redirect("discussion:tendency", slug)
    return render(
        request,
        "discussion/tendency_detail.html",
        {
            "tendency": tendency,
            "members": members[:200] if members is not None else None,
            "not_listed": not_listed,
            "belongs": belongs,
            "recognised": recognised,
            "minimum": selectors.recognition_minimum(),
            "positions": selectors.positions_of(tendency, request.user),
            "minority_form": minority_form,
        },
    )


@login_required
@require_POST
def tendency_join(request, slug: str):
    tendency = get_visible_or_404(request.user, Tendency, "discussion.view_tendency", slug=slug)
    try:
        services.tendency_join(tendency=tendency, member=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect("discussion:tendency", slug)


@login_required
@require_POST
def tendency_leave(request, slug: str):
    tendency = get_visible_or_404(request.user, Tendency, "discussion.view_tendency", slug=slug)
    try:
        services.tendency_leave(tendency=tendency, member=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    return redirect("discussion:tendency", slug)


@login_required
def position_new(request):
    """Any app links here with ?subject=app.model:pk to let a tendency put its position."""
    subject = request.GET.get("subject") or request.POST.get("subject", "")
    speakable = [t for t in selectors.tendencies_of(request.user) if selectors.is_recognised(t)]
    form = forms.PositionForm(request.POST or None, tendencies=speakable)
    if request.method == "POST" and form.is_valid():
        tendency = get_object_or_404(Tendency, pk=form.cleaned_data["tendency"])
        try:
            services.tendency_position_submit(
                tendency=tendency,
                subject=subject,
                text=form.cleaned_data["text"],
                submitted_by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The position is published."))
            label, _sep, pk = subject.partition(":")
            if label == "discussion.debate":
                return redirect("discussion:debate", pk)
            return redirect("discussion:tendency", tendency.slug)
    return render(
        request,
        "discussion/position_new.html",
        {"form": form, "subject": subject, "speakable": speakable},
    )


@login_required
def profile(request):
    instance = DiscussionProfile.objects.filter(member=request.user).first()
    form = forms.ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_profile_save(member=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Saved."))
            return redirect("discussion:profile")
    return render(request, "discussion/profile.html", {"form": form})
