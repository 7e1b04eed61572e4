import re

from django import forms
from django.utils.translation import gettext_lazy as _

from commonweal.core.markdown import clean_plain
from commonweal.organisation.models import Body, Unit

from .models import PROMPTED_BY_MAX, REASON_MAX, SHORT_TEXT_MAX, TEXT_MAX, TITLE_MAX, Policy, Stage

CITATION = re.compile(r"\[#(\d+)\]")
# A marker goes with the spaces before it (or, at the start of a line, after it), so that
# "public ownership [#3]." reads "public ownership." and not "public ownership .".
CITATION_SPACED = re.compile(r"^\[#\d+\][ \t]*|[ \t]*\[#\d+\]", re.MULTILINE)


def without_citations(block: str) -> str:
    return CITATION_SPACED.sub("", block).strip()


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=Body.objects.filter(kind=Body.Kind.POLICY_SECTION).order_by("name"),
        required=False,
        empty_label=_("All sections"),
    )
    stage = forms.ChoiceField(
        label=_("Step"),
        choices=[("", _("Every step")), ("open", _("Still open")), *Stage.choices],
        required=False,
    )
    unit = forms.ModelChoiceField(
        label=_("Proposed in unit"),
        queryset=Unit.objects.order_by("path"),
        required=False,
        empty_label=_("Anywhere"),
        to_field_name="slug",
    )


class ProposalForm(forms.Form):
    section = forms.ModelChoiceField(
        label=_("Policy section"),
        queryset=Body.objects.filter(kind=Body.Kind.POLICY_SECTION).order_by("name"),
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("The case for it"),
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        help_text=_("Markdown: **bold**, *italic*, lists, links."),
    )
    amends = forms.ModelChoiceField(
        label=_("Amends the existing policy"),
        queryset=Policy.objects.order_by("title"),
        required=False,
        empty_label=_("None: a new policy"),
    )
    prompted_by = forms.CharField(
        label=_("Prompted by an outside group or campaign (optional)"),
        max_length=PROMPTED_BY_MAX,
        required=False,
    )

    def clean_title(self) -> str:
        """A title of markup alone is empty: said here, with the form's other problems,
        rather than by the service in a second round."""
        title = self.cleaned_data["title"]
        if not clean_plain(title):
            raise forms.ValidationError(
                _("%(what)s cannot be empty.") % {"what": _("The title")}, code="required"
            )
        return title


class AreasForm(forms.Form):
    areas = forms.CharField(
        label=_("Areas that need updating"), widget=forms.Textarea, max_length=SHORT_TEXT_MAX
    )


class ScopeAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("What should change (if you ask for changes)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=SHORT_TEXT_MAX,
        required=False,
    )


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("Your contribution"), widget=forms.Textarea, max_length=TEXT_MAX)


class OutsideForm(forms.Form):
    who = forms.CharField(label=_("Who you talked to"), max_length=200)
    on = forms.DateField(label=_("When"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("What they said"), widget=forms.Textarea, max_length=TEXT_MAX)


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary agreed by the unit"),
        widget=forms.Textarea,
        max_length=TEXT_MAX,
        required=False,
    )


class DraftForm(forms.Form):
    text = forms.CharField(
        label=_("Draft text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=TEXT_MAX * 5,
        help_text=_(
            "Separate paragraphs with a blank line. Cite a contribution by its number, "
            "e.g. [#12], anywhere in the paragraph it shaped."
        ),
    )
    note = forms.CharField(label=_("What changed (optional)"), max_length=300, required=False)

    def paragraphs(self) -> list[dict]:
        """Blank-line separated paragraphs, citation markers taken out into `cites`."""
        blocks = re.split(r"\n\s*\n", self.cleaned_data["text"].replace("\r\n", "\n"))
        result = []
        for block in blocks:
            cites = [int(n) for n in CITATION.findall(block)]
            text = without_citations(block)
            if text:
                result.append({"text": text, "cites": cites})
        return result


def draft_as_text(paragraphs) -> str:
    """A version's paragraphs with their citation markers, to start the next version from."""
    parts = []
    for paragraph in paragraphs:
        cites = " ".join(f"[#{c.pk}]" for c in paragraph.citations.all())
        parts.append(f"{paragraph.text} {cites}".strip())
    return "\n\n".join(parts)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=SHORT_TEXT_MAX,
    )


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Group or person"), max_length=200)
    email = forms.EmailField(label=_("Email address"))


class AmendmentForm(forms.Form):
    text = forms.CharField(
        label=_("New text of the paragraph"), widget=forms.Textarea, max_length=TEXT_MAX
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=REASON_MAX,
    )


class ApprovalCallForm(forms.Form):
    amendments_close_at = forms.DateTimeField(
        label=_("Amendment votes close"),
        required=False,
        help_text=_("Needed when amendments have been proposed: they are voted on first."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        label=_("The vote on the final text closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ConfirmForm(forms.Form):
    """The confirmation an irreversible step asks for (a box to tick: works without script),
    and the reason, when the step ends before its deadline."""

    reason = forms.CharField(
        label=_("Why it ends before its deadline"),
        help_text=_("Everyone it cuts off reads this, invited outside groups included."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
    confirm = forms.BooleanField(label=_("I understand this cannot be undone."))


class ApprovalConfirmForm(ApprovalCallForm, ConfirmForm):
    """Calling the e-conference closes the amendments: the dates, then the confirmation."""

    field_order = ["amendments_close_at", "closes_at", "reason", "confirm"]
