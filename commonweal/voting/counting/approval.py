"""Approval voting: most approvals win."""

from __future__ import annotations

import numpy as np

from .ballots import BallotSet
from .lot import Lot
from .result import Result, fill_seats, tiers_by_score


def count_approval(ballots: BallotSet, *, seed: str) -> Result:
    """The ``seats`` candidates with the most approvals win; a tie for the last seat is drawn.

    An empty ballot counts towards turnout only.
    """
    n = ballots.n_candidates
    approvals = np.zeros(n, dtype=np.int64)
    for k in range(ballots.rankings.shape[1]):
        col = ballots.rankings[:, k]
        np.add.at(approvals, col[col >= 0], ballots.counts[col >= 0])
    names = list(ballots.candidates)
    scores = [int(a) for a in approvals]
    order = tiers_by_score(names, scores)
    lot = Lot(seed)
    winners = fill_seats(order, ballots.seats, lot, purpose="tie for the last seat")
    has_any = (ballots.rankings >= 0).any(axis=1) if ballots.rankings.shape[1] else None
    empty = int(
        ballots.counts.sum() - (ballots.counts[has_any].sum() if has_any is not None else 0)
    )
    return Result(
        method="approval",
        convention=(
            "Approval voting: the candidates with the most approvals win the seats; an empty "
            "ballot counts for turnout only; a tie for the last seat is decided by lot "
            "(sha256 of the published seed and the candidate's name)."
        ),
        seats=ballots.seats,
        candidates=names,
        winners=winners,
        order=order,
        rounds=[{"round": 1, "approvals": dict(zip(names, scores, strict=True))}],
        seed=seed,
        lots=lot.draws,
        details={"turnout": ballots.total, "empty_ballots": empty},
    )
