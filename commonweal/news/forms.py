from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.core import clock


class NewsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    scope = forms.ChoiceField(
        label=_("Who is it for?"),
        help_text=_("The members of this unit and every unit below it, or of one body."),
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea, help_text=_("You can use Markdown.")
    )
    is_public = forms.BooleanField(label=_("Also publish it on the public website"), required=False)
    image_url = forms.CharField(
        label=_("Image link (optional)"),
        required=False,
        max_length=300,
        help_text=_("The address of an image in the library, starting with /library/."),
    )
    image_alt = forms.CharField(
        label=_("Image description"),
        required=False,
        max_length=300,
        help_text=_("What the image shows, for people who cannot see it."),
    )

    def __init__(self, *args, units=(), bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if units:
            choices.append(
                (_("Units"), [(f"unit:{u.pk}", "—" * (u.depth - 1) + " " + u.name) for u in units])
            )
        if bodies:
            choices.append((_("Bodies"), [(f"body:{b.pk}", b.name) for b in bodies]))
        self.fields["scope"].choices = choices
        self.units = {u.pk: u for u in units}
        self.bodies = {b.pk: b for b in bodies}

    def clean_scope(self):
        kind, _sep, pk = self.cleaned_data["scope"].partition(":")
        pool = self.units if kind == "unit" else self.bodies
        return kind, pool[int(pk)]


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    expires_on = forms.DateField(
        label=_("Show until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The notice disappears from the board after this day."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"expires_on": clock.now().date() + timedelta(days=14)})
        super().__init__(*args, **kwargs)


class TakeDownForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it taken down?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=_("The author will see this reason."),
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, stop the old address working and make a new one"), required=True
    )
