"""Approval voting."""

import pytest

from commonweal.voting.counting import count, lot_order


@pytest.fixture(autouse=True)
def _email_in_memory():
    """Shadow the project conftest's autouse Django fixture: the counting core needs no Django."""


def approval(ballots, seats=2, candidates=("A", "B", "C", "D")):
    return {
        "method": "approval",
        "seats": seats,
        "candidates": list(candidates),
        "ballots": [{"count": n, "ranking": r} for n, r in ballots],
    }


def test_most_approvals_win():
    result = count(approval([(5, ["A", "B"]), (3, ["C"]), (2, ["B", "D"]), (4, [])])).to_dict()
    assert result["winners"] == ["B", "A"]
    assert result["order"] == [["B"], ["A"], ["C"], ["D"]]
    assert result["rounds"][0]["approvals"] == {"A": 5, "B": 7, "C": 3, "D": 2}
    assert result["turnout"] == 14
    assert result["empty_ballots"] == 4


def test_tie_for_last_seat_goes_to_lot():
    data = approval([(5, ["A"]), (3, ["B"]), (3, ["C"]), (3, ["D"])])
    result = count(data, seed="drawn-2024").to_dict()
    expected = lot_order("drawn-2024", ["B", "C", "D"])[0]
    assert result["winners"] == ["A", expected]
    assert result["order"] == [["A"], ["B", "C", "D"]]
    assert result["lots"] == [
        {
            "purpose": "tie for the last seat",
            "tied": ["B", "C", "D"],
            "drawn_order": lot_order("drawn-2024", ["B", "C", "D"]),
        }
    ]


def test_tie_not_decided_by_list_order():
    ballots = [(3, ["A"]), (3, ["B"])]
    winners = {
        count(approval(ballots, seats=1, candidates=c), seed="s").winners[0]
        for c in (("A", "B"), ("B", "A"))
    }
    assert len(winners) == 1
