from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CheckResponse, DiscussionProfile, Stance, Statement

VOTE_CHOICES = [("agree", _("Agree")), ("disagree", _("Disagree")), ("pass", _("Pass / unsure"))]


class DebateForm(forms.Form):
    space = forms.ChoiceField(label=_("Where"))
    question = forms.CharField(label=_("Question"), max_length=300)
    description = forms.CharField(
        label=_("Background (optional, markdown)"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = spaces


class CheckForm(forms.Form):
    space = forms.ChoiceField(label=_("Where"))
    statement = forms.CharField(label=_("Statement"), max_length=300)

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].choices = spaces


class ContributionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Your stance"), choices=Stance.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your argument (markdown)"), widget=forms.Textarea(attrs={"rows": 5})
    )


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why it should be restored"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AppealDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the decision"), max_length=500)


class ResponseForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your response"), choices=CheckResponse.Choice.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (required for a block)"), max_length=500, required=False
    )


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("A short statement others can agree or disagree with"),
        max_length=Statement.MAX_LENGTH,
        help_text=_("At most 140 characters."),
    )


class TendencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    platform = forms.CharField(label=_("Platform (markdown)"), widget=forms.Textarea)


class PositionForm(forms.Form):
    tendency = forms.ChoiceField(label=_("On behalf of"))
    text = forms.CharField(label=_("The tendency's position (markdown)"), widget=forms.Textarea)

    def __init__(self, *args, tendencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tendency"].choices = [(t.pk, t.name) for t in tendencies]


class MinorityPositionForm(forms.Form):
    decision = forms.IntegerField(label=_("Decision number"), min_value=1)
    text = forms.CharField(label=_("Minority position (markdown)"), widget=forms.Textarea)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = DiscussionProfile
        fields = ["consent", "gender", "age_band", "occupation_group", "region"]
