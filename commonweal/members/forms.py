from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import clean_plain
from commonweal.organisation.models import Unit

from .models import ApiToken, Member


class JoinForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))
    unit = forms.ModelChoiceField(
        label=_("The branch you want to join"),
        queryset=Unit.objects.filter(kind=Unit.Kind.BRANCH, closed_on=None).order_by("name"),
        empty_label=_("Choose a branch"),
        help_text=_("Usually the branch where you live or work."),
    )
    statement = forms.CharField(
        label=_("Why do you want to join? (optional)"),
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput,
        help_text=_("At least 8 characters, not a common password."),
    )

    # The service's own checks of the name and password, made here too so that they are
    # shown with the form's other problems rather than in a second round.
    def clean_full_name(self) -> str:
        full_name = self.cleaned_data["full_name"]
        if not clean_plain(full_name):
            raise forms.ValidationError(_("Tell us your name."), code="required")
        return full_name

    def clean(self) -> dict:
        data = super().clean()
        password = data.get("password")
        if password:
            candidate = Member(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", " ".join(exc.messages))
        return data


TAG_KIND_CHOICES = [
    ("capacities", _("Capacities and talents")),
    ("skills", _("Skills")),
    ("interests", _("Interests")),
]


class RegisterSearchForm(forms.Form):
    """The capacities register's search: where, which words in which tags, and the
    filters apps above register (`members.register`)."""

    unit = forms.ModelChoiceField(label=_("In"), queryset=Unit.objects.none(), empty_label=None)
    words = forms.CharField(
        label=_("Who can"),
        required=False,
        max_length=200,
        help_text=_("Words found in their tags, e.g. Spanish translation"),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Looking in"),
        choices=TAG_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units, filters, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.extra = []
        for found in filters:
            self.fields[found.key] = forms.ChoiceField(
                label=found.label,
                required=False,
                choices=[("", _("any")), *found.choices(viewer)],
            )
            self.extra.append(found.key)


class OfferForm(forms.Form):
    title = forms.CharField(
        label=_("What I offer to do"),
        max_length=200,
        help_text=_("e.g. Translate leaflets into Spanish"),
    )
    text = forms.CharField(
        label=_("More about it (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (required when declining)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    capacities = forms.CharField(
        label=_("Capacities and talents"),
        required=False,
        help_text=_("Comma-separated, e.g. public speaking, organising"),
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        help_text=_("Comma-separated, e.g. translation, web design"),
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        help_text=_("Comma-separated, e.g. transport, housing"),
    )
    tags_for_officers = forms.MultipleChoiceField(
        label=_("Keep these for the officers of my unit only"),
        choices=TAG_KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Officers of your unit and above can still find you in the capacities register "
            "by them; nobody else sees them, whoever may see your profile."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Who may see your profile"), choices=Member.Visibility.choices
    )
    show_email = forms.BooleanField(label=_("Show my email address to them"), required=False)
    locale = forms.ChoiceField(
        label=_("How dates and numbers are written"),
        choices=settings.LANGUAGES,
        required=False,
    )

    def clean_locale(self) -> str | None:
        """Left out of the form means unchanged, not a locale called ''."""
        return self.cleaned_data["locale"] or None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, I understand and want to go ahead"))


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
    scope = forms.ChoiceField(
        label=_("The token may"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text=_("A read-only token cannot change anything, even if it leaks."),
    )
    days = forms.TypedChoiceField(
        label=_("It lasts"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("a year"))],
        initial=90,
    )


class ImportForm(forms.Form):
    """The unit a members list goes into, and the file; the service reads and checks it."""

    unit = forms.ModelChoiceField(
        label=_("Import into"),
        queryset=Unit.objects.none(),
        empty_label=_("Choose a unit"),
        help_text=_(
            "A branch, or a unit above branches: then the file's Branch column says each "
            "member's branch within it."
        ),
    )
    file = forms.FileField(
        label=_("Members list"),
        help_text=_(
            "A .csv (UTF-8) or .xlsx file of at most 20 MB, with a header row: Name (or "
            "First name and Last name), Email, and optionally Branch, Joined, Capacities, "
            "Skills, Interests."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ImportColumnsForm(forms.Form):
    """Which of the file's columns holds which field."""

    def __init__(self, *args, header: list[str], fields: dict, initial_columns: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)"))] + [
            (str(index), heading or _("column %(n)d") % {"n": index + 1})
            for index, heading in enumerate(header)
        ]
        for name, label in fields.items():
            index = initial_columns.get(name)
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=False,
                initial="" if index is None else str(index),
            )

    def columns(self) -> dict[str, int | None]:
        return {
            name: int(value) if value not in (None, "") else None
            for name, value in self.cleaned_data.items()
        }
