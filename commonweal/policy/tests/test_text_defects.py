"""Text defects in the policy steps: citation markers leave no stray space behind, the same
amendment is not accepted twice for the same paragraph, and withdrawing a proposal asks
first (the final draft's confirmation is in test_security_windows.py)."""

import pytest

from commonweal.core.errors import Conflict
from commonweal.policy import services
from commonweal.policy.forms import DraftForm
from commonweal.policy.models import Amendment

pytestmark = pytest.mark.django_db


def _paragraphs(text):
    form = DraftForm({"text": text, "note": ""})
    assert form.is_valid(), form.errors
    return form.paragraphs()


@pytest.mark.parametrize(
    ("typed", "kept", "cites"),
    [
        ("Buses return to public ownership [#3].", "Buses return to public ownership.", [3]),
        ("[#3] Buses return to public ownership.", "Buses return to public ownership.", [3]),
        ("Public ownership [#3] and capped fares.", "Public ownership and capped fares.", [3]),
        (
            "Public ownership [#3], capped fares [#4]; and more [#5]!",
            "Public ownership, capped fares; and more!",
            [3, 4, 5],
        ),
        (
            "Buses return to public ownership. [#3] [#4]",
            "Buses return to public ownership.",
            [3, 4],
        ),
        ("Public ownership[#3] now.", "Public ownership now.", [3]),
        ("First line [#3].\n[#4] Second line.", "First line.\nSecond line.", [3, 4]),
    ],
)
def test_removing_citation_markers_leaves_no_stray_space(typed, kept, cites):
    [paragraph] = _paragraphs(typed)
    assert paragraph == {"text": kept, "cites": cites}


def test_the_same_amendment_to_the_same_paragraph_is_refused_the_second_time(
    final, org, make_member
):
    paragraph = final.paragraphs.get(position=2)
    first, second = make_member(unit=org.leeds), make_member(unit=org.york)
    services.amendment_propose(paragraph=paragraph, by=first, text="Night buses every 20 minutes.")
    with pytest.raises(Conflict, match="already been proposed to paragraph 2") as refusal:
        services.amendment_propose(
            paragraph=paragraph, by=second, text="  Night buses every 20 minutes.  "
        )
    assert refusal.value.field == "text"
    assert Amendment.objects.count() == 1
    services.amendment_propose(paragraph=paragraph, by=second, text="Night buses every 15 minutes.")
    other = final.paragraphs.get(position=1)
    services.amendment_propose(paragraph=other, by=second, text="Night buses every 20 minutes.")
    assert Amendment.objects.count() == 3


def test_withdrawing_a_proposal_asks_first_without_script(propose, author, client_of):
    from django.urls import reverse

    from commonweal.policy.models import Stage

    proposal = propose()
    url = reverse("policy:withdraw", args=[proposal.pk])
    asked = client_of(author).post(url)
    assert asked.status_code == 200
    assert "I understand this cannot be undone." in asked.content.decode()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.PROPOSED
    unticked = client_of(author).post(url, {"asked": "1"})
    assert "This field is required." in unticked.content.decode()
    assert client_of(author).post(url, {"asked": "1", "confirm": "on"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.stage == Stage.WITHDRAWN
