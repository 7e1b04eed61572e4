"""Schulze: the published 45-voter example, the partial-ranking convention, seats and ties."""

import itertools

import numpy as np
import pytest

from commonweal.voting.counting import (
    OptionError,
    count,
    lot_order,
    pairwise_matrix,
    parse_election,
    widest_paths,
)


@pytest.fixture(autouse=True)
def _email_in_memory():
    """Shadow the project conftest's autouse Django fixture: the counting core needs no Django."""


WIKIPEDIA = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def schulze(ballots, seats=1, candidates="ABCDE"):
    return {
        "method": "schulze",
        "seats": seats,
        "candidates": list(candidates),
        "ballots": [{"count": n, "ranking": list(r)} for n, r in ballots],
    }


def test_schulze_paper_example():
    result = count(schulze(WIKIPEDIA)).to_dict()
    assert result["winners"] == ["E"]
    assert result["order"] == [["E"], ["A"], ["C"], ["B"], ["D"]]
    assert result["pairwise"] == [
        [0, 20, 26, 30, 22],
        [25, 0, 16, 33, 18],
        [19, 29, 0, 17, 24],
        [15, 12, 28, 0, 14],
        [23, 27, 21, 31, 0],
    ]
    assert result["beatpaths"] == [
        [0, 28, 28, 30, 24],
        [25, 0, 28, 33, 24],
        [25, 29, 0, 29, 24],
        [25, 28, 28, 0, 24],
        [25, 28, 28, 31, 0],
    ]
    assert "winning votes" in result["convention"]


def test_schulze_paper_example_two_seats():
    assert count(schulze(WIKIPEDIA, seats=2)).winners == ["E", "A"]


def test_margins_option():
    result = count(schulze(WIKIPEDIA), strength="margin").to_dict()
    assert result["winners"] == ["E"]
    # E>B (margin 9) then B>A (5) beats A>C (7) then C>E (3).
    assert (result["beatpaths"][4][0], result["beatpaths"][0][4]) == (5, 3)
    with pytest.raises(OptionError):
        count(schulze(WIKIPEDIA), strength="ratio")


def test_unranked_candidates_lose_to_ranked_and_tie_among_themselves():
    d = np.array(
        count(schulze([(4, "A"), (3, "BA"), (3, "CB")], candidates="ABC")).details["pairwise"]
    )
    # "A" alone: A over B and C; B,C equal. "BA": B over A over C. "CB": C over B over A.
    assert d.tolist() == [[0, 4, 7], [6, 0, 3], [3, 3, 0]]


def test_pairwise_matches_brute_force():
    rng = np.random.default_rng(7)
    ballots = []
    for _ in range(60):
        k = int(rng.integers(0, 6))
        ballots.append((int(rng.integers(1, 5)), "".join(rng.permutation(list("ABCDE"))[:k])))
    parsed = parse_election(schulze(ballots))
    d = pairwise_matrix(parsed.positions(), parsed.counts)
    brute = np.zeros((5, 5), dtype=int)
    for n, r in ballots:
        rank = {c: r.index(c) if c in r else 99 for c in "ABCDE"}
        for (i, a), (j, b) in itertools.product(enumerate("ABCDE"), repeat=2):
            brute[i, j] += n * (rank[a] < rank[b])
    assert d.tolist() == brute.tolist()


def test_widest_paths_against_path_enumeration():
    d = np.array(count(schulze(WIKIPEDIA)).details["pairwise"])
    p = widest_paths(d)
    for i, j in itertools.permutations(range(5), 2):
        best = 0
        others = [k for k in range(5) if k not in (i, j)]
        for r in range(len(others) + 1):
            for mid in itertools.permutations(others, r):
                path = (i, *mid, j)
                links = [d[a, b] if d[a, b] > d[b, a] else 0 for a, b in itertools.pairwise(path)]
                best = max(best, min(links))
        assert p[i, j] == best


def test_ties_are_reported_and_seat_drawn_by_lot():
    data = schulze([(1, "ABC"), (1, "BCA"), (1, "CAB")], candidates="ABC")
    result = count(data, seed="minutes-2025-03").to_dict()
    assert result["order"] == [["A", "B", "C"]]
    assert result["winners"] == [lot_order("minutes-2025-03", "ABC")[0]]
    assert result["lots"][0]["purpose"] == "tie for a seat"


def test_lower_ties_need_no_lot():
    result = count(schulze([(3, "A"), (1, "BC"), (1, "CB")], candidates="ABC")).to_dict()
    assert result["winners"] == ["A"]
    assert result["order"] == [["A"], ["B", "C"]]
    assert result["lots"] == []
