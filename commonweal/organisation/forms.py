from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Body, Mandate, Unit


class ReferralForm(forms.Form):
    to_body = forms.ModelChoiceField(label=_("Refer to"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("What you ask of them"), widget=forms.Textarea)
    link = forms.CharField(label=_("Link (optional)"), required=False, max_length=300)

    def __init__(self, *args, exclude_body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_body"].queryset = Body.objects.exclude(pk=exclude_body.pk).order_by("name")


class Confirmed(forms.Form):
    """A step that cannot be undone asks for a ticked box (which works without JavaScript)."""

    confirm = forms.BooleanField(label=_("Yes, I understand this cannot be undone"))


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=[])

    def __init__(self, *args, parent: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [k for k in Unit.Kind.choices if k[0] != Unit.Kind.NATIONAL]
        self.fields["kind"].choices = kinds
        if parent.kind == Unit.Kind.NATIONAL:
            self.initial.setdefault("kind", Unit.Kind.REGION)
        else:
            self.initial.setdefault("kind", Unit.Kind.BRANCH)


class RenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=200)


class UnitCloseForm(Confirmed):
    members_to = forms.ModelChoiceField(
        label=_("Its members move to"), queryset=Unit.objects.none(), required=False
    )
    field_order = ["members_to", "confirm"]

    def __init__(self, *args, unit: Unit, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_to"].queryset = (
            Unit.objects.filter(kind=unit.kind, closed_on=None)
            .exclude(path__startswith=unit.path)
            .order_by("name")
        )
        if label:
            self.fields["members_to"].label = label
            self.fields["members_to"].required = True


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[k for k in Body.Kind.choices if k[0] != Body.Kind.ASSEMBLY]
    )
    subject = forms.CharField(
        label=_("Subject (for a policy section)"), max_length=120, required=False
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class MemberByEmailForm(forms.Form):
    member = forms.EmailField(
        label=_("The member's email address"),
        help_text=_("A member in good standing within the body's unit."),
    )


class AppointForm(MemberByEmailForm):
    office = forms.CharField(label=_("Office"), max_length=120)
    granted_as = forms.ChoiceField(
        label=_("How the office is filled"),
        choices=[
            (Mandate.GrantedAs.CO_OPTION, _("Co-option (a full term)")),
            (Mandate.GrantedAs.INTERIM, _("Interim appointment (until an election)")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Why, for the record"), max_length=300)


class MandateEndForm(Confirmed):
    reason = forms.CharField(label=_("Why the mandate ends early"), max_length=300)
    field_order = ["reason", "confirm"]


class ReferralAnswerForm(forms.Form):
    response = forms.CharField(label=_("Your answer"), widget=forms.Textarea)
    decline = forms.BooleanField(label=_("We decline this item"), required=False)
