"""The ballot box checks a token as the API does: scope, expiry, the two-factor rule.

Finding "Trust II" 3: the ballot box authenticates tokens on its own path (ASGI, outside
Django's request cycle), so each of the API's checks must hold there too.
"""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connections

from commonweal.core import clock
from commonweal.core.tests.asgi import asgi_request, in_own_loop
from commonweal.members.models import ApiToken
from commonweal.members.services import api_token_create
from commonweal.organisation.services import mandate_grant
from commonweal.voting.models import OpenBallot, VoterRoll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def box(monkeypatch):
    from commonweal.config.asgi import application

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    cache.clear()
    return application


def cast(app, vote, key: str) -> tuple[int, dict]:
    async def run():
        return await asgi_request(
            app,
            "POST",
            f"/api/votes/{vote.pk}/cast",
            body=json.dumps({"ranking": ["yes"]}).encode(),
            headers={"Authorization": f"Token {key}", "Content-Type": "application/json"},
        )

    status, _headers, content = in_own_loop(run)
    return status, json.loads(content)


def nothing_cast(vote) -> bool:
    return (
        not VoterRoll.objects.filter(vote=vote).exists()
        and not OpenBallot.objects.filter(vote=vote).exists()
    )


def test_a_read_token_cannot_cast(box, make_vote, voters):
    vote = make_vote()
    _token, key = api_token_create(member=voters["leeds"][0], name="read", scope="read")
    status, answer = cast(box, vote, key)
    assert status == 403
    assert "may only read" in answer["detail"]
    assert nothing_cast(vote)


def test_an_expired_token_cannot_cast(box, make_vote, voters):
    vote = make_vote()
    token, key = api_token_create(member=voters["leeds"][0], name="old", scope="write")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=clock.now() - timedelta(seconds=1))
    assert cast(box, vote, key)[0] == 401
    assert nothing_cast(vote)


def test_an_office_holder_without_two_factors_cannot_cast(box, org, make_vote, voters):
    vote = make_vote()
    holder = voters["leeds"][0]
    mandate_grant(body=org.leadership, holder=holder, office="Treasurer")
    _token, key = api_token_create(member=holder, name="script", scope="write")
    status, answer = cast(box, vote, key)
    assert status == 403
    assert "two-factor" in answer["detail"]
    assert nothing_cast(vote)


def test_a_write_token_of_a_plain_member_casts(box, make_vote, voters):
    vote = make_vote()
    _token, key = api_token_create(member=voters["leeds"][0], name="script", scope="write")
    assert cast(box, vote, key)[0] == 200
    assert OpenBallot.objects.filter(vote=vote).count() == 1
