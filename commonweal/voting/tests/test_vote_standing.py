"""The vote page says how long the vote has left, in words, and whether the viewer has voted.

Whether a member has voted is what the roll already records; the page never says more of a
secret ballot than that.
"""

import html
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from commonweal.core import clock
from commonweal.members.tests.factories import PASSWORD
from commonweal.voting import services

pytestmark = pytest.mark.django_db

# Sunday 6 December 2026, 11:00 in London (GMT in winter).
SUNDAY = datetime(2026, 12, 6, 11, 0, tzinfo=UTC)
TUESDAY_2PM = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)


@pytest.fixture
def secret_vote(org):
    with clock.frozen(SUNDAY - timedelta(hours=1)):
        vote = services.vote_create(
            title="Adopt the transport policy",
            body=org.leadership,
            method="majority",
            secret=True,
            electorate=org.north,
            closes_at=TUESDAY_2PM,
            created_by=None,
        )
        return services.vote_open(vote=vote, opened_by=None)


def _standing(client, member, vote, at):
    client.login(email=member.email, password=PASSWORD)
    with clock.frozen(at):
        page = client.get(reverse("voting:detail", args=[vote.pk])).content.decode()
    shown = page.split('<div class="card vote-standing">')[1].split("</div>")[0]
    return html.unescape(shown).replace("\xa0", " ")  # "2 days" is kept on one line


def test_the_time_left_and_not_yet_voted_then_voted_without_saying_how(client, secret_vote, voters):
    member = voters["leeds"][0]
    shown = _standing(client, member, secret_vote, SUNDAY)
    assert "Closes in 2 days, 3 hours (Tuesday 14:00)." in shown
    assert "You have not voted yet." in shown

    with clock.frozen(SUNDAY):
        services.ballot_cast(vote=secret_vote, voter=member, ranking=["no"])
    shown = _standing(client, member, secret_vote, SUNDAY + timedelta(hours=2))
    assert "Closes in 2 days, 1 hour (Tuesday 14:00)." in shown
    assert "You have voted." in shown
    assert "No" not in shown


def test_a_member_outside_the_electorate_is_told_so(client, secret_vote, voters):
    shown = _standing(client, voters["brighton"], secret_vote, SUNDAY)
    assert "You are not in this vote's electorate." in shown


def test_a_vote_far_off_gives_its_date_and_one_past_its_time_says_the_count_follows(
    client, secret_vote, voters
):
    member = voters["york"][0]
    shown = _standing(client, member, secret_vote, SUNDAY - timedelta(days=9))
    assert "Closes in 1 week, 4 days (Tuesday 8 December 14:00)." in shown
    shown = _standing(client, member, secret_vote, TUESDAY_2PM + timedelta(minutes=1))
    assert "Voting time ended Tuesday 14:00; the ballots are being counted." in shown


def test_a_closed_vote_says_when_it_closed_and_whether_the_member_voted(
    client, secret_vote, voters
):
    with clock.frozen(TUESDAY_2PM + timedelta(minutes=5)):
        services.vote_close(vote=secret_vote)
    shown = _standing(client, voters["leeds"][1], secret_vote, TUESDAY_2PM + timedelta(hours=1))
    assert "Closed Tuesday 14:05." in shown
    assert "You did not vote." in shown
