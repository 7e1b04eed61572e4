"""Casting and counting votes through the services, as members and callers see them."""

from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.record.models import Entry
from commonweal.voting import selectors, services
from commonweal.voting.models import OpenBallot, SecretBallot, Vote, VoterRoll

pytestmark = pytest.mark.django_db

CLOSE_HOOK_CALLS: list[int] = []


def remember_close(vote):
    """A closing step for the test: it sees the stored result inside the transaction."""
    CLOSE_HOOK_CALLS.append(Vote.objects.get(pk=vote.pk).outcome)


def test_open_majority_vote_is_carried_and_roll_call_published(make_vote, voters):
    vote = make_vote("majority")
    for member, choice in zip(
        voters["north"], ["yes", "yes", "yes", "no", "abstain"], strict=False
    ):
        services.ballot_cast(vote=vote, voter=member, ranking=[choice])
    vote = services.vote_close(vote=vote)
    assert vote.outcome == "carried"
    assert vote.result["effective"] is True
    assert (vote.result["yes"], vote.result["no"], vote.result["abstain"]) == (3, 1, 1)
    assert vote.result["entitled"] == 7
    roll = {b.voter_id: b.ranking for b in selectors.roll_call(vote)}
    assert roll[voters["north"][3].pk] == "1"  # "no" is candidate 1


def test_closing_records_the_ballot_set_hash_and_calls_the_closing_step(make_vote, voters):
    CLOSE_HOOK_CALLS.clear()
    vote = make_vote("majority", on_close=f"{__name__}.remember_close")
    services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes"])
    vote = services.vote_close(vote=vote)
    assert CLOSE_HOOK_CALLS == ["carried"]
    entry = Entry.objects.get(kind="vote.closed", subject=f"voting.vote:{vote.pk}")
    assert entry.payload["ballots_sha256"] == vote.ballots_sha256
    import hashlib

    published = selectors.published_ballots_json(vote)
    assert hashlib.sha256(published.encode()).hexdigest() == vote.ballots_sha256


def test_secret_stv_receipts_verify_and_recount_matches(make_vote, voters):
    vote = make_vote("stv", secret=True, candidates=["Ann", "Bob", "Cat", "Dan"], seats=2)
    rankings = [["Ann", "Bob"], ["Ann", "Cat"], ["Ann"], ["Bob", "Cat"], ["Cat"], ["Dan", "Cat"]]
    receipts = {}
    for member, ranking in zip(voters["north"], rankings, strict=False):
        receipts[services.ballot_cast(vote=vote, voter=member, ranking=ranking)] = ranking
    vote = services.vote_close(vote=vote)
    assert vote.outcome == "elected"
    assert vote.result["winners"][0] == "Ann"
    assert len(vote.result["winners"]) == 2
    for code, ranking in receipts.items():
        assert selectors.receipt_lookup(vote, code) == ranking
    assert selectors.receipt_lookup(vote, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF") is None
    listed = {r["receipt_sha256"] for r in selectors.receipts_list(vote)}
    assert listed == {selectors.receipt_hash(c) for c in receipts}
    again, same = selectors.vote_recount(vote)
    assert same
    assert again["winners"] == vote.result["winners"]


def test_secret_ballots_store_no_voter_and_the_roll_no_choice(make_vote, voters):
    vote = make_vote("approval", secret=True, candidates=["A", "B", "C"])
    services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["A", "C"])
    assert VoterRoll.objects.filter(vote=vote).count() == 1
    ballot = SecretBallot.objects.get(vote=vote)
    assert ballot.ranking == "0,2"
    assert not OpenBallot.objects.filter(vote=vote).exists()


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        (["Ann", "Ann"], "more than once"),
        (["Zed"], "not a candidate"),
        ([], "at least one"),
        ("Ann", "list of candidate names"),
    ],
)
def test_bad_rankings_are_refused_and_change_nothing(make_vote, voters, ranking, message):
    vote = make_vote("schulze", secret=True, candidates=["Ann", "Bob", "Cat"])
    with pytest.raises(Refused, match=message) as caught:
        services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=ranking)
    assert caught.value.field == "ranking"
    assert not VoterRoll.objects.filter(vote=vote).exists()
    assert not SecretBallot.objects.filter(vote=vote).exists()


def test_majority_ballot_holds_exactly_one_choice(make_vote, voters):
    vote = make_vote("majority")
    with pytest.raises(Refused, match="one of yes, no or abstain"):
        services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes", "no"])
    assert not OpenBallot.objects.filter(vote=vote).exists()


def test_vote_after_close_is_refused(make_vote, voters):
    vote = make_vote("majority", secret=True)
    services.vote_close(vote=vote)
    with pytest.raises(Conflict, match="closed"):
        services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes"])
    assert not SecretBallot.objects.filter(vote=vote).exists()


