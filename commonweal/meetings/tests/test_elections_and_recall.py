"""Elections filling a body's offices, and recalls taking effect (or not) through the vote."""

from datetime import date, timedelta

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, Refused
from commonweal.decisions.models import Decision
from commonweal.meetings import services
from commonweal.meetings.models import Election, Recall
from commonweal.organisation.models import Mandate
from commonweal.organisation.selectors import active_mandates
from commonweal.organisation.services import mandate_grant
from commonweal.rulebook.selectors import current as current_rulebook
from commonweal.voting.models import Vote
from commonweal.voting.services import ballot_cast, vote_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def election_item(org, econference, chair, make_member):
    """An election on the e-conference's agenda with three candidates for the section."""
    services.attendance_register(meeting=econference, member=chair)
    item = services.agenda_item_add(
        meeting=econference, kind="election", title="Transport section officers", added_by=chair
    )
    candidates = {
        name: make_member(unit=org.leeds, full_name=name) for name in ("Ada", "Bea", "Cal")
    }
    for candidate in candidates.values():
        services.candidate_nominate(item=item, candidate=candidate, nominated_by=chair)
    return item, candidates


def _elect(item, chair, econference, org):
    return services.election_open(
        item=item,
        chair=chair,
        office="Committee member",
        seats=2,
        closes_at=econference.closes_at,
        secret=False,
        to_body=org.transport,
    )


def test_electing_officers_creates_mandates_with_the_rulebooks_term(
    org, econference, chair, election_item, make_member, now
):
    item, candidates = election_item
    election = _elect(item, chair, econference, org)
    vote = Vote.objects.get(pk=election.item.vote_id)
    assert vote.method == "stv"
    assert vote.seats == 2
    voters = [chair, *candidates.values(), *(make_member(unit=org.york) for _ in range(4))]
    rankings = [["Ada", "Bea"], ["Ada"], ["Bea", "Ada"], ["Bea"], ["Ada", "Cal"], ["Cal"]]
    rankings += [["Bea", "Cal"], ["Ada", "Bea"]]
    for voter, ranking in zip(voters, rankings, strict=True):
        ballot_cast(vote=vote, voter=voter, ranking=ranking)

    vote = vote_close(vote=vote, closed_by=chair)

    assert sorted(vote.result["winners"]) == ["Ada", "Bea"]
    mandates = Mandate.objects.filter(body=org.transport, office="Committee member")
    assert {m.holder for m in mandates} == {candidates["Ada"], candidates["Bea"]}
    months = current_rulebook()["offices.term_months"]
    assert months == 24
    for mandate in mandates:
        assert mandate.starts_on == now.date()
        assert mandate.ends_on == date(2028, 3, 1)
    election.refresh_from_db()
    decision = Decision.objects.get(pk=election.decision_id)
    assert decision.kind == "election"
    assert {m.decision_id for m in mandates} == {decision.pk}
    assert decision.vote_id == vote.pk
    assert "Ada" in decision.text
    assert "Bea" in decision.text
    assert candidates["Cal"] not in {m.holder for m in active_mandates(body=org.transport)}


def test_an_election_without_quorum_gives_no_mandate_and_says_why(
    org, econference, chair, election_item, make_member
):
    item, _candidates = election_item
    election = _elect(item, chair, econference, org)
    vote = Vote.objects.get(pk=election.item.vote_id)
    ballot_cast(vote=vote, voter=chair, ranking=["Ada", "Bea"])
    for _ in range(30):
        make_member(unit=org.brighton)  # 38 in scope at the close: the quorum is 4

    vote = vote_close(vote=vote, closed_by=chair)

    assert vote.outcome == "quorum_not_reached"
    assert "without effect" in vote.result["statement"]
    assert not Mandate.objects.filter(body=org.transport).exists()
    election.refresh_from_db()
    assert election.decision_id is None
    assert not Decision.objects.filter(kind="election").exists()


