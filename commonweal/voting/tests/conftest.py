from datetime import timedelta

import pytest

from commonweal.core import clock
from commonweal.voting import services


@pytest.fixture
def voters(org, make_member):
    """Five members in Leeds and two in York (all in the North), one in Brighton."""
    leeds = [make_member(unit=org.leeds) for _ in range(5)]
    york = [make_member(unit=org.york) for _ in range(2)]
    return {
        "leeds": leeds,
        "york": york,
        "north": leeds + york,
        "brighton": make_member(unit=org.brighton),
    }


@pytest.fixture
def make_vote(org):
    """An open vote of the North's members, called by the platform itself."""

    def make(
        method="majority",
        *,
        secret=False,
        candidates=None,
        seats=1,
        electorate=None,
        open_it=True,
        **fields,
    ):
        vote = services.vote_create(
            title=fields.pop("title", f"A {method} vote"),
            body=fields.pop("body", org.leadership),
            method=method,
            candidates=candidates,
            seats=seats,
            secret=secret,
            electorate=electorate or org.north,
            closes_at=clock.now() + timedelta(days=1),
            created_by=None,
            **fields,
        )
        if open_it:
            vote = services.vote_open(vote=vote, opened_by=None)
        return vote

    return make
