"""The ballot box: API casts batched outside Django's request cycle, with the API's answers.

The casts go through the real ASGI application (``commonweal.config.asgi``) with its writer
thread and database connection, so the tests use committed transactions.
"""

import asyncio
import json
import secrets

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonweal.core.tests.asgi import asgi_request, in_own_loop
from commonweal.members.services import api_token_create
from commonweal.voting import services
from commonweal.voting.models import OpenBallot, SecretBallot, VoterRoll
from commonweal.voting.selectors import receipt_hash

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def box(monkeypatch):
    from commonweal.config.asgi import application

    # The writer thread's and Django's threads' connections close after each batch and
    # request, so the test database can be dropped at the end.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    cache.clear()
    return application


def token_of(member) -> str:
    return api_token_create(member=member, name="ballot box test", scope="write")[1]


def cast_together(app, vote, casts: list[tuple[str, dict]], **headers):
    """Send the casts at the same moment (so they share batches); (status, json) each."""

    async def run():
        return await asyncio.gather(
            *(
                asgi_request(
                    app,
                    "POST",
                    f"/api/votes/{vote.pk}/cast",
                    body=json.dumps(body).encode(),
                    headers={"Authorization": f"Token {token}", "Content-Type": "application/json"}
                    | headers,
                )
                for token, body in casts
            )
        )

    return [(status, json.loads(content)) for status, _headers, content in in_own_loop(run)]


