from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.meetings.forms import DateTimeInput


class SubmitForm(forms.Form):
    """Putting a drafted amendment to the vote: when it closes, when it would come into force,
    optionally on a meeting's agenda, and a box to tick (it cannot be taken back)."""

    closes_at = forms.DateTimeField(label=_("The vote closes at"), widget=DateTimeInput())
    comes_into_force_at = forms.DateTimeField(
        label=_("If adopted, it comes into force at"), widget=DateTimeInput()
    )
    meeting = forms.ModelChoiceField(
        label=_("On the agenda of"),
        queryset=None,
        required=False,
        empty_label=_("No meeting: a vote of the body's members"),
    )
    confirm = forms.BooleanField(
        label=_("I understand that the vote opens at once and the motion cannot be withdrawn."),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
