"""Public pages: an action's page with its sign form, and the signer's emailed links."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from commonweal.core.errors import NotPermitted, Refused
from commonweal.core.forms import add_refusal
from commonweal.core.ratelimit import RateLimited, client_ip, too_many
from commonweal.news import ical

from . import consent, selectors, services
from .forms import SignForm
from .models import ActionPage, Consent


def _member(request):
    return services.verified_member(request.user)


def _found(slug: str) -> ActionPage:
    found = selectors.public_action_cached(slug)
    if found is None:
        raise Http404
    return found


def action(request, slug: str):
    found = _found(slug)
    member = _member(request)
    form = SignForm(request.POST or None, action=found, member=member)
    if request.method == "POST" and found.status == ActionPage.Status.OPEN and form.is_valid():
        data = form.cleaned_data
        shift = (
            found.shifts.filter(pk=data.get("shift") or None).first() if data.get("shift") else None
        )
        try:
            answer = services.signup_sign(
                action=found,
                user=request.user,
                name=data.get("name", ""),
                email=data.get("email", ""),
                postcode=data.get("postcode", ""),
                place=data.get("place", ""),
                phone=data["phone"],
                purposes=data["purposes"],
                shift=shift,
                ip=client_ip(request),
                started=data["started"],
                honeypot=data["leave_empty"],
            )
        except RateLimited as refusal:
            return too_many(request, refusal)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            return render(
                request,
                "mobilisation/answered.html",
                {"action": found, "counted": answer.counted},
            )
    if not form.is_bound:
        form.initial["started"] = services.form_started()
    return render(
        request,
        "mobilisation/public_action.html",
        {
            "action": found,
            "form": form,
            "member": member,
            "required_wording": consent.wording(found, consent.REQUIRED),
            "progress": _progress(found),
        },
        status=400 if form.is_bound else 200,
    )


def counter(request, slug: str):
    """The counter alone, for the page to refresh (htmx)."""
    found = _found(slug)
    return render(
        request, "mobilisation/_counter.html", {"action": found, "progress": _progress(found)}
    )


def event_ics(request, slug: str):
    """An event's calendar entry, to add to one's own calendar."""
    found = _found(slug)
    if not found.is_event or found.starts_at is None:
        raise Http404
    text = ical.calendar(
        name=found.title,
        events=[
            {
                "uid": f"mobilisation-{found.pk}",
                "summary": found.title,
                "description": "\n".join(filter(None, [found.place, found.summary])),
                "start": found.starts_at,
                "end": found.ends_at,
                "url": found.get_public_url(),
            }
        ],
        stamp=found.opened_at or found.created_at,
        domain=request.get_host().split(":")[0],
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{found.slug}.ics"'
    return response


def _progress(action: ActionPage) -> int | None:
    if not action.goal:
        return None
    return min(100, action.confirmed_count * 100 // action.goal)


def confirm(request, token: str):
    """GET shows a button: a mail scanner following the link must not count anyone."""
    try:
        signup = services.signup_by_token(token)
    except NotPermitted as refusal:
        return render(
            request, "mobilisation/link_invalid.html", {"message": refusal.message}, status=404
        )
    error = None
    if request.method == "POST":
        try:
            signup = services.signup_confirm(token=token)
        except Refused as refusal:
            error = refusal.message
    return render(
        request,
        "mobilisation/confirm.html",
        {"signup": signup, "action": signup.action, "error": error},
    )


def manage(request, token: str):
    """What the signer agreed to, with a button to withdraw each purpose, their data
    as JSON, and a button to be forgotten."""
    try:
        signup = services.signup_by_token(token)
    except NotPermitted as refusal:
        return render(
            request, "mobilisation/link_invalid.html", {"message": refusal.message}, status=404
        )
    if request.method == "POST":
        what = request.POST.get("do", "")
        if what == "export":
            response = HttpResponse(
                json.dumps(selectors.signer_export(signup), indent=2, ensure_ascii=False),
                content_type="application/json",
            )
            response["Content-Disposition"] = 'attachment; filename="my-answer.json"'
            return response
        if what == "erase":
            services.signer_erase(token=token)
            return render(request, "mobilisation/erased.html", {"action": signup.action})
        if what in Consent.Purpose.values:
            services.consent_withdraw(token=token, purposes=[what])
        elif what == "withdraw_all":
            services.consent_withdraw(token=token)
        return redirect("act:manage", token=token)
    return render(
        request,
        "mobilisation/manage.html",
        {
            "signup": signup,
            "action": signup.action,
            "consents": signup.consents.order_by("purpose"),
        },
    )