def test_vote_past_closing_time_is_refused_before_the_sweep(make_vote, voters):
    vote = make_vote("majority")
    with clock.frozen(vote.closes_at + timedelta(seconds=1)), pytest.raises(Conflict):
        services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes"])
    assert not OpenBallot.objects.filter(vote=vote).exists()


def test_a_vote_deleted_while_the_page_was_open_is_refused_not_crashed(make_vote, voters):
    vote = make_vote("majority")
    Vote.objects.filter(pk=vote.pk).delete()
    with pytest.raises(Conflict, match="no longer exists"):
        services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes"])
    assert not OpenBallot.objects.exists()


def test_vote_before_opening_is_refused(make_vote, voters):
    vote = make_vote("majority", open_it=False)
    with pytest.raises(Conflict, match="not open yet"):
        services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes"])


def test_member_outside_the_electorate_is_refused(make_vote, voters, make_member, org):
    vote = make_vote("majority", secret=True)
    with pytest.raises(NotPermitted, match="electorate"):
        services.ballot_cast(vote=vote, voter=voters["brighton"], ranking=["yes"])
    assert not VoterRoll.objects.filter(vote=vote).exists()


def test_non_member_is_refused(make_vote, make_member, org):
    applicant = make_member(unit=org.leeds, status="applicant")
    vote = make_vote("majority")
    with pytest.raises(NotPermitted):
        services.ballot_cast(vote=vote, voter=applicant, ranking=["no"])
    assert not OpenBallot.objects.filter(vote=vote).exists()


def test_body_vote_without_electorate_is_for_the_body_members(org, make_officer, voters):
    chair = make_officer(body=org.transport)
    vote = services.vote_create(
        title="Section motion",
        body=org.transport,
        method="majority",
        closes_at=clock.now() + timedelta(hours=2),
        created_by=chair,
    )
    vote = services.vote_open(vote=vote, opened_by=chair)
    services.ballot_cast(vote=vote, voter=chair, ranking=["yes"])
    with pytest.raises(NotPermitted):
        services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes"])
    assert services.vote_close(vote=vote, closed_by=chair).result["entitled"] == 1


def test_a_member_who_is_not_an_officer_cannot_call_open_or_close(org, voters, make_vote):
    member = voters["leeds"][0]
    with pytest.raises(NotPermitted):
        services.vote_create(
            title="Mine",
            body=org.leadership,
            method="majority",
            closes_at=clock.now() + timedelta(days=1),
            created_by=member,
        )
    vote = make_vote("majority", open_it=False)
    with pytest.raises(NotPermitted):
        services.vote_open(vote=vote, opened_by=member)
    vote = services.vote_open(vote=vote, opened_by=None)
    with pytest.raises(NotPermitted):
        services.vote_close(vote=vote, closed_by=member)
    assert Vote.objects.get(pk=vote.pk).state == Vote.State.OPEN


def test_idempotent_retry_returns_the_same_receipt_and_counts_once(make_vote, voters):
    vote = make_vote("majority", secret=True)
    key = "k" * 32
    first = services.ballot_cast(
        vote=vote, voter=voters["leeds"][0], ranking=["yes"], idempotency_key=key
    )
    again = services.ballot_cast(
        vote=vote, voter=voters["leeds"][0], ranking=["yes"], idempotency_key=key
    )
    assert first == again
    assert SecretBallot.objects.filter(vote=vote).count() == 1


def test_short_idempotency_key_on_a_secret_ballot_is_refused(make_vote, voters):
    vote = make_vote("majority", secret=True)
    with pytest.raises(Refused, match="16"):
        services.ballot_cast(
            vote=vote, voter=voters["leeds"][0], ranking=["yes"], idempotency_key="1"
        )
    assert not SecretBallot.objects.filter(vote=vote).exists()


def test_open_ballot_retry_and_change(make_vote, voters):
    vote = make_vote("majority")
    member = voters["leeds"][0]
    first = services.ballot_cast(vote=vote, voter=member, ranking=["yes"], idempotency_key="a")
    assert (
        services.ballot_cast(vote=vote, voter=member, ranking=["yes"], idempotency_key="a") == first
    )
    services.ballot_cast(vote=vote, voter=member, ranking=["no"], idempotency_key="b")
    assert OpenBallot.objects.get(vote=vote).ranking == "1"
    assert services.vote_close(vote=vote).result["no"] == 1


def test_changing_a_secret_ballot_needs_its_receipt(make_vote, voters):
    vote = make_vote("majority", secret=True)
    member = voters["leeds"][0]
    receipt = services.ballot_cast(vote=vote, voter=member, ranking=["yes"])
    with pytest.raises(Conflict, match="receipt"):
        services.ballot_cast(vote=vote, voter=member, ranking=["no"])
    with pytest.raises(Refused, match="receipt"):
        services.ballot_cast(vote=vote, voter=member, ranking=["no"], replaces="WRONG-CODE")
    new = services.ballot_cast(vote=vote, voter=member, ranking=["no"], replaces=receipt)
    assert new != receipt
    assert SecretBallot.objects.filter(vote=vote).count() == 1
    vote = services.vote_close(vote=vote)
    assert (vote.result["yes"], vote.result["no"]) == (0, 1)
    assert selectors.receipt_lookup(vote, receipt) is None
    assert selectors.receipt_lookup(vote, new) == ["no"]


