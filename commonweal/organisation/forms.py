from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Body


class ReferralForm(forms.Form):
    to_body = forms.ModelChoiceField(label=_("Refer to"), queryset=Body.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("What you ask of them"), widget=forms.Textarea)
    link = forms.CharField(label=_("Link (optional)"), required=False, max_length=300)

    def __init__(self, *args, exclude_body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_body"].queryset = Body.objects.exclude(pk=exclude_body.pk).order_by("name")
