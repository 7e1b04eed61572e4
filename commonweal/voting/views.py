import secrets

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import act, add_refusal
from commonweal.core.pagination import paginate
from commonweal.core.ratelimit import RateLimited, client_ip
from commonweal.core.signin import login_required
from commonweal.organisation.models import Body
from commonweal.organisation.selectors import officer_body_ids
from commonweal.rulebook.labels import WORDS

from . import agenda, results, selectors, services
from .forms import VoteCreateForm, ranking_from_post
from .models import Vote


def _visible_vote(request, pk: int) -> Vote:
    vote = get_object_or_404(Vote.objects.select_related("body", "electorate"), pk=pk)
    if not selectors.may_see_vote(request.user, vote):
        raise Http404
    return vote


@login_required
def vote_list(request):
    if not request.user.has_perm("voting.view_vote"):
        raise Http404
    state = request.GET.get("state", "")
    votes = selectors.votes_visible(request.user)
    if state in Vote.State.values:
        votes = votes.filter(state=state)
    page = paginate(request, votes)
    may_create = request.user.is_superuser or bool(officer_body_ids(request.user))
    return render(
        request,
        "voting/list.html",
        {
            "page_obj": page,
            "state": state,
            "states": Vote.State.choices,
            "query": f"state={state}" if state else "",
            "may_create": may_create,
        },
    )


def _bodies_for(user):
    if user.is_superuser:
        return Body.objects.order_by("name")
    return Body.objects.filter(pk__in=officer_body_ids(user)).order_by("name")


@login_required
def vote_create(request):
    bodies = _bodies_for(request.user)
    if not bodies.exists():
        raise Http404
    form = VoteCreateForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            vote = services.vote_create(
                title=data["title"],
                body=data["body"],
                method=data["method"],
                candidates=form.candidate_list(),
                seats=data["seats"],
                secret=data["secret"],
                electorate=data["electorate"],
                closes_at=data["closes_at"],
                created_by=request.user,
                on_close=(
                    "commonweal.decisions.services.record_vote_outcome"
                    if data["record_decision"]
                    else ""
                ),
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The vote has been created; open it when ready."))
            return redirect("voting:detail", pk=vote.pk)
    return render(request, "voting/create.html", {"form": form})


def _cast_context(request, vote: Vote, **extra):
    context = selectors.vote_page(vote, request.user)
    context.update(
        agenda=agenda.put_to_vote(vote.pk),
        idempotency_key=secrets.token_urlsafe(24),
        candidates=list(enumerate(vote.candidates)),
        quorum_percent=f"{vote.quorum_share * 100:g}",
        majority_words=WORDS.get(vote.majority, vote.majority),
        base_words=WORDS.get(vote.majority_base, vote.majority_base),
        **extra,
    )
    return context


@login_required
@never_cache
def vote_detail(request, pk: int):
    """Shows the member's own open ballot, so no cache keeps a copy."""
    vote = _visible_vote(request, pk)
    return render(request, "voting/detail.html", _cast_context(request, vote))


@login_required
@require_POST
@never_cache
def vote_cast(request, pk: int):
    """Cast from the vote page; the receipt is rendered once and never stored anywhere."""
    vote = _visible_vote(request, pk)
    template = "voting/_cast.html" if request.htmx else "voting/detail.html"
    try:
        services.cast_rate_check(member=request.user, ip=client_ip(request))
        ranking = ranking_from_post(vote, request.POST)
        answer = services.ballot_cast(
            vote=vote,
            voter=request.user,
            ranking=ranking,
            idempotency_key=request.POST.get("idempotency_key") or None,
            replaces=request.POST.get("replaces", ""),
        )
    except Refused as refusal:
        context = _cast_context(request, vote, error=refusal.message)
        # htmx swaps only successful responses; without it the status tells the truth.
        response = render(
            request, template, context, status=200 if request.htmx else refusal.status
        )
        if isinstance(refusal, RateLimited):
            response["Retry-After"] = str(refusal.retry_after)
        return response
    context = _cast_context(
        request, vote, cast_ranking=ranking, receipt=answer if vote.secret else ""
    )
    return render(request, template, context)


@login_required
@require_POST
def vote_open(request, pk: int):
    vote = _visible_vote(request, pk)
    act(
        request,
        lambda: services.vote_open(vote=vote, opened_by=request.user),
        _("The vote is open."),
    )
    return redirect("voting:detail", pk=pk)


@login_required
@require_POST
def vote_close(request, pk: int):
    vote = _visible_vote(request, pk)
    if act(
        request,
        lambda: services.vote_close(vote=vote, closed_by=request.user),
        _("The vote is closed and counted."),
    ):
        return redirect("voting:result", pk=pk)
    return redirect("voting:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def vote_result(request, pk: int):
    """The result; "Find my receipt" posts the code, so it never appears in a URL or a log."""
    vote = _visible_vote(request, pk)
    if not vote.is_closed:
        return redirect("voting:detail", pk=pk)
    code = request.POST.get("receipt", "").strip() if request.method == "POST" else ""
    roll_page = None if vote.secret else paginate(request, selectors.roll_call(vote), per_page=100)
    context = {
        "vote": vote,
        "result": vote.result,
        "view": results.result_view(vote),
        "receipt_code": code,
        "receipt_ranking": selectors.receipt_lookup(vote, code) if code and vote.secret else None,
        "page_obj": roll_page,
        "roll_call": None
        if roll_page is None
        else [
            {"name": b.voter.display_name, "choice": selectors.decode_ranking(vote, b.ranking)}
            for b in roll_page
        ],
        "decisions": vote.decisions.all(),
    }
    return render(request, "voting/result.html", context)


def _download(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def vote_ballots(request, pk: int):
    vote = _visible_vote(request, pk)
    if not vote.is_closed:
        raise Http404
    return _download(selectors.published_ballots_json(vote), f"vote-{vote.pk}-ballots.json")


@login_required
def vote_receipts(request, pk: int):
    vote = _visible_vote(request, pk)
    if not vote.is_closed or not vote.secret:
        raise Http404
    return _download(selectors.receipts_json(vote), f"vote-{vote.pk}-receipts.json")
