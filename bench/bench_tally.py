"""Time the counting core on large synthetic ranked elections.

Usage: .venv/bin/python bench/bench_tally.py [--sizes 100000 1000000]

Ballots are deterministic (seeded numpy): voters fall into a few preference clusters, each
ballot is its cluster's order with a few random adjacent swaps, cut to a random length (partial
rankings). Prints, per size: building the ballot set (validate + group identical ballots),
Schulze, Scottish STV for 3 seats, and a bare numpy pairwise count over the ungrouped ballots.
"""

from __future__ import annotations

import argparse
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


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def raw_positions(rankings: np.ndarray) -> np.ndarray:
    n = len(CANDIDATES)
    pos = np.full((len(rankings), n + 1), n, dtype=np.int16)
    cols = np.where(rankings >= 0, rankings, n)
    pos[np.arange(len(rankings))[:, None], cols] = np.arange(rankings.shape[1], dtype=np.int16)
    return pos[:, :n]


def bench(n_ballots: int) -> list[tuple[str, float, str]]:
    rankings = synthetic_rankings(n_ballots)
    rows: list[tuple[str, float, str]] = []
    t, schulze_set = timed(lambda: build_ballot_set("schulze", 1, CANDIDATES, rankings))
    rows.append(("build + group ballots", t, f"{len(schulze_set.counts):,} distinct"))
    t, result = timed(lambda: count(schulze_set, seed="bench"))
    rows.append(("Schulze (1 seat)", t, f"winner {result.winners[0]}"))
    t, stv_set = timed(lambda: build_ballot_set("stv", 3, CANDIDATES, rankings))
    rows.append(("build + group (stv)", t, ""))
    t, result = timed(lambda: count(stv_set, seed="bench"))
    rows.append(("Scottish STV (3 seats)", t, f"{len(result.rounds)} stages, {result.winners}"))
    t, _ = timed(lambda: pairwise_matrix(raw_positions(rankings), np.ones(n_ballots, np.int64)))
    rows.append(("bare pairwise, ungrouped", t, f"{n_ballots:,} rows"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    print(f"{'ballots':>10}  {'step':<26} {'seconds':>8}  note")
    for size in args.sizes:
        for step, seconds, note in bench(size):
            print(f"{size:>10,}  {step:<26} {seconds:>8.3f}  {note}")


if __name__ == "__main__":
    main()
