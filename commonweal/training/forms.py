"""The learner's, tutor's and authors' forms; the services do the real checking."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commonweal.library.models import Document
from commonweal.organisation.models import Body, Unit

from .models import Course
from .services import (
    MAX_CHOICES,
    MAX_FEEDBACK,
    MAX_QUESTIONS,
    MAX_REFLECTION,
    MAX_TEXT,
    MAX_TITLE,
)


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


# --- the authors' forms ------------------------------------------------------------------------


class CourseForm(forms.Form):
    """A new course: which body writes it, for which unit, how it is taken and completed."""

    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Course.Kind.choices, widget=forms.RadioSelect, initial="course"
    )
    summary = forms.CharField(
        label=_("What it is about"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        help_text=_("Markdown: *emphasis*, lists, links."),
    )
    body = forms.ModelChoiceField(label=_("Written by"), queryset=Body.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Open to the members of"),
        queryset=Unit.objects.none(),
        help_text=_("A unit within the scope of the body that writes it; its units below too."),
    )
    self_paced = forms.TypedChoiceField(
        label=_("How it is taken"),
        choices=[
            ("1", _("at the learner's own pace, or in a cohort")),
            ("", _("only in a cohort with a tutor")),
        ],
        coerce=bool,
        empty_value=False,
        widget=forms.RadioSelect,
        initial="1",
        required=False,
    )
    completion = forms.ChoiceField(
        label=_("Completed when"),
        choices=Course.Completion.choices,
        widget=forms.RadioSelect,
        initial=Course.Completion.MODULES,
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark of a check (%)"), min_value=0, max_value=100, initial=60
    )

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = list(bodies or [])
        self.fields["body"].queryset = Body.objects.filter(pk__in=[b.pk for b in bodies])
        if len(bodies) == 1:
            self.fields["body"].initial = bodies[0].pk
        scope = Q(pk__in=[])
        for body in bodies:
            scope |= Q(path__startswith=body.unit.path)
        self.fields["unit"].queryset = Unit.objects.filter(scope, closed_on=None).order_by("path")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ModuleForm(forms.Form):
    """A module of the draft; its check is a list of questions, each with its choices one a
    line and the number of the right one. A question left empty is not asked."""

    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: *emphasis*, **strong**, lists, links, headings."),
    )
    reading = forms.CharField(
        label=_("Reading list"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One item a line, as a list: - Engels, *Socialism: Utopian and Scientific*, ch. 1"
        ),
    )
    questions = forms.CharField(
        label=_("Questions for discussion"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reflection_prompt = forms.CharField(
        label=_("Reflection question"),
        required=False,
        max_length=500,
        help_text=_("Learners answer in their own words; only they and their tutor read it."),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("From the library"),
        required=False,
        queryset=Document.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Current documents of the libraries you may read, the latest first."),
    )

    def __init__(self, *args, documents=(), slots: int = 2, initial_check=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Document.objects.filter(
            pk__in=[d.pk for d in documents]
        ).select_related("body")
        initial_check = list(initial_check)
        self.question_count = min(MAX_QUESTIONS, len(initial_check) + slots)
        for n in range(1, self.question_count + 1):
            given = initial_check[n - 1] if n <= len(initial_check) else None
            self.fields[f"q{n}_prompt"] = forms.CharField(
                label=_("Question %(n)s") % {"n": n},
                required=False,
                max_length=500,
                initial=given.prompt if given else "",
            )
            self.fields[f"q{n}_choices"] = forms.CharField(
                label=_("Its choices, one a line"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial="\n".join(given.choices) if given else "",
            )
            self.fields[f"q{n}_right"] = forms.IntegerField(
                label=_("The number of the right choice"),
                required=False,
                min_value=1,
                max_value=MAX_CHOICES,
                initial=given.correct + 1 if given else None,
            )

    def question_fields(self):
        return [
            (self[f"q{n}_prompt"], self[f"q{n}_choices"], self[f"q{n}_right"])
            for n in range(1, self.question_count + 1)
        ]

    def check(self) -> list[dict]:
        """The questions filled in, for the service (which refuses one without its right
        choice)."""
        asked = []
        for n in range(1, self.question_count + 1):
            prompt = self.cleaned_data.get(f"q{n}_prompt", "")
            choices = _lines(self.cleaned_data.get(f"q{n}_choices", ""))
            right = self.cleaned_data.get(f"q{n}_right")
            if not prompt and not choices:
                continue
            asked.append(
                {"prompt": prompt, "choices": choices, "correct": right - 1 if right else None}
            )
        return asked


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of case"))
    object_id = forms.IntegerField(
        label=_("Its number"),
        min_value=1,
        help_text=_("The number in the address of its page, e.g. 12 for …/assessments/12/."),
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in kinds]


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=500,
        help_text=_("Learners on an earlier version read it when they are offered this one."),
    )


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=MAX_TITLE)
    tutor_email = forms.EmailField(
        label=_("The tutor's email address"),
        help_text=_("A member in good standing; they are told."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=20)
