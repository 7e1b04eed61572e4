"""The organisers' pages of an action: its numbers, the CSV, attendance, messages; and the
signer's one-click unsubscribe from an organiser's email (public, by signed link).

Someone who may not see who answered an action gets a 404, as if it did not exist.
"""

import json

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from commonweal.core.charts import bar_chart, line_chart
from commonweal.core.csv_export import csv_response
from commonweal.core.errors import NotPermitted, Refused
from commonweal.core.forms import add_refusal
from commonweal.core.ratelimit import RateLimited, too_many
from commonweal.core.signin import login_required

from . import organising, selectors, services
from .forms_organising import MessageForm
from .models import ActionPage, Consent


def _action(request, pk: int) -> ActionPage:
    action = get_object_or_404(ActionPage.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("mobilisation.view_signups", action):
        raise Http404
    return action


@login_required
@require_GET
def overview(request, pk: int):
    """Sign-ups over time and by unit, as charts and as tables, and who may be seen."""
    action = _action(request, pk)
    per_day = organising.signups_per_day(action)
    running = organising.cumulative(per_day)
    by_unit = selectors.signups_by_unit(action)
    unit_labels = [row["unit"] or _("no unit matched") for row in by_unit]
    return render(
        request,
        "mobilisation/organisers/overview.html",
        {
            "action": action,
            "per_day": list(zip(per_day, running, strict=True)),
            "by_unit": list(zip(unit_labels, [r["count"] for r in by_unit], strict=True)),
            "time_chart": line_chart(
                _("Confirmed sign-ups over time"),
                [day.isoformat() for day, _n in running],
                [n for _day, n in running],
            ),
            "unit_chart": bar_chart(
                _("Confirmed sign-ups by unit"), unit_labels, [r["count"] for r in by_unit]
            ),
            "attended": organising.attended_count(action),
            "reachable": {
                p.label: organising.recipients(action, p.value).count() for p in Consent.Purpose
            },
        },
    )


@login_required
@require_GET
def export(request, pk: int):
    action = _action(request, pk)
    return csv_response(
        organising.CSV_HEADER,
        organising.csv_rows(request.user, action),
        filename=f"{action.slug}-signups.csv",
    )


@login_required
def checkin(request, pk: int):
    """The list to take attendance from: a button per person (works without script);
    checkin.js keeps marks made offline and sends them together when back online."""
    action = _action(request, pk)
    if not action.is_event:
        raise Http404
    if request.method == "POST":
        try:
            ids = [int(request.POST.get("signup", ""))]
        except ValueError:
            return HttpResponseBadRequest(_("Choose a person."))
        try:
            organising.attendance_mark(actor=request.user, action=action, signup_ids=ids)
        except (NotPermitted, Refused) as refusal:
            messages.error(request, refusal.message)
        return redirect("organising:checkin", pk=action.pk)
    return render(
        request,
        "mobilisation/organisers/checkin.html",
        {
            "action": action,
            "people": organising.checkin_list(request.user, action),
            "attended": organising.attended_count(action),
        },
    )


@login_required
@require_POST
def checkin_batch(request, pk: int):
    """Marks sent together as JSON `{"present": [ids]}`; answers with every one of them
    now stored as present. Sending the same batch again is harmless."""
    action = _action(request, pk)
    if not action.is_event:
        raise Http404
    try:
        ids = [int(i) for i in json.loads(request.body or b"{}").get("present", [])]
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"error": _("Send a list of people.")}, status=400)
    try:
        organising.attendance_mark(actor=request.user, action=action, signup_ids=ids)
    except Refused as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    stored = list(
        action.signups.filter(pk__in=ids, attended_at__isnull=False).values_list("pk", flat=True)
    )
    return JsonResponse({"stored": sorted(stored), "attended": organising.attended_count(action)})


@login_required
def message(request, pk: int):
    """Write to the signers who agreed to a purpose; thanks go to those present."""
    action = _action(request, pk)
    form = MessageForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["to"] == MessageForm.PRESENT:
                sent = organising.thanks_send(
                    actor=request.user, action=action, subject=data["subject"], text=data["text"]
                )
            else:
                sent = organising.signers_message(
                    actor=request.user,
                    action=action,
                    purpose=data["to"],
                    subject=data["subject"],
                    text=data["text"],
                )
        except RateLimited as refusal:
            return too_many(request, refusal)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request, _("Your message is on its way to %(n)d people.") % {"n": sent}
            )
            return redirect("organising:overview", pk=action.pk)
    return render(
        request,
        "mobilisation/organisers/message.html",
        {"action": action, "form": form},
        status=400 if form.is_bound else 200,
    )


@csrf_exempt
def unsubscribe(request, token: str, purpose: str):
    """One click from an email: GET asks (mail scanners follow links), POST withdraws the
    purpose; a mail client's one-click POST (RFC 8058) lands here too."""
    if purpose not in Consent.Purpose.values:
        raise Http404
    try:
        signup = services.signup_by_token(token)
    except NotPermitted as refusal:
        return render(
            request, "mobilisation/link_invalid.html", {"message": refusal.message}, status=404
        )
    done = False
    if request.method == "POST":
        services.consent_withdraw(token=token, purposes=[purpose])
        done = True
    return render(
        request,
        "mobilisation/organisers/unsubscribe.html",
        {
            "action": signup.action,
            "purpose": Consent.Purpose(purpose).label,
            "done": done,
            "token": token,
        },
    )
