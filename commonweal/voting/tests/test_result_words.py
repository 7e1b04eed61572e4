"""Vote and result pages speak the organisation's words, not the count's codes."""

import pytest
from django.urls import reverse

from commonweal.members.tests.factories import PASSWORD
from commonweal.voting import services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("majority", "choices", "said"),
    [
        (
            "two_thirds",
            ["yes", "yes", "yes", "no"],
            "Two-thirds majority of yes and no: 3 yes votes of 4 were needed, 3 were cast",
        ),
        (
            "simple",
            ["yes", "yes", "no", "no", "abstain"],
            "Simple majority of yes and no: 3 yes votes of 4 were needed, 2 were cast",
        ),
    ],
)
def test_the_majority_is_said_in_words(client, voters, make_vote, majority, choices, said):
    vote = make_vote("majority", majority=majority)
    for voter, choice in zip(voters["leeds"], choices, strict=False):
        services.ballot_cast(vote=vote, voter=voter, ranking=[choice])
    client.login(email=voters["leeds"][0].email, password=PASSWORD)
    page = client.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    assert "of yes and no" in page
    assert "yes_no" not in page
    assert "% of the electorate" in page
    services.vote_close(vote=vote)
    page = client.get(reverse("voting:result", args=[vote.pk])).content.decode()
    assert said in page
    for code in ("(doubled)", "(yes_no)", "manage.py", "two_thirds"):
        assert code not in page
