"""Turning a service's refusal into a form error the member sees beside the field."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .errors import Refused


def add_refusal(form: forms.Form, refusal: Refused) -> None:
    """Show the refusal, and any found with it, beside their fields (or above the form)."""
    for each in refusal.every:
        field = each.field if each.field in form.fields else None
        form.add_error(field, each.message)


def act(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a service call behind a button; a refusal becomes the message the member sees.

    True when the action went through, so the view can choose where to send them next.
    """
    try:
        action()
    except Refused as refusal:
        messages.error(request, refusal.message)
        return False
    messages.success(request, success)
    return True


def confirmed(request: HttpRequest) -> bool:
    """An irreversible step's form carries a box to tick after reading what happens (a
    `required` checkbox named "confirm", so it works without JavaScript); a POST without
    it changes nothing and says so."""
    if request.POST.get("confirm"):
        return True
    messages.error(request, _("Tick the box to confirm; nothing has changed."))
    return False
