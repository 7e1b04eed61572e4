from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Activity, OutsideOrganisation, Relationship

DATE = forms.DateInput(attrs={"type": "date"})


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return "—" * (unit.depth - 1) + " " + unit.name


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OutsideOrganisation.Kind.choices)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        help_text=_("Two-letter code, e.g. GB, DE, BR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 3}),
    )
    language = forms.CharField(
        label=_("Language"),
        max_length=16,
        required=False,
        help_text=_("The language they publish in, e.g. en, de, pt-BR."),
        widget=forms.TextInput(attrs={"size": 6}),
    )
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Who they are"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Public facts only. You can use Markdown."),
    )


class NewOrganisationForm(OrganisationForm):
    unit = UnitChoiceField(label=_("Kept by"), queryset=None, empty_label=None)
    status = forms.ChoiceField(
        label=_("Our relationship"),
        required=False,
        choices=[("", _("none yet"))]
        + [c for c in Relationship.Status.choices if c[0] != Relationship.Status.ENDED],
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RelationshipForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    status = forms.ChoiceField(
        label=_("Relationship"),
        choices=[c for c in Relationship.Status.choices if c[0] != Relationship.Status.ENDED],
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Relationship.Status.choices)
    note = forms.CharField(label=_("Why"), max_length=500, required=False)


class HolderForm(forms.Form):
    email = forms.EmailField(label=_("Member's email address"))


class ContactPersonForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(label=_("Role in their organisation"), max_length=200, required=False)
    email = forms.CharField(label=_("Email address"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    consent_to = forms.CharField(
        label=_("What they consented to"),
        max_length=500,
        required=False,
        help_text=_("E.g. 'to be emailed about joint campaigns on buses'. Required."),
    )
    consent_on = forms.DateField(label=_("Date of consent"), required=False, widget=DATE)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=Activity.Kind.choices)
    on = forms.DateField(label=_("When"), widget=DATE)
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))


class StatementForm(forms.Form):
    """Our language first, then the partner's (and one more, if needed)."""

    LANGUAGES = 3

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(self.LANGUAGES):
            initial = languages[i] if i < len(languages) else ""
            self.fields[f"language_{i}"] = forms.CharField(
                label=_("Language"),
                max_length=16,
                required=False,
                initial=initial,
                widget=forms.TextInput(attrs={"size": 6}),
            )
            self.fields[f"title_{i}"] = forms.CharField(
                label=_("Title"), max_length=200, required=False
            )
            self.fields[f"text_{i}"] = forms.CharField(
                label=_("Statement"), required=False, widget=forms.Textarea(attrs={"rows": 6})
            )

    def texts(self):
        return [
            {
                "language": self.cleaned_data.get(f"language_{i}", ""),
                "title": self.cleaned_data.get(f"title_{i}", ""),
                "text": self.cleaned_data.get(f"text_{i}", ""),
            }
            for i in range(self.LANGUAGES)
        ]

    def groups(self):
        return [
            (self[f"language_{i}"], self[f"title_{i}"], self[f"text_{i}"])
            for i in range(self.LANGUAGES)
        ]


class AgreeForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Agreed by"), queryset=None, empty_label=None)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        from commonweal.organisation.models import Body

        self.fields["body"].queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])


class PutToMeetingForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None, empty_label=None)

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.body.name}: {m.title} ({m.opens_at:%Y-%m-%d %H:%M})"
        )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("any")), *OutsideOrganisation.Kind.choices]
    )
    country = forms.CharField(
        label=_("Country"), required=False, max_length=2, widget=forms.TextInput(attrs={"size": 3})
    )
    status = forms.ChoiceField(
        label=_("Relationship"),
        required=False,
        choices=[("", _("any")), *Relationship.Status.choices],
    )
    unit = UnitChoiceField(
        label=_("Held within"), required=False, queryset=None, empty_label=_("anywhere")
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