def test_an_election_needs_more_candidates_than_seats_and_nominations_then_close(
    org, econference, chair, election_item, make_member
):
    item, _candidates = election_item
    with pytest.raises(Refused, match="more candidates than seats"):
        services.election_open(
            item=item, chair=chair, office="Member", seats=3, closes_at=econference.closes_at
        )
    assert not Election.objects.exists()
    _elect(item, chair, econference, org)
    item.refresh_from_db()
    with pytest.raises(Conflict, match="nominations are closed"):
        services.candidate_nominate(
            item=item, candidate=make_member(unit=org.leeds), nominated_by=chair
        )


def test_no_election_is_put_without_the_meetings_quorum_present(
    org, econference, chair, election_item, make_member
):
    item, _candidates = election_item
    for _ in range(30):
        make_member(unit=org.brighton)
    with pytest.raises(Conflict, match="No quorum: 1 present, 4 needed"):
        _elect(item, chair, econference, org)
    assert not Election.objects.exists()
    assert not Vote.objects.exists()


# Recall -----------------------------------------------------------------------------------


@pytest.fixture
def recall_vote(org, make_member, now):
    """A recall of the Treasurer put to the vote: 10 members in scope, 2 supports needed."""
    holder = make_member(unit=org.leeds)
    mandate = mandate_grant(body=org.leadership, holder=holder, office="Treasurer")
    members = [make_member(unit=org.york) for _ in range(9)]
    recall = services.recall_start(mandate=mandate, reason="Never reports", started_by=members[0])
    assert recall.support_needed == 2  # 20% of the 10 members in scope
    assert recall.state == Recall.State.GATHERING
    services.recall_support(recall=recall, member=members[1])
    recall.refresh_from_db()
    assert recall.state == Recall.State.VOTING
    vote = Vote.objects.get(pk=recall.vote_id)
    assert vote.method == "majority"
    assert vote.secret
    assert vote.majority == "two_thirds"
    assert vote.closes_at == now + timedelta(days=14)
    return recall, vote, members


def test_a_carried_recall_ends_the_mandate_and_is_a_decision(recall_vote, org):
    recall, vote, members = recall_vote
    for member in members[:5]:
        ballot_cast(vote=vote, voter=member, ranking=["yes"])
    ballot_cast(vote=vote, voter=members[5], ranking=["no"])

    vote_close(vote=vote)

    recall.refresh_from_db()
    assert recall.state == Recall.State.CARRIED
    mandate = Mandate.objects.get(pk=recall.mandate_id)
    assert mandate.ended_early_on == clock.now().date()
    assert f"vote #{vote.pk}" in mandate.ended_reason
    assert not active_mandates(body=org.leadership).filter(pk=mandate.pk).exists()
    assert recall.decision.vote_id == vote.pk
    assert "recalled" in recall.decision.title


def test_a_lost_recall_leaves_the_office_holder_in_place(recall_vote, org):
    recall, vote, members = recall_vote
    # 4 yes to 3 no is a majority, but not the two thirds the rulebook asks of a recall.
    for member in members[:4]:
        ballot_cast(vote=vote, voter=member, ranking=["yes"])
    for member in members[4:7]:
        ballot_cast(vote=vote, voter=member, ranking=["no"])

    vote_close(vote=vote)

    recall.refresh_from_db()
    assert recall.state == Recall.State.LOST
    assert recall.decision_id is None
    mandate = Mandate.objects.get(pk=recall.mandate_id)
    assert mandate.ended_early_on is None
    assert active_mandates(body=org.leadership).filter(pk=mandate.pk).exists()


def test_a_recall_vote_without_quorum_leaves_the_office_holder_in_place(
    recall_vote, org, make_member
):
    recall, vote, members = recall_vote
    ballot_cast(vote=vote, voter=members[0], ranking=["yes"])
    for _ in range(30):
        make_member(unit=org.brighton)  # 40 in scope at the close: the quorum is 4

    vote = vote_close(vote=vote)

    assert vote.outcome == "quorum_not_reached"
    recall.refresh_from_db()
    assert recall.state == Recall.State.VOID
    assert Mandate.objects.get(pk=recall.mandate_id).ended_early_on is None
