from django import forms
from django.utils.translation import gettext_lazy as _

from . import consent


class SignForm(forms.Form):
    """The public sign form. `leave_empty` is the honeypot: hidden from people (and
    labelled for screen readers to leave it), filled by scripts that fill every field."""

    name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    email = forms.CharField(
        label=_("Email"), max_length=254, required=False, widget=forms.EmailInput()
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=12, required=False)
    place = forms.CharField(label=_("Or your town"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone (if you like)"), max_length=40, required=False)
    shift = forms.ChoiceField(label=_("A role you will take"), required=False)
    purposes = forms.MultipleChoiceField(
        label=_("You may also"), required=False, widget=forms.CheckboxSelectMultiple
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    leave_empty = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    def __init__(self, *args, action, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purposes"].choices = [
            (c["purpose"], c["wording"]) for c in consent.shown(action)
        ]
        shifts = list(action.shifts.all()) if action.is_event else []
        if shifts:
            self.fields["shift"].choices = [("", _("No role, I will just come"))] + [
                (str(s.pk), s.role) for s in shifts
            ]
        else:
            del self.fields["shift"]
        for name in ("name", "email", "postcode", "place", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = {
                "name": "name",
                "email": "email",
                "postcode": "postal-code",
                "place": "address-level2",
                "phone": "tel",
            }[name]
        self.fields["leave_empty"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if member is not None:
            for name in ("name", "email", "postcode", "place"):
                del self.fields[name]
