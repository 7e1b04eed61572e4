"""Scottish STV (The Scottish Local Government Elections Order 2007, SSI 2007 No. 42, rules 45–52).

All arithmetic is on integers scaled by 10^5 (``SCALE``), which is exactly the five-decimal
fixed point the Order prescribes, so there is no float rounding anywhere.

Rule 48, as the Order reads: when a candidate's votes exceed the quota, *all* ballot papers the
candidate holds are passed on, each at ``value × surplus / total votes of the candidate``,
computed to five decimal places with the remainder ignored (a first-preference paper has value
one). An excluded candidate's papers all move at the value they carry (rule 50).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .ballots import BallotSet, OptionError
from .lot import Lot
from .result import Result

SCALE = 100_000
HOPEFUL, ELECTED, EXCLUDED = 0, 1, 2

CONVENTION = (
    "Scottish STV as in the Scottish Local Government Elections Order 2007 (SSI 2007 No. 42): "
    "Droop quota floor(valid / (seats + 1)) + 1; the largest surplus is transferred first, "
    "every paper of the elected candidate passing on at value × surplus / votes, computed to "
    "5 decimal places and truncated; otherwise the lowest candidate is excluded and all their "
    "papers pass on at their current value; ties are broken by the most recent earlier stage at "
    "which the tied candidates differed and only then by lot (sha256 of the published seed and "
    "the candidate's name); when the continuing candidates equal the seats left they are elected."
)


def fmt(value: int) -> str:
    """A scaled integer as the 5-decimal figure the count sheets show."""
    sign = "-" if value < 0 else ""
    whole, frac = divmod(abs(int(value)), SCALE)
    return f"{sign}{whole}.{frac:05d}"


class _Count:
    """State of one Scottish count over grouped ballots."""

    def __init__(self, ballots: BallotSet, lot: Lot) -> None:
        self.names = list(ballots.candidates)
        self.n = n = ballots.n_candidates
        self.seats = ballots.seats
        self.lot = lot
        ranks = ballots.rankings
        nonblank = ranks[:, 0] >= 0 if ranks.shape[1] else np.zeros(len(ranks), dtype=bool)
        ranks, self.counts = ranks[nonblank], ballots.counts[nonblank]
        self.blank = ballots.total - int(self.counts.sum())
        self.valid = int(self.counts.sum())
        self.quota = self.valid // (self.seats + 1) + 1
        # Column ``width`` is a sentinel: index n means "no further preference" (exhausted).
        width = ranks.shape[1]
        self.ranks = np.full((len(ranks), width + 1), n, dtype=np.int32)
        self.ranks[:, :width] = np.where(ranks >= 0, ranks, n)
        self.pointer = np.zeros(len(ranks), dtype=np.intp)
        self.weight = np.full(len(ranks), SCALE, dtype=np.int64)
        self.holder = self.ranks[:, 0].copy()
        self.state = np.full(n, HOPEFUL, dtype=np.int8)
        self.surplus_done = np.zeros(n, dtype=bool)
        self.elected: list[int] = []
        self.excluded: list[int] = []
        self.history: list[np.ndarray] = []
        self.rounds: list[dict[str, Any]] = []

    def tally(self) -> tuple[np.ndarray, int]:
        """Votes per candidate and non-transferable votes, both scaled."""
        totals = np.zeros(self.n + 1, dtype=np.int64)
        np.add.at(totals, self.holder, self.counts * self.weight)
        votes = totals[: self.n].copy()
        votes[self.surplus_done] = self.quota * SCALE
        return votes, int(totals[self.n])

    def advance(self, rows: np.ndarray) -> None:
        """Move papers on to their next continuing candidate (or to non-transferable)."""
        stops = np.append(self.state == HOPEFUL, True)
        moving = rows
        while moving.size:
            cur = self.ranks[moving, self.pointer[moving]]
            moving = moving[~stops[cur]]
            self.pointer[moving] += 1
        self.holder[rows] = self.ranks[rows, self.pointer[rows]]

    def break_tie(self, tied: list[int], *, highest: bool, purpose: str) -> tuple[int, str]:
        """Rules 49(2)/51(2): look back to the latest stage where the tied differed, then lot.

        With more than two tied, each earlier stage narrows the field to those still level at
        the top (surplus) or bottom (exclusion) until one remains.
        """
        if len(tied) == 1:
            return tied[0], ""
        field = list(tied)
        for stage in range(len(self.history) - 1, -1, -1):
            values = self.history[stage][field]
            best = values.max() if highest else values.min()
            field = [c for c, v in zip(field, values, strict=True) if v == best]
            if len(field) == 1:
                return field[0], f"tie broken by the votes at stage {stage + 1}"
        drawn = self.lot.order([self.names[c] for c in field], purpose=purpose)
        return self.names.index(drawn[0]), "tie decided by lot"

    def record(self, action: str, candidate: int | None, **extra: Any) -> None:
        votes, exhausted = self.tally()
        self.history.append(votes)
        loss = self.valid * SCALE - int(votes.sum()) - exhausted
        self.rounds.append(
            {
                "stage": len(self.rounds) + 1,
                "action": action,
                "candidate": None if candidate is None else self.names[candidate],
                "votes": {name: fmt(v) for name, v in zip(self.names, votes, strict=True)},
                "exhausted": fmt(exhausted),
                "loss_to_truncation": fmt(loss),
                "elected": [],
                "excluded": (
                    [self.names[candidate]]
                    if action == "exclusion" and candidate is not None
                    else []
                ),
                **extra,
            }
        )

    def elect_quota_holders(self) -> None:
        votes = self.history[-1]
        reached = [
            c for c in range(self.n) if self.state[c] == HOPEFUL and votes[c] >= self.quota * SCALE
        ]
        for c in sorted(reached, key=lambda c: -votes[c]):
            self.state[c] = ELECTED
            self.elected.append(c)
            self.rounds[-1]["elected"].append(self.names[c])

    def finished(self) -> bool:
        left = self.seats - len(self.elected)
        return left <= 0 or int((self.state == HOPEFUL).sum()) <= left

    def transfer_surplus(self) -> bool:
        votes = self.history[-1]
        quota = self.quota * SCALE
        over = [c for c in self.elected if not self.surplus_done[c] and votes[c] > quota]
        if not over:
            return False
        top = max(votes[c] for c in over)
        chosen, how = self.break_tie(
            [c for c in over if votes[c] == top], highest=True, purpose="equal surpluses"
        )
        total = int(votes[chosen])
        surplus = total - quota
        rows = np.flatnonzero(self.holder == chosen)
        values, inverse = np.unique(self.weight[rows], return_inverse=True)
        new = np.array([int(v) * surplus // total for v in values], dtype=np.int64)
        self.weight[rows] = new[inverse.reshape(-1)]
        self.surplus_done[chosen] = True
        self.advance(rows)
        self.record(
            "surplus",
            chosen,
            surplus=fmt(surplus),
            transfer_value=fmt(SCALE * surplus // total),
            transfer_values={fmt(v): fmt(w) for v, w in zip(values, new, strict=True)},
            tie_break=how,
        )
        return True

    def exclude_lowest(self) -> None:
        votes = self.history[-1]
        hopeful = [c for c in range(self.n) if self.state[c] == HOPEFUL]
        low = min(votes[c] for c in hopeful)
        chosen, how = self.break_tie(
            [c for c in hopeful if votes[c] == low], highest=False, purpose="exclusion"
        )
        self.state[chosen] = EXCLUDED
        self.excluded.append(chosen)
        rows = np.flatnonzero(self.holder == chosen)
        # A plain np.unique would import numpy.ma on first use (~20 ms in a fresh process).
        values = sorted(set(self.weight[rows].tolist()))
        self.advance(rows)
        self.record(
            "exclusion",
            chosen,
            transfer_values={fmt(v): fmt(v) for v in values},
            tie_break=how,
        )

    def run(self) -> None:
        self.record("first preferences", None)
        while True:
            self.elect_quota_holders()
            if self.finished():
                break
            if not self.transfer_surplus():
                self.exclude_lowest()
        if len(self.elected) < self.seats:
            # Rule 52: the continuing candidates fill the last vacancies without further transfer.
            votes = self.history[-1]
            rest = [c for c in range(self.n) if self.state[c] == HOPEFUL]
            for c in sorted(rest, key=lambda c: -votes[c]):
                self.state[c] = ELECTED
                self.elected.append(c)
            self.rounds[-1]["elected_without_quota"] = [self.names[c] for c in rest]

    def order(self) -> list[list[str]]:
        """Elected in order of election, then the unelected by final votes, then the excluded
        in reverse order of exclusion; equal final votes share a tier."""
        votes = self.history[-1]
        tiers = [[self.names[c]] for c in self.elected]
        rest = [c for c in range(self.n) if self.state[c] == HOPEFUL]
        for v in sorted({int(votes[c]) for c in rest}, reverse=True):
            tiers.append([self.names[c] for c in rest if votes[c] == v])
        tiers.extend([self.names[c]] for c in reversed(self.excluded))
        return tiers


def count_stv(ballots: BallotSet, *, seed: str, rule: str | None = None) -> Result:
    """Count an STV election; every stage is in ``rounds``.

    The rule defaults to the one the ballot file names (``stv_meek``), else Scottish.
    """
    rule = rule or ballots.variant or "scottish"
    if rule != "scottish":
        raise OptionError(f"STV rule must be 'scottish', got {rule!r}")
    lot = Lot(seed)
    count = _Count(ballots, lot)
    count.run()
    return Result(
        method="stv",
        convention=CONVENTION,
        seats=ballots.seats,
        candidates=count.names,
        winners=[count.names[c] for c in count.elected],
        order=count.order(),
        rounds=count.rounds,
        seed=seed,
        lots=lot.draws,
        details={
            "rule": "scottish",
            "quota": count.quota,
            "valid": count.valid,
            "blank": count.blank,
        },
    )
