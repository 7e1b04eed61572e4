from django import forms
from django.utils.translation import gettext_lazy as _


class PlanForm(forms.Form):
    aims = forms.CharField(
        label=_("What I want to develop"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("e.g. chair meetings well, write for the bulletin, organise a campaign"),
    )
    share_with_officers = forms.BooleanField(
        label=_("Let the officers of my unit and above see my plan"), required=False
    )


class GoalForm(forms.Form):
    title = forms.CharField(label=_("New goal"), max_length=200)


class StepForm(forms.Form):
    title = forms.CharField(label=_("New step"), max_length=200)
    due_on = forms.DateField(
        label=_("By"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AskForm(forms.Form):
    note = forms.CharField(
        label=_("What would you like a mentor to help you with? (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssignForm(forms.Form):
    email = forms.EmailField(label=_("The mentor's email address"))
