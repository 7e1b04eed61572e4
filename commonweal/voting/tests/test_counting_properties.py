"""Properties that must hold for every ballot profile, checked with hypothesis."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.voting.counting import build_ballot_set, count
from commonweal.voting.counting.stv import SCALE


@pytest.fixture(autouse=True)
def _email_in_memory():
    """Shadow the project conftest's autouse Django fixture: the counting core needs no Django."""


NAMES = "ABCDEF"


@st.composite
def profiles(draw, min_candidates=2):
    """(candidate names, list of (count, ranking)) with partial rankings."""
    n = draw(st.integers(min_candidates, len(NAMES)))
    names = NAMES[:n]
    ranking = st.permutations(names).flatmap(
        lambda p: st.integers(0, n).map(lambda k: "".join(p[:k]))
    )
    ballots = draw(st.lists(st.tuples(st.integers(1, 9), ranking), min_size=1, max_size=25))
    return names, ballots


def election(method, seats, names, ballots):
    return {
        "method": method,
        "seats": seats,
        "candidates": list(names),
        "ballots": [{"count": c, "ranking": list(r)} for c, r in ballots],
    }


def scaled(text):
    whole, frac = text.split(".")
    return int(whole) * SCALE + int(frac)


@settings(max_examples=150, deadline=None)
@given(profiles(), st.data())
def test_stv_fills_every_seat_and_conserves_votes(profile, data):
    names, ballots = profile
    seats = data.draw(st.integers(1, len(names)))
    result = count(election("stv", seats, names, ballots), seed="prop").to_dict()
    assert len(result["winners"]) == seats
    assert len(set(result["winners"])) == seats
    previous_loss = 0
    for stage in result["rounds"]:
        total = sum(scaled(v) for v in stage["votes"].values())
        loss = scaled(stage["loss_to_truncation"])
        assert total + scaled(stage["exhausted"]) + loss == result["valid"] * SCALE
        assert loss >= previous_loss
        previous_loss = loss
        assert all(scaled(v) >= 0 for v in stage["votes"].values())


def unique_schulze_winner(names, ballots, strength):
    result = count(election("schulze", 1, names, ballots), seed="p", strength=strength)
    top = result.order[0]
    return top[0] if len(top) == 1 else None


@settings(max_examples=150, deadline=None)
@given(profiles(min_candidates=3), st.sampled_from(["winning", "margin"]))
def test_schulze_winner_survives_a_ballot_for_them_alone(profile, strength):
    """Mono-add-plump. (Adding a ballot that also ranks the others may change the winner:
    Woodall showed no Condorcet method meeting the plurality criterion is mono-add-top.)"""
    names, ballots = profile
    winner = unique_schulze_winner(names, ballots, strength)
    if winner is not None:
        assert unique_schulze_winner(names, [*ballots, (1, winner)], strength) == winner


@settings(max_examples=150, deadline=None)
@given(profiles(min_candidates=3), st.sampled_from(["winning", "margin"]), st.data())
def test_schulze_winner_survives_being_raised(profile, strength, data):
    names, ballots = profile
    winner = unique_schulze_winner(names, ballots, strength)
    if winner is None:
        return
    i = data.draw(st.integers(0, len(ballots) - 1))
    count_, ranking = ballots[i]
    if winner not in ranking:
        raised = ranking + winner
    elif ranking.index(winner) > 0:
        k = ranking.index(winner)
        raised = ranking[: k - 1] + winner + ranking[k - 1] + ranking[k + 1 :]
    else:
        return
    changed = [*ballots[:i], (count_, raised), *ballots[i + 1 :]]
    assert unique_schulze_winner(names, changed, strength) == winner


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 60),
    st.integers(0, 60),
    st.integers(0, 60),
    st.sampled_from(["simple", "absolute", "two_thirds"]),
    st.sampled_from([None, "yes_no", "yes_no_abstain", "entitled"]),
    st.integers(0, 50),
)
def test_majority_never_carries_without_more_yes_than_no(yes, no, abstain, majority, base, extra):
    if majority == "absolute" and base == "yes_no":
        base = None
    data = election(
        "majority",
        1,
        ["yes", "no", "abstain"],
        [(yes, ["yes"]), (no, ["no"]), (abstain, ["abstain"])],
    )
    result = count(data, majority=majority, base=base, entitled=yes + no + abstain + extra)
    if yes <= no:
        assert result.details["outcome"] != "carried"


@settings(max_examples=50, deadline=None)
@given(profiles())
def test_grouping_preserves_every_ballot(profile):
    names, ballots = profile
    index = {c: i for i, c in enumerate(names)}
    rows = np.full((len(ballots), len(names)), -1)
    for r, (_, ranking) in enumerate(ballots):
        rows[r, : len(ranking)] = [index[c] for c in ranking]
    counts = np.array([c for c, _ in ballots])
    grouped = build_ballot_set("schulze", 1, names, rows, counts)
    assert grouped.total == counts.sum()
    expanded = {}
    for g, c in enumerate(grouped.counts):
        key = "".join(grouped.ranking(g))
        expanded[key] = expanded.get(key, 0) + int(c)
    direct = {}
    for c, ranking in ballots:
        direct[ranking] = direct.get(ranking, 0) + c
    assert expanded == direct