def cast_through_django(vote, token: str, body: dict):
    response = Client().post(
        f"/api/votes/{vote.pk}/cast",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    return response.status_code, response.json()


def key() -> str:
    return secrets.token_urlsafe(24)


def test_many_members_cast_at_once_and_each_ballot_is_stored_once(box, make_vote, voters):
    vote = make_vote(secret=True)
    tokens = [token_of(member) for member in voters["north"]]
    answers = cast_together(
        box, vote, [(t, {"ranking": ["yes"], "idempotency_key": key()}) for t in tokens]
    )
    assert [status for status, _ in answers] == [200] * len(tokens)
    receipts = {answer["receipt"] for _, answer in answers}
    assert len(receipts) == len(tokens)
    stored = set(SecretBallot.objects.filter(vote=vote).values_list("receipt_hash", flat=True))
    assert stored == {receipt_hash(r) for r in receipts}
    assert VoterRoll.objects.filter(vote=vote).count() == len(tokens)


def test_a_retried_cast_gets_the_same_receipt_in_the_same_batch_and_later(box, make_vote, voters):
    vote = make_vote(secret=True)
    token = token_of(voters["leeds"][0])
    body = {"ranking": ["no"], "idempotency_key": key()}
    first, again = cast_together(box, vote, [(token, body), (token, body)])
    (later,) = cast_together(box, vote, [(token, body)])
    assert first == again == later
    assert first[0] == 200
    assert SecretBallot.objects.filter(vote=vote).count() == 1


def test_the_key_in_the_header_counts_like_the_key_in_the_body(box, make_vote, voters):
    vote = make_vote(secret=True)
    token = token_of(voters["leeds"][0])
    header_key = key()
    (first,) = cast_together(
        box, vote, [(token, {"ranking": ["yes"]})], **{"Idempotency-Key": header_key}
    )
    (again,) = cast_together(
        box, vote, [(token, {"ranking": ["yes"], "idempotency_key": header_key})]
    )
    assert first == again
    assert first[0] == 200


def test_an_open_vote_is_cast_together_and_published_with_the_voter(box, make_vote, voters):
    vote = make_vote()
    members = voters["york"]
    answers = cast_together(
        box,
        vote,
        [(token_of(m), {"ranking": ["abstain"], "idempotency_key": key()}) for m in members],
    )
    assert [status for status, _ in answers] == [200, 200]
    ballots = {str(b.pk): b.voter_id for b in OpenBallot.objects.filter(vote=vote)}
    assert {ballots[answer["ballot"]] for _, answer in answers} == {m.pk for m in members}


@pytest.mark.parametrize(
    "scenario",
    [
        "second ballot",
        "outside the electorate",
        "not a candidate",
        "short key on a secret ballot",
        "closed vote",
        "no such vote",
        "two candidates in a yes/no vote",
    ],
)
def test_refusals_are_the_apis_own_answers(box, make_vote, voters, org, make_member, scenario):
    """Each refusal from the ballot box equals what Django's API answers to the same cast."""
    vote = make_vote(secret=True)
    body = {"ranking": ["yes"], "idempotency_key": key()}
    if scenario == "outside the electorate":
        members = [voters["brighton"], make_member(unit=org.brighton)]
    else:
        members = [voters["leeds"][0], voters["leeds"][1]]
    tokens = [token_of(m) for m in members]
    if scenario == "second ballot":
        for token in tokens:
            services.ballot_cast(vote=vote, voter=members[tokens.index(token)], ranking=["no"])
    elif scenario == "not a candidate":
        body["ranking"] = ["perhaps"]
    elif scenario == "short key on a secret ballot":
        body["idempotency_key"] = "short"
    elif scenario == "closed vote":
        services.vote_close(vote=vote, closed_by=None)
    elif scenario == "no such vote":
        vote.pk = vote.pk + 1000
    elif scenario == "two candidates in a yes/no vote":
        body["ranking"] = ["yes", "no"]
    (from_box,) = cast_together(box, vote, [(tokens[0], body)])
    from_django = cast_through_django(vote, tokens[1], body)
    assert from_box == from_django
    assert from_box[0] in {400, 403, 404, 409}


@pytest.mark.usefixtures("one_rate_window")
def test_a_member_casting_too_often_is_told_to_wait(box, make_vote, voters, monkeypatch):
    monkeypatch.setattr(services, "CAST_RATE_PER_ACCOUNT", "2/10m")
    vote = make_vote(secret=True)
    token = token_of(voters["leeds"][0])
    answers = cast_together(
        box, vote, [(token, {"ranking": ["yes"], "idempotency_key": key()}) for _ in range(3)]
    )
    statuses = sorted(status for status, _ in answers)
    assert statuses[-1] == 429
    assert "Too many attempts" in max(answers, key=lambda a: a[0])[1]["detail"]


def test_what_is_not_a_plain_token_cast_is_answered_by_django(box, make_vote, voters):
    vote = make_vote(secret=True)
    token = token_of(voters["leeds"][0])
    (unknown_token,) = cast_together(box, vote, [("not-a-token", {"ranking": ["yes"]})])
    assert unknown_token == (401, {"detail": "Unauthorized"})
    (not_a_list,) = cast_together(box, vote, [(token, {"ranking": "yes"})])
    assert not_a_list[0] == 422
    receipt = cast_together(box, vote, [(token, {"ranking": ["yes"], "idempotency_key": key()})])[
        0
    ][1]
    (changed,) = cast_together(
        box, vote, [(token, {"ranking": ["no"], "replaces": receipt["receipt"]})]
    )
    assert changed[0] == 200
    assert changed[1]["receipt"] != receipt["receipt"]
    assert list(SecretBallot.objects.filter(vote=vote).values_list("receipt_hash", flat=True)) == [
        receipt_hash(changed[1]["receipt"])
    ]


def test_answers_carry_the_security_headers_of_every_other_response(box, make_vote, voters):
    vote = make_vote(secret=True)
    tokens = [token_of(member) for member in voters["leeds"][:4]]

    async def run():
        return await asyncio.gather(
            *(
                asgi_request(
                    box,
                    "POST",
                    f"/api/votes/{vote.pk}/cast",
                    body=json.dumps({"ranking": ["yes"], "idempotency_key": key()}).encode(),
                    headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
                )
                for token in tokens[:3]
            )
        )

    answers = in_own_loop(run)
    through_django = Client().post(
        f"/api/votes/{vote.pk}/cast",
        data=json.dumps({"ranking": ["no"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {tokens[3]}",
    )
    assert through_django.status_code == 200
    for status, headers, content in answers:
        assert status == 200
        assert json.loads(content)["receipt"]
        assert headers["content-type"] == "application/json"
        assert int(headers["content-length"]) == len(content)
        assert "no-store" in headers["cache-control"]
        # Every header the API's own answer carries for its security, with the same value.
        for name in SECURITY_HEADERS:
            assert headers.get(name) == through_django.headers.get(name), name
    assert "content-security-policy" in answers[0][1]


SECURITY_HEADERS = [
    "cache-control",
    "x-frame-options",
    "content-security-policy",
    "permissions-policy",
    "strict-transport-security",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
]


def test_a_dropped_database_connection_fails_the_batch_cleanly_and_a_retry_counts_once(
    box, make_vote, voters, monkeypatch
):
    """PostgreSQL ends the writer's connection between batches (a failover, a restart)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ends a PostgreSQL backend")
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 600)
    vote = make_vote(secret=True)
    first, second = voters["leeds"][:2]
    cast_together(box, vote, [(token_of(first), {"ranking": ["yes"], "idempotency_key": key()})])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    token, body = token_of(second), {"ranking": ["no"], "idempotency_key": key()}
    (failed,) = cast_together(box, vote, [(token, body)])
    assert failed[0] == 503
    assert "same idempotency key" in failed[1]["detail"]
    assert not VoterRoll.objects.filter(vote=vote, member=second).exists()
    (retried,) = cast_together(box, vote, [(token, body)])
    assert retried[0] == 200
    assert SecretBallot.objects.filter(vote=vote).count() == 2
    box.writer.submit(connections.close_all).result()


def test_two_members_whose_client_sends_the_same_key_both_vote(box, make_vote, voters):
    """A client with a fixed idempotency key must not make one member's ballot clash with
    another's, on either path, nor fail the batch the two share."""
    vote = make_vote(secret=True)
    fixed = "the-same-key-for-everyone"
    members = voters["leeds"][:3]
    (through_django,) = [
        cast_through_django(
            vote, token_of(members[0]), {"ranking": ["yes"], "idempotency_key": fixed}
        )
    ]
    together = cast_together(
        box,
        vote,
        [(token_of(m), {"ranking": ["no"], "idempotency_key": fixed}) for m in members[1:]],
    )
    answers = [through_django, *together]
    assert [status for status, _ in answers] == [200, 200, 200]
    receipts = {answer["receipt"] for _, answer in answers}
    assert len(receipts) == 3
    assert SecretBallot.objects.filter(vote=vote).count() == 3


cast_bodies = st.fixed_dictionaries(
    {},
    optional={
        "ranking": st.one_of(
            st.lists(
                st.one_of(
                    st.sampled_from(["yes", "no", "abstain", "Yes", ""]), st.text(max_size=4)
                ),
                max_size=3,
            ),
            st.text(max_size=4),
            st.integers(),
            st.none(),
        ),
        "idempotency_key": st.one_of(st.none(), st.text(max_size=24), st.integers()),
        "replaces": st.just(""),
        "colour": st.text(max_size=4),
    },
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=cast_bodies)
def test_whatever_the_body_the_ballot_box_answers_as_the_api_does(
    box, make_vote, org, make_member, body
):
    """Random bodies, good and bad: the ballot box's answer (status and shape) is the API's."""
    vote = make_vote(secret=True)
    through_box = cast_together(box, vote, [(token_of(make_member(unit=org.leeds)), body)])[0]
    through_django = cast_through_django(vote, token_of(make_member(unit=org.leeds)), body)
    assert through_box[0] == through_django[0]
    if through_box[0] == 200:
        assert set(through_box[1]) == set(through_django[1]) == {"receipt"}
    else:
        assert through_box == through_django
