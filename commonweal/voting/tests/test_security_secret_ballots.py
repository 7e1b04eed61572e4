"""Secret ballots against the "Trust I" review: a receipt changes only its holder's ballot,
and a guessable idempotency key leads nowhere."""

import hashlib
import hmac
import json

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from commonweal.members.services import api_token_create
from commonweal.voting import services
from commonweal.voting.models import SecretBallot, VoterRoll
from commonweal.voting.selectors import receipt_hash

pytestmark = pytest.mark.django_db


def cast_over_api(vote, member, body: dict):
    token = api_token_create(member=member, name="security test", scope="write")[1]
    response = Client().post(
        f"/api/votes/{vote.pk}/cast",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    return response.status_code, response.json()


def ballots(vote) -> set[tuple[str, str]]:
    return set(SecretBallot.objects.filter(vote=vote).values_list("receipt_hash", "ranking"))


def test_another_members_receipt_changes_nothing(make_vote, voters):
    """Finding 2: a caller who has someone else's receipt could replace that member's ballot
    with their own (two ballots for the caller, none for the victim)."""
    vote = make_vote(secret=True)
    caller, victim = voters["leeds"][:2]
    status, mine = cast_over_api(vote, caller, {"ranking": ["yes"]})
    assert status == 200
    status, theirs = cast_over_api(vote, victim, {"ranking": ["no"]})
    assert status == 200
    before = ballots(vote)

    status, answer = cast_over_api(
        vote, caller, {"ranking": ["yes"], "replaces": theirs["receipt"]}
    )

    assert status == 400
    assert answer["field"] == "replaces"
    assert ballots(vote) == before
    # The victim can still change their own ballot, and the caller still has only one.
    status, changed = cast_over_api(
        vote, victim, {"ranking": ["abstain"], "replaces": theirs["receipt"]}
    )
    assert status == 200
    assert ballots(vote) == {
        (receipt_hash(mine["receipt"]), "0"),
        (receipt_hash(changed["receipt"]), "2"),
    }
    assert VoterRoll.objects.filter(vote=vote).count() == 2


def test_a_receipt_still_changes_its_own_ballot_more_than_once(make_vote, voters):
    vote = make_vote(secret=True)
    member = voters["leeds"][0]
    receipt = services.ballot_cast(vote=vote, voter=member, ranking=["yes"])
    receipt = services.ballot_cast(vote=vote, voter=member, ranking=["no"], replaces=receipt)
    receipt = services.ballot_cast(vote=vote, voter=member, ranking=["abstain"], replaces=receipt)
    assert ballots(vote) == {(receipt_hash(receipt), "2")}


def test_a_guessable_idempotency_key_does_not_lead_to_the_ballot(make_vote, voters):
    """Finding 5: with a database copy and SECRET_KEY, a low-entropy client key was searched
    offline back to the receipt (which was derived from it) and so to the ballot."""
    vote = make_vote(secret=True)
    member = voters["leeds"][0]
    status, answer = cast_over_api(
        vote, member, {"ranking": ["yes"], "idempotency_key": "client-req-00042"}
    )
    assert status == 200
    # The search as the review ran it: every key the client might have sent, against what
    # the database holds.
    secret = settings.SECRET_KEY.encode()
    stored_ballots = {h for h, _ranking in ballots(vote)}
    stored_roll = {
        value
        for row in VoterRoll.objects.filter(vote=vote).values()
        for value in row.values()
        if isinstance(value, str)
    }
    for n in range(100):
        guess = f"client-req-{n:05d}"
        derived = hmac.new(
            secret, f"receipt:{vote.pk}:{member.pk}:{guess}".encode(), hashlib.sha256
        ).digest()[:15]
        assert receipt_hash(services._format_receipt(derived)) not in stored_ballots
        assert hashlib.sha256(f"idempotency:{vote.pk}:{guess}".encode()).hexdigest() not in (
            stored_roll
        )
    # Whatever the derivation: the same member sending the same key to the same vote with
    # the same SECRET_KEY, once the cache (which a database copy lacks) is gone, gets
    # another receipt, so the receipt is not a function of anything an attacker can replay.
    VoterRoll.objects.filter(vote=vote).delete()
    SecretBallot.objects.filter(vote=vote).delete()
    cache.clear()
    status, again = cast_over_api(
        vote, member, {"ranking": ["yes"], "idempotency_key": "client-req-00042"}
    )
    assert status == 200
    assert again["receipt"] != answer["receipt"]


def test_a_retry_is_still_answered_with_the_same_receipt(make_vote, voters):
    vote = make_vote(secret=True)
    member = voters["leeds"][0]
    body = {"ranking": ["yes"], "idempotency_key": "client-req-00042"}
    first = cast_over_api(vote, member, body)
    again = cast_over_api(vote, member, body)
    assert first == again
    assert first[0] == 200
    assert len(ballots(vote)) == 1
