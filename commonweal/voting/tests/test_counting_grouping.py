"""The vectorised validation and grouping of ballot arrays agree with a plain reference.

``build_ballot_set`` groups a million ballots by packed integer keys and checks only the
distinct ones; the reference below does both one ballot at a time with Python lists and a dict,
and names the first problem in the order the counting core has always used: negative count,
unknown candidate index, gap, repeated candidate, then (majority) not exactly one choice.
"""

import re
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.voting.counting import BallotError, build_ballot_set


@pytest.fixture(autouse=True)
def _email_in_memory():
    """Shadow the project conftest's autouse Django fixture: the counting core needs no Django."""


def reference_problem(method, n, rows, width, counts):
    """The message for the first invalid ballot, or None."""
    if not rows or not width:
        negative = [i for i, c in enumerate(counts) if c < 0]
        if negative:
            return f"ballot {negative[0]}: negative count"
        if method == "majority" and counts:
            return "ballot 0: a majority ballot holds exactly one of yes/no/abstain"
        return None
    for i, c in enumerate(counts):
        if c < 0:
            return f"ballot {i}: negative count {c}"
    for i, row in enumerate(rows):
        if any(v < -1 or v >= n for v in row):
            return f"ballot {i}: unknown candidate index in {row}"
    for i, row in enumerate(rows):
        if any(a < 0 <= b for a, b in pairwise(row)):
            return f"ballot {i}: a gap (-1) precedes a ranked candidate"
    for i, row in enumerate(rows):
        ranked = [v for v in row if v >= 0]
        repeated = sorted(v for v in set(ranked) if ranked.count(v) > 1)
        if repeated:
            return f"ballot {i}: candidate index {repeated[0]} is ranked more than once"
    if method == "majority":
        for i, row in enumerate(rows):
            if sum(v >= 0 for v in row) != 1:
                return f"ballot {i}: a majority ballot holds exactly one of yes/no/abstain"
    return None


def reference_groups(method, rows, counts):
    """Distinct ballots in lexicographic order (a shorter ranking first), with their counts."""
    totals = {}
    for row, c in zip(rows, counts, strict=True):
        if c > 0:
            key = tuple(v for v in row if v >= 0)
            if method == "approval":
                key = tuple(sorted(key))
            totals[key] = totals.get(key, 0) + c
    keys = sorted(totals)
    width = max((len(k) for k in keys), default=0)
    return [list(k) + [-1] * (width - len(k)) for k in keys], [totals[k] for k in keys], width


def names(n):
    return ["yes", "no", "abstain"] if n == 3 else [f"C{i}" for i in range(n)]


def check_against_reference(method, n, rows, width, counts):
    array = np.array(rows, dtype=np.int64).reshape(len(rows), width)
    given_counts = None if counts is None else np.array(counts, dtype=np.int64)
    counts = [1] * len(rows) if counts is None else counts
    problem = reference_problem(method, n, rows, width, counts)
    if problem is not None:
        with pytest.raises(BallotError) as refused:
            build_ballot_set(method, 1, names(n), array, given_counts)
        assert str(refused.value) == problem
        return
    ballots = build_ballot_set(method, 1, names(n), array, given_counts)
    expected_rows, expected_counts, expected_width = reference_groups(method, rows, counts)
    assert ballots.rankings.dtype == np.int32
    assert ballots.counts.dtype == np.int64
    assert ballots.rankings.shape == (len(expected_counts), expected_width)
    assert ballots.rankings.tolist() == expected_rows
    assert ballots.counts.tolist() == expected_counts


