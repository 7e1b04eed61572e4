"""A member votes at most once, even with parallel requests (real threads on PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from commonweal.core import clock
from commonweal.core.errors import Refused
from commonweal.voting import services
from commonweal.voting.models import OpenBallot, SecretBallot, VoterRoll

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")


def _race(n, cast):
    barrier = threading.Barrier(n)
    answers, refusals = [], []

    def run(i):
        try:
            barrier.wait()
            answers.append(cast(i))
        except Refused as refusal:
            refusals.append(refusal)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers, refusals


def _vote(org, secret):
    vote = services.vote_create(
        title="Race",
        body=org.leadership,
        method="majority",
        secret=secret,
        electorate=org.north,
        closes_at=clock.now() + timedelta(days=1),
        created_by=None,
    )
    return services.vote_open(vote=vote, opened_by=None)


@pytest.mark.parametrize("secret", [True, False])
def test_concurrent_double_votes_yield_one_ballot(org, make_member, secret):
    member = make_member(unit=org.leeds)
    vote = _vote(org, secret)
    answers, refusals = _race(
        6, lambda i: services.ballot_cast(vote=vote, voter=member, ranking=["yes"])
    )
    if secret:
        # One receipt; the others are told they have already voted.
        assert len(answers) == 1
        assert len(refusals) == 5
        assert SecretBallot.objects.filter(vote=vote).count() == 1
        assert VoterRoll.objects.filter(vote=vote).count() == 1
    else:
        # The rulebook allows changes: the later requests change the same ballot.
        assert len(set(answers)) == 1
        assert OpenBallot.objects.filter(vote=vote).count() == 1
    assert services.vote_close(vote=vote).result["yes"] == 1


def test_concurrent_retries_of_one_request_count_once(org, make_member):
    member = make_member(unit=org.leeds)
    vote = _vote(org, True)
    key = "retry-key-0123456789abcdef"
    answers, refusals = _race(
        4,
        lambda i: services.ballot_cast(
            vote=vote, voter=member, ranking=["no"], idempotency_key=key
        ),
    )
    assert not refusals
    assert len(set(answers)) == 1
    assert SecretBallot.objects.filter(vote=vote).count() == 1


def test_ballots_racing_the_close_are_either_counted_or_refused(org, make_member):
    members = [make_member(unit=org.leeds) for _ in range(8)]
    vote = _vote(org, True)

    def act(i):
        if i == 8:
            return services.vote_close(vote=vote).result["yes"]
        return services.ballot_cast(vote=vote, voter=members[i], ranking=["yes"])

    answers, _ = _race(9, act)
    counted = next(a for a in answers if isinstance(a, int))
    assert counted == SecretBallot.objects.filter(vote=vote).count()


@pytest.mark.parametrize("secret", [True, False])
def test_batches_from_two_web_processes_at_once_count_each_member_once(org, make_member, secret):
    """Two ballot boxes write overlapping batches at the same moment (a client retrying on
    another process): every member ends with one ballot, and one answer that says so."""
    members = [make_member(unit=org.leeds) for _ in range(20)]
    vote = _vote(org, secret)
    keys = [[f"key-{process}-{i}-0123456789abcdef" for i in range(20)] for process in range(2)]

    def cast(process):
        return services.ballots_cast_together(
            vote_id=vote.pk,
            attempts=[
                services.CastAttempt(voter=m, ranking=["yes"], idempotency_key=keys[process][i])
                for i, m in enumerate(members)
            ],
        )

    (first, second), refusals = _race(2, cast)
    assert refusals == []
    for a, b in zip(first, second, strict=True):
        if secret:
            # The second needs the first's receipt to change it: refused, not counted.
            assert sorted([bool(a.answer), bool(b.answer)]) == [False, True]
            assert (a.refusal or b.refusal).status == 409
        else:
            # An open ballot may be changed (the rulebook's default): one ballot, changed.
            assert a.answer == b.answer
    model = SecretBallot if secret else OpenBallot
    assert model.objects.filter(vote=vote).count() == 20
    if secret:
        assert VoterRoll.objects.filter(vote=vote).count() == 20
