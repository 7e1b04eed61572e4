"""Pages of the policy process; each action calls one service and shows its refusal."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import act, add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.permissions import get_visible_or_404
from commonweal.core.ratelimit import RateLimited, client_ip, too_many
from commonweal.core.signin import login_required
from commonweal.organisation.models import Body
from commonweal.rulebook.selectors import current

from . import forms, selectors, services, windows
from .models import Circulation, DraftVersion, Paragraph, Policy, Proposal, ScopeProposal, Stage


def _proposal(request, pk: int) -> Proposal:
    return get_visible_or_404(
        request.user,
        Proposal.objects.select_related("section__unit", "author", "unit", "amends", "decision"),
        "policy.view_proposal",
        pk=pk,
    )


def _step(request, pk: int, service, success: str) -> Proposal:
    """A button that takes the proposal one step on for the signed-in member."""
    p = _proposal(request, pk)
    act(request, lambda: service(proposal=p, by=request.user), success)
    return p


@login_required
def board(request):
    if not request.user.has_perm("policy.view_proposal"):
        raise Http404
    form = forms.BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    proposals = selectors.board(
        section=filters.get("section"),
        stage=filters.get("stage", ""),
        unit=filters.get("unit"),
        query=filters.get("q", ""),
    )
    page_obj = paginate(request, proposals)
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "policy/board.html",
        {"form": form, "page_obj": page_obj, "query": query},
    )


@login_required
def stalled(request):
    if not request.user.has_perm("policy.view_proposal"):
        raise Http404
    page_obj = paginate(request, selectors.stalled())
    return render(request, "policy/stalled.html", {"page_obj": page_obj})


@login_required
def section(request, slug: str):
    body = get_object_or_404(Body, slug=slug, kind=Body.Kind.POLICY_SECTION)
    if not request.user.has_perm("policy.view_proposal"):
        raise Http404
    page_obj = paginate(request, selectors.board(section=body, stage="open"))
    return render(
        request,
        "policy/section.html",
        {
            "section": body,
            "page_obj": page_obj,
            "stalled": selectors.stalled().filter(section=body)[:50],
            "policies": body.policies.all()[:50],
        },
    )


@login_required
def propose(request):
    form = forms.ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(author=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Your proposal is on the bulletin board."))
            return redirect(proposal)
    return render(request, "policy/propose.html", {"form": form})


def _proposal_page(request, p: Proposal, *, status: int = 200, call_form=None):
    user = request.user
    context = {
        "proposal": p,
        "may_act_for_section": user.has_perm("policy.act_for_section", p),
        "may_end_step": user.has_perm("policy.end_step", p),
        "is_author": p.author_id == user.pk,
        "areas_form": forms.AreasForm(),
        "answer_form": forms.ScopeAnswerForm(),
        "call_form": call_form or forms.ApprovalCallForm(),
        "standing": selectors.proposal_standing(p, user),
        **selectors.proposal_page(p, user),
    }
    return render(request, "policy/proposal.html", context, status=status)


@login_required
def proposal(request, pk: int):
    return _proposal_page(request, _proposal(request, pk))


@login_required
def timeline(request, pk: int):
    p = _proposal(request, pk)
    return render(request, "policy/timeline.html", {"proposal": p, "steps": selectors.timeline(p)})


@login_required
@require_POST
def support(request, pk: int):
    p = _proposal(request, pk)
    try:
        services.support_rate_check(member=request.user, ip=client_ip(request))
    except RateLimited as refusal:
        return too_many(request, refusal)
    if request.POST.get("withdraw"):
        act(
            request,
            lambda: services.support_withdraw(proposal=p, member=request.user),
            _("Your support has been withdrawn."),
        )
    else:
        act(
            request,
            lambda: services.proposal_support(proposal=p, member=request.user),
            _("Thank you: your support is counted."),
        )
    return redirect(p)


def _cut_off_lines(p: Proposal, cut: dict) -> list[str]:
    """Who ending the step now leaves out, in sentences for the confirmation page."""
    lines = []
    if "silent" in cut:
        lines.append(
            ngettext(
                "%(n)s unit or section has not reported yet: it loses the rest of its time.",
                "%(n)s units and sections have not reported yet: they lose the rest of their time.",
                cut["silent"],
            )
            % {"n": cut["silent"]}
        )
    if "invitations" in cut:
        lines.append(
            ngettext(
                "%(n)s invited outside group's link stops taking comments; it is emailed "
                "when and why.",
                "%(n)s invited outside groups' links stop taking comments; each is emailed "
                "when and why.",
                cut["invitations"],
            )
            % {"n": cut["invitations"]}
        )
        lines.append(
            ngettext(
                "%(n)s member in the section's scope has not commented.",
                "%(n)s members in the section's scope have not commented.",
                cut["not_commented"],
            )
            % {"n": cut["not_commented"]}
        )
    if "amendments" in cut:
        lines.append(
            ngettext(
                "%(n)s amendment has been proposed; no more can be once it is called.",
                "%(n)s amendments have been proposed; no more can be once it is called.",
                cut["amendments"],
            )
            % {"n": cut["amendments"]}
        )
    return lines


def _confirm_page(request, p: Proposal, form, *, heading: str, button: str, status: int = 200):
    """The page an irreversible step asks from: what ends, whom it cuts off, the reason."""
    win = windows.window(p, current())
    cut = windows.cut_off(p) if win is not None and win.early else {}
    return render(
        request,
        "policy/confirm_step.html",
        {
            "proposal": p,
            "form": form,
            "heading": heading,
            "button": button,
            "window": win,
            "cut_off": _cut_off_lines(p, cut),
            "cut_names": cut.get("silent_names") or cut.get("invitation_names") or [],
            "may_end_early": request.user.has_perm("policy.end_step_early", p),
        },
        status=status,
    )


# Said to whoever posts a step-ending form they may not use (the button is not shown them).
NOT_YOURS = _lazy(
    "Before a step's deadline only the officers the rulebook names may end it; after it, "
    "any member of the section may."
)


def _checked(p: Proposal, form):
    """The confirmation form with every check at once: the tick, and the reason when the step
    ends early (the service says the same, should the form be bypassed)."""
    win = windows.window(p, current())
    form.is_valid()
    if (
        win is not None
        and win.early
        and not win.too_soon
        and not form.data.get("reason", "").strip()
    ):
        form.add_error("reason", windows.reason_wanted(win))
    return form


def _answered(request) -> bool:
    """Whether the POST comes from the confirmation page (ticked or not) rather than from
    the button that asks for it."""
    return "asked" in request.POST or "confirm" in request.POST


def _not_now(request, p: Proposal, perm: str, stage: str):
    """Send back whoever may not take the step, or asks for it at another step, with why."""
    if p.stage != stage:
        messages.error(
            request,
            _("This proposal is at the “%(now)s” step; that action belongs to “%(wanted)s”.")
            % {"now": p.get_stage_display(), "wanted": Stage(stage).label},
        )
        return redirect(p)
    if not request.user.has_perm(perm, p):
        messages.error(
            request,
            _("Only the author may withdraw it.")
            if perm == "policy.withdraw_proposal"
            else str(NOT_YOURS),
        )
        return redirect(p)
    return None


def _confirmed_step(
    request, pk: int, *, service, heading: str, button: str, success: str, perm: str, stage: str
):
    """A step that cannot be undone: a POST from the proposal page shows what it ends and
    whom it cuts off; only a POST that ticks the confirmation (and says why, when early)
    takes it. Who may not take it is sent back with the reason, as by any refusal."""
    p = _proposal(request, pk)
    if (refusal := _not_now(request, p, perm, stage)) is not None:
        return refusal
    if not _answered(request):
        return _confirm_page(request, p, forms.ConfirmForm(), heading=heading, button=button)
    form = _checked(p, forms.ConfirmForm(request.POST))
    if form.is_valid():
        try:
            service(proposal=p, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, success)
            return None
    return _confirm_page(request, p, form, heading=heading, button=button)


@login_required
@require_POST
def withdraw(request, pk: int):
    def withdraw_proposal(*, proposal, by, reason):
        return services.proposal_withdraw(proposal=proposal, by=by)

    page = _confirmed_step(
        request,
        pk,
        service=withdraw_proposal,
        perm="policy.withdraw_proposal",
        stage=Stage.PROPOSED,
        heading=_("Withdraw your proposal"),
        button=_("Withdraw my proposal"),
        success=_("Your proposal has been withdrawn."),
    )
    return page or redirect("policy:proposal", pk=pk)


@login_required
@require_POST
def scope(request, pk: int):
    p = _proposal(request, pk)
    form = forms.AreasForm(request.POST)
    areas = request.POST.get("areas", "")
    if not form.is_valid() and len(areas) > 0:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(p)
    act(
        request,
        lambda: services.scope_propose(proposal=p, by=request.user, areas=areas),
        _("The proposer has been asked to agree to the areas."),
    )
    return redirect(p)


@login_required
@require_POST
def scope_answer(request, pk: int):
    scope_row = get_object_or_404(ScopeProposal.objects.select_related("proposal__section"), pk=pk)
    p = scope_row.proposal
    agree = request.POST.get("answer") == "agree"
    act(
        request,
        lambda: services.scope_answer(
            scope=scope_row, by=request.user, agree=agree, text=request.POST.get("text", "")
        ),
        _("Agreed: the proposal is now in circulation.")
        if agree
        else _("The section has been asked for changes."),
    )
    return redirect(p)


@login_required
def circulation_list(request, pk: int):
    p = _proposal(request, pk)
    status = request.GET.get("status", "")
    if status not in Circulation.Status.values:
        status = ""
    page_obj = paginate(request, selectors.circulations(p, status=status))
    return render(
        request,
        "policy/circulation_list.html",
        {
            "proposal": p,
            "page_obj": page_obj,
            "status": status,
            "statuses": Circulation.Status.choices,
            "query": urlencode({"status": status}) if status else "",
        },
    )


@login_required
def circulation(request, pk: int):
    c = get_object_or_404(
        Circulation.objects.select_related("proposal__section__unit", "unit", "body"), pk=pk
    )
    p = c.proposal
    if not request.user.has_perm("policy.view_proposal", p):
        raise Http404
    contribution_form = forms.ContributionForm(
        request.POST if request.POST.get("form") == "contribution" else None
    )
    outside_form = forms.OutsideForm(
        request.POST if request.POST.get("form") == "outside" else None, prefix="outside"
    )
    report_form = forms.ReportForm(request.POST if request.POST.get("form") == "report" else None)
    if request.method == "POST":
        done = _post_circulation(request, c, contribution_form, outside_form, report_form)
        if done:
            return redirect("policy:circulation", pk=c.pk)
    return render(
        request,
        "policy/circulation.html",
        {
            "circulation": c,
            "proposal": p,
            "may_contribute": request.user.has_perm("policy.contribute_circulation", c),
            "may_report": request.user.has_perm("policy.report_circulation", c),
            "contribution_form": contribution_form,
            "outside_form": outside_form,
            "report_form": report_form,
            **selectors.circulation_page(c),
        },
    )


def _post_circulation(request, c, contribution_form, outside_form, report_form) -> bool:
    which = request.POST.get("form")
    form = {"contribution": contribution_form, "outside": outside_form, "report": report_form}.get(
        which
    )
    if form is None or not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if which == "contribution":
            services.contribution_add(circulation=c, author=request.user, text=data["text"])
            messages.success(request, _("Your contribution has been added."))
        elif which == "outside":
            services.outside_consultation_add(circulation=c, by=request.user, **data)
            messages.success(request, _("The outside consultation has been recorded."))
        else:
            no_view = request.POST.get("no_view") == "1"
            services.circulation_report(
                circulation=c, by=request.user, no_view=no_view, summary=data["summary"]
            )
            messages.success(request, _("The unit's view has been reported."))
    except Refused as refusal:
        add_refusal(form, refusal)
        return False
    return True


@login_required
@require_POST
def drafting_start(request, pk: int):
    page = _confirmed_step(
        request,
        pk,
        service=services.drafting_start,
        perm="policy.end_step",
        stage=Stage.CIRCULATION,
        heading=_("Close circulation and start drafting"),
        button=_("Close circulation"),
        success=_("Circulation is closed; the section is drafting."),
    )
    return page or redirect("policy:draft_edit", pk=pk)


@login_required
def draft_edit(request, pk: int):
    p = _proposal(request, pk)
    latest = selectors.latest_draft(p)
    initial = {}
    if latest is not None:
        initial["text"] = forms.draft_as_text(selectors.draft_with_paragraphs(latest))
    form = forms.DraftForm(request.POST or None, initial=initial)
    may_draft = request.user.has_perm("policy.act_for_section", p)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.draft_save(
                proposal=p,
                by=request.user,
                paragraphs=form.paragraphs(),
                note=form.cleaned_data["note"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Draft %(n)s has been saved.") % {"n": version.number})
            return redirect("policy:draft", pk=p.pk, number=version.number)
    page_obj = paginate(request, selectors.contributions_with_uptake(p), per_page=50)
    return render(
        request,
        "policy/draft_edit.html",
        {"proposal": p, "form": form, "page_obj": page_obj, "may_draft": may_draft},
    )


@login_required
def draft(request, pk: int, number: int):
    p = _proposal(request, pk)
    version = get_object_or_404(DraftVersion, proposal=p, number=number)
    latest = selectors.latest_draft(p)
    is_latest = latest is not None and latest.pk == version.pk
    return render(
        request,
        "policy/draft.html",
        {
            "proposal": p,
            "version": version,
            "paragraphs": selectors.draft_with_paragraphs(version),
            "numbers": list(p.drafts.order_by("number").values_list("number", flat=True)),
            "may_comment": is_latest
            and p.stage == Stage.CONSULTATION
            and request.user.has_perm("policy.comment_draft", p),
            "may_amend": version.is_final
            and selectors.amendments_open(p)
            and request.user.has_perm("policy.amend_draft", p),
            "comment_form": forms.CommentForm(),
        },
    )


def _paragraph(request, pk: int) -> Paragraph:
    paragraph = get_object_or_404(
        Paragraph.objects.select_related("version__proposal__section__unit"), pk=pk
    )
    if not request.user.has_perm("policy.view_proposal", paragraph.version.proposal):
        raise Http404
    return paragraph


def _back_to(paragraph: Paragraph):
    version = paragraph.version
    return redirect(
        f"{version.proposal.get_absolute_url()}draft/{version.number}/#p{paragraph.position}"
    )


@login_required
@require_POST
def comment(request, pk: int):
    paragraph = _paragraph(request, pk)
    act(
        request,
        lambda: services.comment_add(
            paragraph=paragraph, author=request.user, text=request.POST.get("text", "")
        ),
        _("Your comment has been added."),
    )
    return _back_to(paragraph)


@login_required
def compare(request, pk: int):
    p = _proposal(request, pk)
    numbers = list(p.drafts.order_by("number").values_list("number", flat=True))
    if not numbers:
        raise Http404
    try:
        a = int(request.GET.get("a", numbers[max(0, len(numbers) - 2)]))
        b = int(request.GET.get("b", numbers[-1]))
    except ValueError as exc:
        raise Http404 from exc
    old = get_object_or_404(DraftVersion, proposal=p, number=a)
    new = get_object_or_404(DraftVersion, proposal=p, number=b)
    left, right = selectors.diff(selectors.draft_text(old), selectors.draft_text(new))
    return render(
        request,
        "policy/compare.html",
        {"proposal": p, "old": old, "new": new, "left": left, "right": right, "numbers": numbers},
    )


@login_required
@require_POST
def consultation_open(request, pk: int):
    return redirect(
        _step(request, pk, services.consultation_open, _("The draft is open for comments."))
    )


@login_required
@require_POST
def final_draft(request, pk: int):
    page = _confirmed_step(
        request,
        pk,
        service=services.final_draft,
        perm="policy.end_step",
        stage=Stage.CONSULTATION,
        heading=_("Close the consultation and declare the final draft"),
        button=_("Declare the final draft"),
        success=_("The latest draft is now the final draft: members may propose amendments to it."),
    )
    return page or redirect("policy:proposal", pk=pk)


@login_required
@require_POST
def amend(request, pk: int):
    paragraph = _paragraph(request, pk)
    form = forms.AmendmentForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.amendment_propose(
                paragraph=paragraph, by=request.user, **form.cleaned_data
            ),
            _("Your amendment is proposed; it is put to the vote before the final text."),
        )
    else:
        messages.error(
            request, _("Write the new text of the paragraph (at most 20,000 characters).")
        )
    return _back_to(paragraph)


@login_required
@require_POST
def approval_call(request, pk: int):
    """The dates from the proposal page, then a confirmation: calling it closes amendments."""
    p = _proposal(request, pk)
    if (refusal := _not_now(request, p, "policy.end_step", Stage.APPROVAL)) is not None:
        return refusal
    heading = _("Call the e-conference and close the amendments")
    button = _("Call the e-conference")
    if not _answered(request):
        form = forms.ApprovalCallForm(request.POST)
        if not form.is_valid():
            return _proposal_page(request, p, status=400, call_form=form)
        confirm = forms.ApprovalConfirmForm(initial=form.cleaned_data)
        return _confirm_page(request, p, confirm, heading=heading, button=button)
    form = _checked(p, forms.ApprovalConfirmForm(request.POST))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.approval_call(
                proposal=p,
                by=request.user,
                closes_at=data["closes_at"],
                amendments_close_at=data["amendments_close_at"],
                reason=data["reason"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The e-conference is called; voting has opened."))
            return redirect(p)
    return _confirm_page(request, p, form, heading=heading, button=button)


@login_required
def invite(request, pk: int):
    p = _proposal(request, pk)
    if not request.user.has_perm("policy.act_for_section", p):
        raise Http404
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.external_invite(proposal=p, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect(p)
    invitations = p.invitations.order_by("-created_at")[:100]
    return render(
        request, "policy/invite.html", {"proposal": p, "form": form, "invitations": invitations}
    )


def external(request, token: str):
    """The one draft an invited outside participant may read and comment on; no login.

    Once the consultation has closed the link says so plainly: when, and why if early.
    """
    try:
        invitation = services.external_access(token)
    except services.ConsultationClosed as closed:
        return render(
            request,
            "policy/external_closed.html",
            {
                "invitation": closed.invitation,
                "proposal": closed.invitation.proposal,
                "notice": closed.notice,
            },
        )
    except Refused as refusal:
        return render(
            request, "policy/external_refused.html", {"message": refusal.message}, status=403
        )
    p = invitation.proposal
    version = selectors.latest_draft(p)
    form = forms.CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        paragraph = get_object_or_404(Paragraph, pk=request.POST.get("paragraph"), version=version)
        try:
            services.comment_add(
                paragraph=paragraph, invitation=invitation, text=form.cleaned_data["text"]
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Thank you: your comment has been added."))
            return redirect("policy:external", token=token)
    return render(
        request,
        "policy/external.html",
        {
            "invitation": invitation,
            "proposal": p,
            "version": version,
            "paragraphs": selectors.draft_with_paragraphs(version) if version else [],
            "form": form,
        },
    )


# ---------------------------------------------------------------- public pages


def public_list(request):
    page_obj = paginate(request, selectors.published_policies())
    return render(request, "policy/public_list.html", {"page_obj": page_obj})


def public_detail(request, slug: str):
    policy = get_object_or_404(Policy.objects.select_related("section"), slug=slug)
    return render(
        request,
        "policy/public_detail.html",
        {"policy": policy, **selectors.policy_page(policy)},
    )
