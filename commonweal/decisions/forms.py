"""Forms of the decision register and the decision page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.organisation.models import Body, Unit

from .models import DECISION_TEXT_MAX, MINORITY_POSITION_MAX, Action, Decision


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False)
    body = forms.ModelChoiceField(
        label=_("Body"), queryset=Body.objects.order_by("name"), required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (and below)"), queryset=Unit.objects.order_by("path"), required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MinorityPositionForm(forms.Form):
    """In whose name is chosen from what the member may speak for (``minority_standing``)."""

    text = forms.CharField(
        label=_("Minority position"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MINORITY_POSITION_MAX,
    )
    tendency = forms.TypedChoiceField(
        label=_("In whose name"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, standing, **kwargs):
        super().__init__(*args, **kwargs)
        own = [("", _("my own"))] if standing.as_self else []
        self.fields["tendency"].choices = own + [
            (pk, _("on behalf of %(name)s") % {"name": name}) for pk, name in standing.tendencies
        ]
        self.fields["tendency"].required = not standing.as_self


class ActionForm(forms.Form):
    what = forms.CharField(label=_("What is to be done"), max_length=300)
    owner_body = forms.ModelChoiceField(
        label=_("Owner: a body"), queryset=Body.objects.order_by("name"), required=False
    )
    owner_email = forms.EmailField(label=_("or owner: a member (email)"), required=False)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class ActionReportForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Per cent done"), min_value=0, max_value=100, initial=0)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)


class ReviewDateForm(forms.Form):
    review_on = forms.DateField(
        label=_("Review on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ReviewForm(forms.Form):
    outcome = forms.CharField(
        label=_("What came of it"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MINORITY_POSITION_MAX,
    )


class DecisionEnterForm(forms.Form):
    """A decision a body took outside the platform's votes; the service checks it again."""

    body = forms.ModelChoiceField(label=_("Body that took it"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("What was decided"),
        max_length=DECISION_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The words of the decision as taken. Markdown: **bold**, lists, links."),
    )
    taken_on = forms.DateField(label=_("Taken on"), widget=forms.DateInput(attrs={"type": "date"}))
    basis = forms.ChoiceField(
        label=_("How it was taken"), choices=Decision.Basis.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        self.fields["body"].label_from_instance = lambda b: f"{b.name} ({b.unit.name})"
