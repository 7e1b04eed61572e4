"""Organisers' pages: their actions, creating and editing one, opening and closing it, its
roles, and the postcode areas and places of their units (thin: services do the work)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonweal.core.errors import Refused
from commonweal.core.forms import act, add_refusal
from commonweal.core.signin import login_required
from commonweal.interventions.models import Struggle
from commonweal.organisation.models import Unit

from . import selectors, services
from .forms import ActionForm, NewActionForm, PlaceForm, ShiftForm
from .models import ActionPage, Signup, UnitPlace

FIELDS = ("title", "summary", "text", "target", "goal", "starts_at", "ends_at", "place")


def _action(request, pk: int) -> ActionPage:
    """An action the viewer organises; any other is a 404."""
    action = get_object_or_404(ActionPage.objects.select_related("unit", "body"), pk=pk)
    if not request.user.has_perm("mobilisation.view_signups", action):
        raise Http404
    return action


@login_required
def action_list(request):
    if not request.user.has_perm("mobilisation.add_action"):
        raise Http404
    return render(
        request,
        "mobilisation/list.html",
        {"actions": selectors.actions_organised(request.user)},
    )


@login_required
def action_create(request):
    if not request.user.has_perm("mobilisation.add_action"):
        raise Http404
    units = selectors.organised_units(request.user)
    struggles = Struggle.objects.filter(
        unit__in=Unit.objects.filter(pk__in=units.values("pk")), status="ongoing"
    )
    form = NewActionForm(
        request.POST or None,
        units=units,
        bodies=selectors.organiser_bodies(request.user),
        struggles=struggles,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.action_create(
                actor=request.user,
                unit=data["unit"],
                kind=data["kind"],
                body=data.get("body"),
                struggle=data["struggle"],
                capacity=data["capacity"],
                **{name: data[name] for name in FIELDS},
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("The action is drafted: open it when it is ready."))
            return redirect("mobilisation:detail", pk=action.pk)
    return render(request, "mobilisation/create.html", {"form": form})


@login_required
def action_detail(request, pk: int):
    action = _action(request, pk)
    return render(
        request,
        "mobilisation/detail.html",
        {
            "action": action,
            "shifts": [
                {"shift": s, "taken": selectors.shift_taken(s)} for s in action.shifts.all()
            ],
            "by_unit": selectors.signups_by_unit(action),
            "pending": action.signups.filter(confirmed_at=None).count(),
            "shift_form": ShiftForm(),
            "may_change": request.user.has_perm("mobilisation.change_action", action),
        },
    )


@login_required
def action_edit(request, pk: int):
    action = _action(request, pk)
    if not request.user.has_perm("mobilisation.change_action", action):
        raise Http404
    initial = {name: getattr(action, name) for name in (*FIELDS, "capacity")}
    form = ActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=request.user, action=action, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Saved."))
            return redirect("mobilisation:detail", pk=action.pk)
    return render(request, "mobilisation/edit.html", {"form": form, "action": action})


@login_required
@require_POST
def action_open(request, pk: int):
    action = _action(request, pk)
    act(
        request,
        lambda: services.action_open(actor=request.user, action=action),
        _("The action is open: its page is public."),
    )
    return redirect("mobilisation:detail", pk=pk)


@login_required
@require_POST
def action_close(request, pk: int):
    action = _action(request, pk)
    act(
        request,
        lambda: services.action_close(actor=request.user, action=action),
        _("The action is closed."),
    )
    return redirect("mobilisation:detail", pk=pk)


@login_required
@require_POST
def shift_add(request, pk: int):
    action = _action(request, pk)
    form = ShiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the role and how many people are needed."))
        return redirect("mobilisation:detail", pk=pk)
    act(
        request,
        lambda: services.shift_add(actor=request.user, action=action, **form.cleaned_data),
        _("The role is added."),
    )
    return redirect("mobilisation:detail", pk=pk)


@login_required
@require_POST
def signup_invite(request, pk: int):
    signup = get_object_or_404(Signup.objects.select_related("action__unit"), pk=pk)
    if not request.user.has_perm("mobilisation.view_signups", signup.action):
        raise Http404
    act(
        request,
        lambda: services.signup_invite(actor=request.user, signup=signup),
        _("They are invited to join."),
    )
    return redirect("mobilisation:detail", pk=signup.action_id)


@login_required
def places(request):
    units = selectors.place_units(request.user)
    if not units.exists():
        raise Http404
    form = PlaceForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_add(actor=request.user, **form.cleaned_data)
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, _("Listed."))
            return redirect("mobilisation:places")
    return render(
        request,
        "mobilisation/places.html",
        {"form": form, "places": selectors.places_of(units)},
    )


@login_required
@require_POST
def place_remove(request, pk: int):
    place = get_object_or_404(UnitPlace.objects.select_related("unit"), pk=pk)
    if not request.user.has_perm("mobilisation.keep_places", place.unit):
        raise Http404
    act(
        request,
        lambda: services.place_remove(actor=request.user, place=place),
        _("Removed."),
    )
    return redirect("mobilisation:places")
