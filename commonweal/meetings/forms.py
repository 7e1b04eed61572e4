from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.organisation.models import Body, Unit

from .models import AgendaItem, Meeting


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _when(label):
    return forms.DateTimeField(label=label, widget=DateTimeInput())


class MeetingForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=Body.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[c for c in Meeting.Kind.choices if c[0] != Meeting.Kind.ECONFERENCE],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_at = _when(_("Opens at"))
    closes_at = _when(_("Closes at"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.CharField(
        label=_("Video conference link"),
        max_length=200,
        required=False,
        help_text=_("For example a Jitsi room: https://meet.jit.si/…"),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    is_public = forms.BooleanField(label=_("Announce on the public website"), required=False)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class EconferenceForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Called by"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.ModelChoiceField(
        label=_("Members in scope"),
        queryset=Unit.objects.order_by("path"),
        required=False,
        help_text=_("Leave empty for the whole scope of the calling body."),
    )
    opens_at = _when(_("Opens at"))
    closes_at = _when(_("Closes at"))
    video_url = forms.CharField(
        label=_("Video conference link"),
        max_length=200,
        required=False,
        help_text=_("For example a Jitsi room: https://meet.jit.si/…"),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class AgendaItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of item"), choices=AgendaItem.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text (markdown)"), widget=forms.Textarea, required=False)


class MotionForm(forms.Form):
    text = forms.CharField(label=_("Text of the motion"), widget=forms.Textarea)
    amends = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PutToVoteForm(forms.Form):
    closes_at = _when(_("Voting closes at"))
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)


class NominateForm(forms.Form):
    email = forms.EmailField(
        label=_("Candidate's email address"),
        required=False,
        help_text=_("Leave empty to stand yourself."),
    )


class ElectionForm(forms.Form):
    office = forms.CharField(label=_("Office"), max_length=120)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100)
    closes_at = _when(_("Voting closes at"))
    secret = forms.BooleanField(label=_("Secret ballot"), required=False, initial=True)


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Minutes (markdown)"), widget=forms.Textarea)


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Your report (markdown)"), widget=forms.Textarea)


class RecallForm(forms.Form):
    reason = forms.CharField(
        label=_("Why this office-holder should be recalled"), widget=forms.Textarea
    )


class DelegatesForm(forms.Form):
    emails = forms.CharField(
        label=_("The delegates' email addresses, one per line"),
        help_text=_("Members within the e-conference's scope. Leave empty to let all take part."),
        widget=forms.Textarea,
        required=False,
    )

    def addresses(self) -> list[str]:
        return sorted(
            {line.strip().lower() for line in self.cleaned_data["emails"].split() if line}
        )
