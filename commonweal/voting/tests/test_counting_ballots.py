"""Parsing, validation, grouping, canonical form and lot of the counting core."""

import json

import numpy as np
import pytest

from commonweal.voting.counting import (
    BallotError,
    build_ballot_set,
    canonical_json,
    count,
    default_seed,
    election_to_dict,
    load_election,
    lot_order,
    parse_election,
)


@pytest.fixture(autouse=True)
def _email_in_memory():
    """Shadow the project conftest's autouse Django fixture: the counting core needs no Django."""


def election(**changes):
    data = {
        "method": "schulze",
        "seats": 1,
        "candidates": ["A", "B", "C"],
        "ballots": [{"count": 2, "ranking": ["A", "B"]}, {"count": 1, "ranking": ["C"]}],
    }
    data.update(changes)
    return data


def test_parse_encodes_padded_int_matrix():
    ballots = parse_election(election())
    assert ballots.rankings.dtype == np.int32
    assert ballots.rankings.tolist() == [[0, 1], [2, -1]]
    assert ballots.counts.tolist() == [2, 1]
    assert ballots.total == 3


def test_identical_ballots_are_grouped():
    data = election(
        ballots=[
            {"count": 1, "ranking": ["A", "B"]},
            {"count": 3, "ranking": ["C"]},
            {"count": 2, "ranking": ["A", "B"]},
            {"count": 0, "ranking": ["B"]},
        ]
    )
    ballots = parse_election(data)
    assert election_to_dict(ballots)["ballots"] == [
        {"count": 3, "ranking": ["A", "B"]},
        {"count": 3, "ranking": ["C"]},
    ]


def test_approval_sets_group_whatever_their_order():
    data = election(
        method="approval",
        ballots=[{"count": 1, "ranking": ["B", "A"]}, {"count": 1, "ranking": ["A", "B"]}],
    )
    ballots = parse_election(data)
    assert ballots.counts.tolist() == [2]


@pytest.mark.parametrize(
    ("ballots", "message"),
    [
        (
            [{"count": 1, "ranking": ["A", "B", "A"]}],
            "ballot 0: candidate 'A' appears more than once",
        ),
        (
            [{"count": 1, "ranking": ["A"]}, {"count": 1, "ranking": ["Z"]}],
            "ballot 1: unknown candidate 'Z'",
        ),
        ([{"count": -2, "ranking": ["A"]}], "ballot 0: negative count -2"),
        ([{"count": 1.5, "ranking": ["A"]}], "ballot 0: count must be an integer"),
        ([{"count": True, "ranking": ["A"]}], "ballot 0: count must be an integer"),
        ([{"count": 1, "ranking": "A"}], "ballot 0: ranking must be a list"),
        (["A"], "ballot 0: must be an object"),
    ],
)
def test_bad_ballots_name_problem_and_index(ballots, message):
    with pytest.raises(BallotError, match=message):
        parse_election(election(ballots=ballots))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seats": 0}, "seats must be between 1 and 3"),
        ({"seats": 4}, "seats must be between 1 and 3"),
        ({"seats": "2"}, "seats must be an integer"),
        ({"method": "borda"}, "unknown method 'borda'"),
        ({"candidates": ["A", "A", "C"]}, "candidate 'A' is listed twice"),
        ({"candidates": []}, "candidate list is empty"),
    ],
)
def test_bad_elections(changes, message):
    with pytest.raises(BallotError, match=message):
        parse_election(election(**changes))


def test_missing_key():
    data = election()
    del data["seats"]
    with pytest.raises(BallotError, match="no 'seats'"):
        parse_election(data)


def test_majority_ballot_holds_one_choice():
    data = {
        "method": "majority",
        "seats": 1,
        "candidates": ["yes", "no", "abstain"],
        "ballots": [{"count": 1, "ranking": ["yes"]}, {"count": 1, "ranking": ["yes", "no"]}],
    }
    with pytest.raises(BallotError, match="ballot 1: a majority ballot holds exactly one"):
        parse_election(data)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[0, 1], [1, 1]], "ballot 1: candidate index 1 is ranked more than once"),
        ([[0, 3]], "ballot 0: unknown candidate index"),
        ([[-1, 0]], "ballot 0: a gap"),
    ],
)
def test_array_validation(rows, message):
    with pytest.raises(BallotError, match=message):
        build_ballot_set("schulze", 1, ["A", "B", "C"], np.array(rows))


def test_array_negative_count():
    with pytest.raises(BallotError, match="ballot 1: negative count -1"):
        build_ballot_set("stv", 1, ["A", "B"], np.array([[0], [1]]), np.array([1, -1]))


def test_load_from_path_and_string(tmp_path):
    path = tmp_path / "e.json"
    path.write_text(json.dumps(election()), encoding="utf-8")
    assert load_election(path).total == 3
    assert load_election(str(path)).total == 3
    assert load_election(json.dumps(election())).total == 3
    with pytest.raises(BallotError, match="not valid JSON"):
        load_election("{nope")


def test_canonical_form_and_seed_ignore_ballot_order():
    a = parse_election(election())
    b = parse_election(election(ballots=list(reversed(election()["ballots"]))))
    assert canonical_json(a) == canonical_json(b)
    assert default_seed(a) == default_seed(b)
    assert len(default_seed(a)) == 64


def test_default_seed_is_reported():
    result = count(election())
    assert result.seed == default_seed(parse_election(election()))
    assert count(election(), seed="published-seed").seed == "published-seed"


def test_lot_is_reproducible_and_ignores_list_order():
    names = ["Ann", "Bob", "Cy", "Di"]
    assert lot_order("s1", names) == lot_order("s1", list(reversed(names)))
    orders = {tuple(lot_order(f"seed-{i}", names)) for i in range(20)}
    assert len(orders) > 1
