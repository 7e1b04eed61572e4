"""Turning a service's refusal into a form error the member sees beside the field."""

from django import forms

from .errors import Refused


def add_refusal(form: forms.Form, refusal: Refused) -> None:
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, refusal.message)
