from django import forms
from django.utils.translation import gettext_lazy as _

from . import consent
from .models import ActionPage, UnitPlace


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


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return "—" * (unit.depth - 1) + " " + unit.name


class ActionForm(forms.Form):
    """The words, goal, time and place of an action (creating and editing)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences: shown when the page is shared."),
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("You can use Markdown."),
    )
    target = forms.CharField(
        label=_("Addressed to (a petition) or the condition (a pledge)"),
        max_length=200,
        required=False,
    )
    goal = forms.IntegerField(label=_("Goal"), min_value=1, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), required=False, widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), required=False, widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, required=False)


class NewActionForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionPage.Kind.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    body = forms.ModelChoiceField(
        label=_("Organised by"), queryset=None, required=False, empty_label=_("the unit")
    )
    struggle = forms.ModelChoiceField(
        label=_("The struggle it serves"), queryset=None, required=False
    )

    field_order = ["kind", "unit", "body", "struggle", "title"]

    def __init__(self, *args, units, bodies, struggles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["body"].queryset = bodies
        self.fields["struggle"].queryset = struggles
        if not bodies.exists():
            del self.fields["body"]


class ShiftForm(forms.Form):
    role = forms.CharField(label=_("Role"), max_length=120)
    capacity = forms.IntegerField(label=_("People needed"), min_value=1)
    starts_at = forms.DateTimeField(label=_("From"), required=False, widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), required=False, widget=DATETIME)


class PlaceForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitPlace.Kind.choices)
    value = forms.CharField(
        label=_("Postcode area or place"),
        max_length=120,
        help_text=_("A postcode district (LS6) or area (LS), or a town's name."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
