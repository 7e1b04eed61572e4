"""Forms of the voting pages: calling a vote and filling in a ballot."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonweal.core.errors import Refused
from commonweal.organisation.models import Body, Unit

from .models import Vote
from .selectors import electorates_for


class VoteCreateForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    body = forms.ModelChoiceField(label=gettext_lazy("Body"), queryset=Body.objects.none())
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Vote.Method.choices)
    candidates = forms.CharField(
        label=gettext_lazy("Candidates or options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One per line. Not needed for a yes / no / abstain vote."),
    )
    seats = forms.IntegerField(label=gettext_lazy("Seats"), min_value=1, initial=1)
    secret = forms.BooleanField(label=gettext_lazy("Secret ballot"), required=False)
    electorate = forms.ModelChoiceField(
        label=gettext_lazy("Electorate"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("the body's members"),
        help_text=gettext_lazy("Members of this unit and the units below it may vote."),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    record_decision = forms.BooleanField(
        label=gettext_lazy("Record the outcome in the decision register"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = bodies if bodies is not None else Body.objects.none()
        self.fields["body"].queryset = bodies
        self.fields["electorate"].queryset = electorates_for(bodies)

    def candidate_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["candidates"].splitlines() if line.strip()
        ]


def ranking_from_post(vote: Vote, data) -> list[str]:
    """Read a ballot from the cast form: a radio, checkboxes or one rank number per candidate.

    Ranked forms give each candidate a number (1 = first choice); blanks are unranked. A
    number that is not a whole number above zero, or that is given twice, is refused.
    """
    if vote.method == "majority":
        choice = data.get("choice", "")
        return [choice] if choice else []
    if vote.method == "approval":
        return data.getlist("approve")
    ranks: dict[int, str] = {}
    for i, name in enumerate(vote.candidates):
        raw = (data.get(f"rank_{i}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) < 1:
            raise Refused(
                _("Give %(name)s a rank number of 1 or more, or leave it blank.") % {"name": name},
                field="ranking",
            )
        if int(raw) in ranks:
            raise Refused(
                _("Rank %(n)s is given to more than one candidate.") % {"n": raw}, field="ranking"
            )
        ranks[int(raw)] = name
    return [ranks[r] for r in sorted(ranks)]