@st.composite
def ballot_arrays(draw, max_rows=30):
    """(method, n, rows, width, counts): partial rankings drawn from a small pool, so that
    many repeat, sometimes spoilt with a repeat, a gap or an index out of range."""
    # 17+ candidates need wider bitmasks; 65+ two mask words; 130 two-byte indices and keys
    # too wide for one integer.
    n = draw(st.one_of(st.integers(1, 12), st.sampled_from([16, 17, 33, 64, 65, 130])))
    method = draw(st.sampled_from(["schulze", "stv", "approval"] + (["majority"] * (n == 3))))
    width = draw(st.integers(0, min(n, 14) + 2))

    def pad(ranking):
        return ranking + [-1] * (width - len(ranking))

    ranking = st.lists(st.integers(0, n - 1), unique=True, max_size=min(width, n)).map(pad)
    pool = draw(st.lists(ranking, min_size=1, max_size=6))
    rows = [list(r) for r in draw(st.lists(st.sampled_from(pool), max_size=max_rows))]
    if rows and width and draw(st.integers(0, 3)) == 0:
        value = st.one_of(st.integers(-1, n - 1), st.sampled_from([-2, n, n + 5, -(2**40)]))
        for _ in range(draw(st.integers(1, 2))):
            i = draw(st.integers(0, len(rows) - 1))
            rows[i][draw(st.integers(0, width - 1))] = draw(value)
    counts = draw(
        st.none()
        | st.lists(st.integers(0, 5), min_size=len(rows), max_size=len(rows))
        | st.lists(st.integers(-1, 5), min_size=len(rows), max_size=len(rows))
    )
    return method, n, rows, width, counts


@settings(max_examples=600, deadline=None)
@given(ballot_arrays())
def test_validation_and_grouping_agree_with_the_reference(case):
    check_against_reference(*case)


@pytest.mark.parametrize(
    ("method", "rows", "counts", "problem"),
    [
        ("schulze", [[0, 1, 2], [2, 2, -1]], None, "ballot 1: candidate index 2 is ranked"),
        ("schulze", [[0, 1, -1], [1, -1, 0]], None, "ballot 1: a gap (-1)"),
        ("schulze", [[1, -1, 0], [0, 3, -1]], None, "ballot 1: unknown candidate index"),
        ("stv", [[0, 0, 0, 0], [1, -1, -1, -1]], None, "ballot 0: candidate index 0"),
        ("stv", [[0, 1, 2, -1], [2, 1, 0, 1]], None, "ballot 1: candidate index 1"),
        ("stv", [[0, -1], [0, -2]], [1, 0], "ballot 1: unknown candidate index in [0, -2]"),
        ("approval", [[0, 1], [1, 0]], [1, -3], "ballot 1: negative count -3"),
        ("majority", [[0, -1], [0, 1]], None, "ballot 1: a majority ballot holds exactly one"),
        ("majority", [[-1], [0]], None, "ballot 0: a majority ballot holds exactly one"),
    ],
)
def test_spoilt_ballots_are_refused_by_name(method, rows, counts, problem):
    with pytest.raises(BallotError, match=re.escape(problem)):
        build_ballot_set(method, 1, names(3), np.array(rows), counts)


def test_an_index_too_large_for_32_bits_is_refused_not_wrapped():
    with pytest.raises(BallotError, match="ballot 0: unknown candidate index"):
        build_ballot_set("schulze", 1, names(3), np.array([[2**32 + 1, -1]]))


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8])
def test_every_integer_type_groups_alike(dtype):
    rows = np.array([[2, 0, 1], [0, 1, 2], [2, 0, 1]], dtype=dtype)
    ballots = build_ballot_set("schulze", 1, names(4), rows)
    assert ballots.rankings.tolist() == [[0, 1, 2], [2, 0, 1]]
    assert ballots.counts.tolist() == [1, 2]


def test_a_large_seeded_election_agrees_with_the_reference():
    rng = np.random.default_rng(7)
    n, size = 10, 20_000
    rows = np.argsort(rng.random((size, n)), axis=1)
    # Few distinct ballots, as in a real election: a handful of orders cut at random lengths.
    rows = rows[rng.integers(0, 40, size)]
    rows[np.arange(n)[None, :] >= rng.integers(0, n + 1, size)[:, None]] = -1
    counts = rng.integers(0, 3, size)
    check_against_reference("stv", n, rows.tolist(), n, None)
    check_against_reference("schulze", n, rows.tolist(), n, counts.tolist())
    check_against_reference("approval", n, rows.tolist(), n, counts.tolist())
