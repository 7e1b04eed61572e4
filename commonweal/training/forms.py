"""The learner's and tutor's forms; the services do the real checking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_FEEDBACK, MAX_REFLECTION


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your reflection"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_REFLECTION,
        help_text=_("Only you and your tutor read it."),
    )


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Your feedback"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_FEEDBACK
    )


class CheckForm(forms.Form):
    """One radio group per question; the choices are the module's."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q{question.position}"] = forms.TypedChoiceField(
                label=question.prompt,
                choices=list(enumerate(question.choices)),
                coerce=int,
                widget=forms.RadioSelect,
            )

    def answers(self) -> list[int]:
        return [self.cleaned_data[name] for name in self.fields]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(
        label=_("Where (a room or a video link)"), max_length=300, required=False
    )
