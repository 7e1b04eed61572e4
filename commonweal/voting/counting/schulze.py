"""The Schulze method over grouped ballots, vectorised with numpy."""

from __future__ import annotations

import numpy as np

from .ballots import BallotSet, OptionError
from .lot import Lot
from .result import Result, fill_seats

STRENGTHS = ("winning", "margin")
_CHUNK = 16_384


def pairwise_matrix(positions: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``d[i, j]``: number of voters ranking ``i`` strictly above ``j``.

    ``positions[g, c]`` is the rank of candidate ``c`` on ballot group ``g`` (unranked
    candidates share the worst position, so they are equal among themselves and below every
    ranked one). Works in chunks so memory stays bounded for a million distinct ballots.
    """
    n = positions.shape[1]
    d = np.zeros((n, n), dtype=np.int64)
    for start in range(0, positions.shape[0], _CHUNK):
        pos = positions[start : start + _CHUNK]
        cnt = counts[start : start + _CHUNK]
        for i in range(n):
            d[i] += cnt @ (pos[:, i : i + 1] < pos)
    return d


def widest_paths(d: np.ndarray, *, strength: str = "winning") -> np.ndarray:
    """Strength ``p[i, j]`` of the strongest beat-path from ``i`` to ``j`` (Floyd–Warshall).

    A link ``i -> j`` exists when more voters prefer ``i`` to ``j`` than the reverse; its
    strength is the number preferring ``i`` (winning votes) or the difference (margin).
    """
    if strength not in STRENGTHS:
        raise OptionError(f"strength must be one of {', '.join(STRENGTHS)}, got {strength!r}")
    wins = d > d.T
    p = np.where(wins, d if strength == "winning" else d - d.T, 0).astype(np.int64)
    for k in range(len(p)):
        np.maximum(p, np.minimum(p[:, k : k + 1], p[k : k + 1, :]), out=p)
    np.fill_diagonal(p, 0)
    return p


def schulze_tiers(p: np.ndarray) -> list[list[int]]:
    """The Schulze ranking as tiers of candidate indices; a tier holds tied candidates.

    Each tier is the set of remaining candidates that no remaining candidate beats
    (``p[j, i] > p[i, j]``); Schulze shows this relation is transitive, so it is never empty.
    """
    beats = p > p.T
    remaining = list(range(len(p)))
    tiers: list[list[int]] = []
    while remaining:
        sub = beats[np.ix_(remaining, remaining)]
        unbeaten = ~np.asarray(sub.any(axis=0))
        tiers.append([c for c, ok in zip(remaining, unbeaten, strict=True) if ok])
        remaining = [c for c, ok in zip(remaining, unbeaten, strict=True) if not ok]
    return tiers


def count_schulze(ballots: BallotSet, *, seed: str, strength: str = "winning") -> Result:
    """Rank the candidates by Schulze and fill the seats down the ranking.

    A tie for a seat is drawn by lot and only then; ties lower down are reported as ties.
    """
    names = list(ballots.candidates)
    d = pairwise_matrix(ballots.positions(), ballots.counts)
    p = widest_paths(d, strength=strength)
    tiers = [[names[i] for i in tier] for tier in schulze_tiers(p)]
    lot = Lot(seed)
    winners = fill_seats(tiers, ballots.seats, lot, purpose="tie for a seat")
    measure = "winning votes" if strength == "winning" else "margins"
    return Result(
        method="schulze",
        convention=(
            f"Schulze method, defeat strength measured in {measure}. A candidate a voter ranked "
            "is preferred to every candidate the voter left unranked; unranked candidates are "
            "equal to each other. Ties in the ranking are reported as ties; a tie for a seat is "
            "decided by lot (sha256 of the published seed and the candidate's name)."
        ),
        seats=ballots.seats,
        candidates=names,
        winners=winners,
        order=tiers,
        rounds=[],
        seed=seed,
        lots=lot.draws,
        details={
            "strength": strength,
            "ballots": ballots.total,
            "pairwise": d.tolist(),
            "beatpaths": p.tolist(),
        },
    )
