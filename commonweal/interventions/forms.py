"""Forms of the struggles and interventions pages; the services check what matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.organisation.models import Body, Unit

from .models import TEXT_MAX, Intervention, Struggle

DATE = forms.DateInput(attrs={"type": "date"})


class FilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit (and below)"), queryset=Unit.objects.order_by("path"), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    country = forms.CharField(
        label=_("Country (two-letter code)"),
        required=False,
        max_length=2,
        help_text=_("Where the struggle is, or where an organisation involved is from."),
    )

    def __init__(self, *args, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("any")), *list(statuses)]


ORGANISATIONS = {
    "label": _("Outside organisations involved (their names, one a line)"),
    "widget": forms.Textarea(attrs={"rows": 3}),
    "required": False,
    "max_length": 10_000,
    "help_text": _("As recorded under Allies: a name we do not know is refused."),
}
COUNTRY = {
    "label": _("Country (two-letter code)"),
    "max_length": 2,
    "help_text": _("Where the struggle is, e.g. GB, DE, BR."),
}


class StruggleForm(forms.Form):
    title = forms.CharField(label=_("What"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Struggle.Kind.choices)
    unit = forms.ModelChoiceField(
        label=_("Where (unit)"), queryset=Unit.objects.filter(closed_on=None).order_by("path")
    )
    country = forms.CharField(**COUNTRY)
    since = forms.DateField(label=_("Since"), widget=DATE)
    involvement = forms.ChoiceField(label=_("Involvement"), choices=Struggle.Involvement.choices)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_MAX,
    )
    organisations = forms.CharField(**ORGANISATIONS)


class StruggleUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Struggle.Status.choices)
    involvement = forms.ChoiceField(label=_("Involvement"), choices=Struggle.Involvement.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Units involved"),
        queryset=Unit.objects.filter(closed_on=None).order_by("path"),
        required=False,
    )
    member_emails = forms.CharField(
        label=_("Members involved (email addresses, one a line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    country = forms.CharField(**COUNTRY)
    organisations = forms.CharField(**ORGANISATIONS)


class EventForm(forms.Form):
    happened_on = forms.DateField(label=_("When"), widget=DATE)
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX
    )
    source = forms.URLField(
        label=_("Source (web address)"), required=False, max_length=500, assume_scheme="https"
    )
    document = forms.IntegerField(
        label=_("Document from the library (its number)"), required=False, min_value=1
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Intervention.Kind.choices)
    body = forms.ModelChoiceField(
        label=_("Responsible body"), queryset=Body.objects.filter(closed_on=None).order_by("name")
    )
    aims = forms.CharField(
        label=_("Aims (stated beforehand; it is assessed against them)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_MAX,
    )
    assess_on = forms.DateField(label=_("Assess on"), widget=DATE)
    organisations = forms.CharField(
        **{**ORGANISATIONS, "label": _("Partners in it (outside organisations, one a line)")}
    )


class PartnersForm(forms.Form):
    organisations = forms.CharField(
        **{**ORGANISATIONS, "label": _("Partners in it (outside organisations, one a line)")}
    )


class PutToMeetingForm(forms.Form):
    meeting = forms.IntegerField(label=_("Meeting"), min_value=1)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why it is cancelled"), max_length=500)


class ReportForm(forms.Form):
    report = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}), max_length=TEXT_MAX
    )


class AssessForm(forms.Form):
    worked = forms.CharField(
        label=_("What worked, against the aims"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_MAX,
    )
    failed = forms.CharField(
        label=_("What failed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_MAX,
    )
    why = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_MAX,
    )
    lesson = forms.CharField(label=_("A lesson, in a line"), max_length=200, required=False)
    lesson_text = forms.CharField(
        label=_("The lesson, explained"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
    )
    tags = forms.CharField(label=_("Tags (separated by commas)"), required=False, max_length=400)
    shared = forms.BooleanField(
        label=_("Share the lesson with the whole organisation"), required=False
    )


class LessonForm(forms.Form):
    title = forms.CharField(label=_("A lesson, in a line"), max_length=200)
    text = forms.CharField(
        label=_("The lesson, explained"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_MAX,
    )
    tags = forms.CharField(label=_("Tags (separated by commas)"), required=False, max_length=400)
    shared = forms.BooleanField(label=_("Share with the whole organisation"), required=False)


class LessonSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=40)


class SpontaneousForm(forms.Form):
    what = forms.CharField(
        label=_("What you saw"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX
    )
    seen_on = forms.DateField(label=_("Seen on"), widget=DATE)


class DecideForm(forms.Form):
    follow = forms.TypedChoiceField(
        label=_("Follow it?"),
        choices=[("yes", _("Yes, follow it")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
    )
    title = forms.CharField(
        label=_("Name of the struggle it starts"), required=False, max_length=200
    )
    struggle = forms.IntegerField(
        label=_("or an existing struggle (its number)"), required=False, min_value=1
    )
    reason = forms.CharField(label=_("Reason (told to the member)"), required=False, max_length=500)


def split_tags(value: str) -> list[str]:
    return [t.strip() for t in (value or "").split(",") if t.strip()]
