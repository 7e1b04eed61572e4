"""Time the counting core on large synthetic ranked elections.

Usage: .venv/bin/python bench/bench_tally.py [--sizes 100000 1000000] [--repeat 3]

Ballots are deterministic (seeded numpy): voters fall into a few preference clusters, each
ballot is its cluster's order with a few random adjacent swaps, cut to a random length (partial
rankings). Prints, per size: building the ballot set (validate + group identical ballots),
Schulze, Scottish STV for 3 seats, and a bare numpy pairwise count over the ungrouped ballots.

Peers, on the same ballots in the same run: votelib's Schulze (from the ballots grouped into
its dict of rankings, conversion to pairwise counts included in its time) and pyrankvote's
single transferable vote (one Ballot object per ballot, as its API takes them), up to
`--peer-max` ballots. votelib's STV is not timed: it raises NotImplementedError on a tie for
elimination, which these elections have (candidates nobody ranks first). Each peer's winners
are compared with ours and the run fails if they differ.

Every step, ours and the peers' alike, runs ``--repeat`` times and the median is printed: on a
shared machine one run of a 20 ms step can take several times as long.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from commonweal.voting.counting import build_ballot_set, count, pairwise_matrix

CANDIDATES = [f"C{i}" for i in range(10)]


def synthetic_rankings(n_ballots: int, *, seed: int = 2024) -> np.ndarray:
    """Clustered, noisy, partial rankings over 10 candidates, padded with -1."""
    rng = np.random.default_rng(seed)
    n = len(CANDIDATES)
    clusters = np.array([rng.permutation(n) for _ in range(4)])
    rows = clusters[rng.choice(4, size=n_ballots, p=[0.4, 0.3, 0.2, 0.1])]
    every = np.arange(n_ballots)
    for _ in range(3):
        j = rng.integers(0, n - 1, size=n_ballots)
        swap = rng.random(n_ballots) < 0.5
        a, b = rows[every[swap], j[swap]], rows[every[swap], j[swap] + 1]
        rows[every[swap], j[swap]], rows[every[swap], j[swap] + 1] = b, a
    lengths = rng.integers(3, n + 1, size=n_ballots)
    rows[np.arange(n)[None, :] >= lengths[:, None]] = -1
    return rows.astype(np.int32)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls, and the last call's value."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def raw_positions(rankings: np.ndarray) -> np.ndarray:
    n = len(CANDIDATES)
    pos = np.full((len(rankings), n + 1), n, dtype=np.int16)
    cols = np.where(rankings >= 0, rankings, n)
    pos[np.arange(len(rankings))[:, None], cols] = np.arange(rankings.shape[1], dtype=np.int16)
    return pos[:, :n]


def votelib_schulze(rankings: np.ndarray) -> list[str]:
    import votelib.convert
    import votelib.evaluate.condorcet

    distinct, counts = np.unique(rankings, axis=0, return_counts=True)
    votes = {
        tuple(CANDIDATES[c] for c in row if c >= 0): int(k)
        for row, k in zip(distinct, counts, strict=True)
    }
    pairwise = votelib.convert.RankedToCondorcetVotes(unranked_at_bottom=True).convert(votes)
    return votelib.evaluate.condorcet.Schulze().evaluate(pairwise, 1)


def pyrankvote_stv(rankings: np.ndarray, seats: int) -> list[str]:
    import pyrankvote

    candidates = [pyrankvote.Candidate(name) for name in CANDIDATES]
    ballots = [
        pyrankvote.Ballot(ranked_candidates=[candidates[c] for c in row if c >= 0])
        for row in rankings.tolist()
    ]
    result = pyrankvote.single_transferable_vote(candidates, ballots, number_of_seats=seats)
    return [c.name for c in result.get_winners()]


def bench(
    n_ballots: int, peer_max: int, repeat: int
) -> tuple[list[tuple[str, float, str]], list[str]]:
    """The rows to print, and any disagreement with a peer."""
    rankings = synthetic_rankings(n_ballots)
    rows: list[tuple[str, float, str]] = []
    disagreements: list[str] = []
    t_build, schulze_set = timed(
        lambda: build_ballot_set("schulze", 1, CANDIDATES, rankings), repeat
    )
    rows.append(("build + group ballots", t_build, f"{len(schulze_set.counts):,} distinct"))
    t_count, schulze = timed(lambda: count(schulze_set, seed="bench"), repeat)
    rows.append(("Schulze (1 seat)", t_count, f"winner {schulze.winners[0]}"))
    ours_schulze = t_build + t_count
    t_build, stv_set = timed(lambda: build_ballot_set("stv", 3, CANDIDATES, rankings), repeat)
    rows.append(("build + group (stv)", t_build, ""))
    t_count, stv = timed(lambda: count(stv_set, seed="bench"), repeat)
    rows.append(("Scottish STV (3 seats)", t_count, f"{len(stv.rounds)} stages, {stv.winners}"))
    ours_stv = t_build + t_count
    t_bare, _ = timed(
        lambda: pairwise_matrix(raw_positions(rankings), np.ones(n_ballots, np.int64)), repeat
    )
    rows.append(("bare pairwise, ungrouped", t_bare, f"{n_ballots:,} rows"))
    rows.append(
        ("Schulze, ours all in", ours_schulze, f"{ours_schulze / t_bare:.1f}x the bare count")
    )
    if n_ballots > peer_max:
        rows.append(("peers", 0.0, f"not run above --peer-max {peer_max:,}"))
        return rows, disagreements
    t_peer, winners = timed(lambda: votelib_schulze(rankings), repeat)
    agree = winners == schulze.winners
    rows.append(
        (
            "votelib Schulze (peer)",
            t_peer,
            f"winner {winners}, {'agrees' if agree else 'DISAGREES'}; "
            f"ours {t_peer / ours_schulze:.1f}x faster",
        )
    )
    if not agree:
        disagreements.append(f"{n_ballots}: votelib Schulze {winners} vs {schulze.winners}")
    t_peer, winners = timed(lambda: pyrankvote_stv(rankings, 3), repeat)
    agree = sorted(winners) == sorted(stv.winners)
    rows.append(
        (
            "pyrankvote STV (peer)",
            t_peer,
            f"{winners}, {'agrees' if agree else 'DISAGREES'}; "
            f"ours {t_peer / ours_stv:.0f}x faster",
        )
    )
    if not agree:
        disagreements.append(f"{n_ballots}: pyrankvote STV {winners} vs {stv.winners}")
    return rows, disagreements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--peer-max", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (median)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.repeat} runs per step")
    print(f"{'ballots':>10}  {'step':<26} {'seconds':>8}  note")
    disagreements = []
    for size in args.sizes:
        rows, differ = bench(size, args.peer_max, args.repeat)
        disagreements += differ
        for step, seconds, note in rows:
            print(f"{size:>10,}  {step:<26} {seconds:>8.4f}  {note}", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f}")
    if disagreements:
        raise SystemExit("results differ from a peer: " + "; ".join(disagreements))


if __name__ == "__main__":
    main()