def test_no_change_when_the_rulebook_forbids_it(make_vote, voters):
    vote = make_vote("majority")
    Vote.objects.filter(pk=vote.pk).update(allow_change=False)
    member = voters["leeds"][0]
    services.ballot_cast(vote=vote, voter=member, ranking=["yes"])
    with pytest.raises(Conflict, match="does not allow changes"):
        services.ballot_cast(vote=vote, voter=member, ranking=["no"])
    assert OpenBallot.objects.get(vote=vote).ranking == "0"


def test_quorum_failure_leaves_the_vote_without_effect(make_vote, voters, make_member, org):
    for _ in range(30):
        make_member(unit=org.york)
    vote = make_vote("schulze", candidates=["A", "B", "C"])  # 37 entitled: quorum 4
    services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["A", "B"])
    services.ballot_cast(vote=vote, voter=voters["leeds"][1], ranking=["A"])
    vote = services.vote_close(vote=vote)
    assert vote.result["effective"] is False
    assert vote.outcome == "quorum_not_reached"
    assert vote.result["winners"] == []
    assert vote.result["winners_without_effect"] == ["A"]
    assert "without effect" in vote.result["statement"]
    assert vote.result["quorum"] == 4


def test_majority_quorum_failure_says_so(make_vote, voters, make_member, org):
    for _ in range(30):
        make_member(unit=org.york)
    vote = make_vote("majority")
    services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes"])
    vote = services.vote_close(vote=vote)
    assert vote.outcome == "quorum_not_reached"
    assert vote.effective is False
    assert "without effect" in vote.result["statement"]


def test_a_vote_without_ballots_has_no_effect(make_vote):
    vote = services.vote_close(vote=make_vote("stv", candidates=["A", "B", "C"], seats=2))
    assert vote.outcome == "no_ballots"
    assert vote.result["winners"] == []


def test_closing_twice_or_a_draft_is_refused(make_vote):
    vote = make_vote("majority", open_it=False)
    with pytest.raises(Conflict, match="never opened"):
        services.vote_close(vote=vote)
    vote = services.vote_open(vote=vote, opened_by=None)
    services.vote_close(vote=vote)
    with pytest.raises(Conflict, match="already closed"):
        services.vote_close(vote=vote)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"method": "borda"}, "method"),
        ({"method": "stv", "candidates": ["A", "B"], "seats": 2}, "seats"),
        ({"method": "schulze", "candidates": ["A", "A"]}, "candidates"),
        ({"method": "approval", "candidates": ["A"]}, "candidates"),
        ({"method": "majority", "title": "<b></b>"}, "title"),
    ],
)
def test_bad_votes_are_refused_at_creation(org, fields, field):
    args = {"title": "T", "body": org.leadership, "closes_at": clock.now() + timedelta(days=1)}
    with pytest.raises(Refused) as caught:
        services.vote_create(created_by=None, **{**args, **fields})
    assert caught.value.field == field
    assert not Vote.objects.exists()


def test_rules_are_taken_from_the_rulebook_and_recorded(make_vote):
    from commonweal.rulebook.selectors import current

    vote = make_vote("majority")
    assert vote.rulebook_version == current().version
    assert vote.majority == current()["votes.default_majority"]
    assert vote.quorum_share == current()["meetings.quorum"]


def test_sweep_opens_and_closes_by_time(org, voters):
    now = clock.now()
    vote = services.vote_create(
        title="Timed",
        body=org.leadership,
        method="majority",
        electorate=org.north,
        opens_at=now + timedelta(hours=1),
        closes_at=now + timedelta(hours=3),
        created_by=None,
    )
    with clock.frozen(now + timedelta(hours=2)):
        assert services.votes_sweep() == {"opened": 1, "closed": 0, "mixed": 0}
        services.ballot_cast(vote=vote, voter=voters["leeds"][0], ranking=["yes"])
    with clock.frozen(now + timedelta(hours=4)):
        assert services.votes_sweep() == {"opened": 0, "closed": 1, "mixed": 0}
    assert Vote.objects.get(pk=vote.pk).outcome == "carried"


def test_mixing_keeps_every_ballot_and_receipt(make_vote, voters, run_worker):
    vote = make_vote("approval", secret=True, candidates=["A", "B", "C"])
    codes = [
        services.ballot_cast(vote=vote, voter=m, ranking=r)
        for m, r in zip(voters["north"], [["A"], ["B"], ["A", "B"], []], strict=False)
    ]
    vote = services.vote_close(vote=vote)
    before = selectors.receipts_list(vote)
    run_worker()
    assert selectors.receipts_list(vote) == before
    assert selectors.receipt_lookup(vote, codes[3]) == []
