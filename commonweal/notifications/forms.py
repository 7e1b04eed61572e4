from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.organisation.models import Unit

from .categories import CATEGORIES, DELIVERY_CHOICES


class PreferencesForm(forms.Form):
    """One choice per category; urgent alerts offer only "straight away" or "never"."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DELIVERY_CHOICES)
        for category in CATEGORIES:
            self.fields[category.key] = forms.ChoiceField(
                label=category.label,
                choices=[(c, labels[c]) for c in category.choices],
                initial=current.get(category.key, category.default),
            )


class MuteForm(forms.Form):
    thread = forms.CharField(max_length=120, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AlertForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Alert the members of"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Message"), widget=forms.Textarea, max_length=10_000)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
