"""Trust I finding 1: nothing in how the roll and the ballots are stored follows the order
in which members voted, on either database and on every way a ballot is cast.

Two hundred members vote in a known (shuffled) order through one way in; then, as the
worker's sweep does every minute, the open vote is mixed (PostgreSQL only; SQLite needs no
mix). Every order a database copy offers — the table's physical order (SQLite's scan of the
b-tree, PostgreSQL's ctid), the key order, each column's values, PostgreSQL's xmin — is
compared with the voting order by rank correlation. Independent orders give |rho| about
1/sqrt(n) (0.07); the bound, five times that, is crossed by chance less than once in a
million. On the old tables (a rowid table, a sequential roll id) rho was 1.
"""

import json
import math
import random
import secrets

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from commonweal.members.services import api_token_create
from commonweal.voting import services
from commonweal.voting.models import SecretBallot, VoterRoll
from commonweal.voting.selectors import receipt_hash

pytestmark = pytest.mark.django_db

VOTERS = 200
BOUND = 5 / math.sqrt(VOTERS - 1)
POSTGRES = connection.vendor == "postgresql"


def ranks(values: list) -> list[float]:
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def rank_correlation(xs: list, ys: list) -> float:
    """Spearman's rho; 0 when one side has a single value (it can order nothing)."""
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return 0.0 if not sxx or not syy else sxy / math.sqrt(sxx * syy)


def rows_as_stored(table: str) -> list[dict]:
    """The table's rows in physical order, every column (and PostgreSQL's xmin)."""
    quoted = connection.ops.quote_name(table)
    physical = " ORDER BY ctid" if POSTGRES else ""
    extra = ", xmin::text::bigint AS xmin" if POSTGRES else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT *{extra} FROM {quoted}{physical}")  # noqa: S608
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return rows


def correlated_orders(table: str, position_of) -> dict[str, float]:
    """The orders of the table's rows that correlate with the voting order, with their rho."""
    rows = rows_as_stored(table)
    cast_order = [position_of(row) for row in rows]
    assert sorted(cast_order) == list(range(VOTERS))
    found = {"physical order": rank_correlation(list(range(len(rows))), cast_order)}
    for column in rows[0]:
        found[column] = rank_correlation([row[column] for row in rows], cast_order)
    return {f"{table}.{name}": round(rho, 3) for name, rho in found.items() if abs(rho) >= BOUND}


def test_the_tables_are_b_trees_on_their_random_ids_on_sqlite():
    if POSTGRES:
        pytest.skip("SQLite's table layout")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE name IN (%s, %s)",
            [SecretBallot._meta.db_table, VoterRoll._meta.db_table],
        )
        tables = dict(cursor.fetchall())
    assert len(tables) == 2
    assert all(sql.rstrip().upper().endswith("WITHOUT ROWID") for sql in tables.values())


def web_form(vote, member, choice, htmx=False):
    client = Client()
    client.force_login(member)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        reverse("voting:cast", args=[vote.pk]),
        {"choice": choice, "idempotency_key": secrets.token_urlsafe(24)},
        **headers,
    )
    assert response.status_code == 200
    return response.context["receipt"]


def over_api(vote, member, body):
    token = api_token_create(member=member, name="order test", scope="write")[1]
    response = Client().post(
        f"/api/votes/{vote.pk}/cast",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200, response.content
    return response.json()["receipt"]


def cast_in_order(way: str, vote, members, choices, rng) -> list[str]:
    """Each member votes, in the given order, through one way in; their receipts."""
    if way == "web form":
        return [web_form(vote, m, c) for m, c in zip(members, choices, strict=True)]
    if way == "htmx":
        return [web_form(vote, m, c, htmx=True) for m, c in zip(members, choices, strict=True)]
    if way == "API":
        return [over_api(vote, m, {"ranking": [c]}) for m, c in zip(members, choices, strict=True)]
    if way == "ballot box":
        receipts: list[str] = []
        while len(receipts) < len(members):
            size = rng.randint(1, 16)
            batch = list(zip(members, choices, strict=True))[len(receipts) : len(receipts) + size]
            outcomes = services.ballots_cast_together(
                vote_id=vote.pk,
                attempts=[
                    services.CastAttempt(
                        voter=m, ranking=[c], idempotency_key=secrets.token_urlsafe(24)
                    )
                    for m, c in batch
                ],
            )
            receipts += [outcome.answer for outcome in outcomes]
        return receipts
    # A vote change: everyone votes first (in another order), then changes in this one.
    first = {
        m.pk: services.ballot_cast(vote=vote, voter=m, ranking=["abstain"])
        for m in rng.sample(members, len(members))
    }
    return [
        over_api(vote, m, {"ranking": [c], "replaces": first[m.pk]})
        for m, c in zip(members, choices, strict=True)
    ]


@pytest.mark.parametrize("way", ["web form", "htmx", "API", "ballot box", "vote change"])
def test_a_copy_of_the_tables_does_not_tell_the_order_of_voting(way, org, make_member, make_vote):
    rng = random.Random(f"order:{way}")
    members = [make_member(unit=org.leeds) for _ in range(VOTERS)]
    vote = make_vote(secret=True, electorate=org.leeds)
    order = rng.sample(members, VOTERS)
    choices = [rng.choice(["yes", "no", "abstain"]) for _ in order]

    receipts = cast_in_order(way, vote, order, choices, rng)
    services.votes_sweep()

    voted_at = {m.pk: i for i, m in enumerate(order)}
    hashed_at = {receipt_hash(r): i for i, r in enumerate(receipts)}
    correlated = correlated_orders(
        VoterRoll._meta.db_table, lambda row: voted_at[row["member_id"]]
    ) | correlated_orders(SecretBallot._meta.db_table, lambda row: hashed_at[row["receipt_hash"]])
    assert not correlated, f"orders that follow the voting order (bound {BOUND:.3f})"
    assert SecretBallot.objects.filter(vote=vote).count() == VOTERS


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL's transaction ids")
@pytest.mark.django_db(transaction=True)
def test_each_sweep_mixes_only_what_was_cast_since_the_last(org, make_member, make_vote):
    """The mix while a vote is open costs what was cast since the last sweep: afterwards
    every row carries the transaction of one sweep, none a casting transaction's.
    (Committed transactions: inside a test's one transaction every row would share it.)"""
    members = [make_member(unit=org.leeds) for _ in range(20)]
    vote = make_vote(secret=True, electorate=org.leeds)

    def xmins() -> dict[str, set[int]]:
        found = {}
        with connection.cursor() as cursor:
            for model in (SecretBallot, VoterRoll):
                cursor.execute(
                    f"SELECT DISTINCT xmin::text::bigint FROM {model._meta.db_table}"  # noqa: S608
                )
                found[model.__name__] = {row[0] for row in cursor.fetchall()}
        return found

    for member in members[:10]:
        services.ballot_cast(vote=vote, voter=member, ranking=["yes"])
    assert services.votes_sweep()["mixed"] == 10
    after_first = xmins()
    assert [len(x) for x in after_first.values()] == [1, 1]
    for member in members[10:]:
        services.ballot_cast(vote=vote, voter=member, ranking=["no"])
    assert services.votes_sweep()["mixed"] == 10
    after_second = xmins()
    for table, first in after_first.items():
        assert len(after_second[table]) == 2
        assert first < after_second[table]
    assert services.votes_sweep()["mixed"] == 0
    assert SecretBallot.objects.filter(vote=vote).count() == 20
    assert VoterRoll.objects.filter(vote=vote).count() == 20
