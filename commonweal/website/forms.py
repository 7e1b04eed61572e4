from django import forms
from django.utils.translation import gettext_lazy as _


class SiteTextForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("You can use Markdown. Every saved version is kept."),
    )
