"""Pages for amending the constitution; each step calls one service."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from commonweal.core.errors import Refused
from commonweal.core.forms import add_refusal
from commonweal.core.signin import login_required
from commonweal.rulebook.forms import AmendmentForm
from commonweal.rulebook.labels import WORDS, readable
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.selectors import current

from . import selectors, services
from .forms import SubmitForm


def _amender_or_404(request) -> None:
    if not request.user.has_perm("constitution.amend"):
        raise Http404


@login_required
def draft(request):
    _amender_or_404(request)
    in_force = current()
    form = AmendmentForm(request.POST or None, in_force=in_force)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.amendment_draft(
                rules=form.rules(), note=form.cleaned_data["note"], drafted_by=request.user
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("Your draft is staged as version %(n)s.") % {"n": version.number}
            )
            return redirect("constitution:version", number=version.number)
    return render(
        request,
        "constitution/draft.html",
        {"form": form, "in_force": in_force, "body": selectors.competent_body()},
    )


@login_required
def version(request, number: int):
    if not request.user.has_perm("rulebook.view"):
        raise Http404
    version = get_object_or_404(RulebookVersion, number=number)
    compared, changes = selectors.changes(version)
    may_submit = (
        request.user.has_perm("constitution.amend")
        and version.status == RulebookVersion.Status.STAGED
        and version.vote_id is None
    )
    return render(
        request,
        "constitution/version.html",
        {
            "version": version,
            "compared": compared,
            "changes": changes,
            "body": selectors.competent_body(),
            "may_submit": may_submit,
        },
    )


@login_required
def submit(request, number: int):
    _amender_or_404(request)
    version = get_object_or_404(RulebookVersion, number=number)
    body = selectors.competent_body()
    form = SubmitForm(request.POST or None, meetings=selectors.meetings_for_motion(body))
    if request.method == "POST" and form.is_valid():
        try:
            services.amendment_submit(
                version=version,
                closes_at=form.cleaned_data["closes_at"],
                comes_into_force_at=form.cleaned_data["comes_into_force_at"],
                meeting=form.cleaned_data["meeting"],
                submitted_by=request.user,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("The motion is before %(body)s; its vote is open.") % {"body": body.name}
            )
            return redirect("constitution:version", number=version.number)
    compared, changes = selectors.changes(version)
    rulebook = current()
    return render(
        request,
        "constitution/submit.html",
        {
            "form": form,
            "version": version,
            "compared": compared,
            "changes": changes,
            "body": body,
            "majority": WORDS[rulebook["constitution.majority"]],
            "days": readable("constitution.vote_days", rulebook["constitution.vote_days"], {}),
        },
    )
