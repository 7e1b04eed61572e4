"""The outcome of a count, in the shape the result page and ``manage.py tally`` show."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Result:
    """What a count decided and how.

    ``order`` is a list of tiers (candidates in one tier are tied); ``rounds`` holds one dict
    per round or stage; ``lots`` records every tie decided by lot; ``details`` holds the
    method's own figures (pairwise matrix, quota, majority figures...).
    """

    method: str
    convention: str
    seats: int
    candidates: list[str]
    winners: list[str]
    order: list[list[str]]
    rounds: list[dict[str, Any]]
    seed: str
    lots: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; method details are merged in at the top level."""
        return {
            "method": self.method,
            "convention": self.convention,
            "seats": self.seats,
            "candidates": list(self.candidates),
            "winners": list(self.winners),
            "order": [list(t) for t in self.order],
            "rounds": list(self.rounds),
            "seed": self.seed,
            "lots": list(self.lots),
            **self.details,
        }


def tiers_by_score(candidates: list[str], scores: list[int]) -> list[list[str]]:
    """Group candidates into tiers of equal score, best first, keeping ballot order in a tier."""
    tiers: dict[int, list[str]] = {}
    for name, score in zip(candidates, scores, strict=True):
        tiers.setdefault(score, []).append(name)
    return [tiers[s] for s in sorted(tiers, reverse=True)]


def fill_seats(order: list[list[str]], seats: int, lot: Any, *, purpose: str) -> list[str]:
    """Take winners down the tiers; a tier that does not fit in the seats left goes to lot."""
    winners: list[str] = []
    for tier in order:
        left = seats - len(winners)
        if left <= 0:
            break
        if len(tier) <= left:
            winners.extend(tier)
        else:
            winners.extend(lot.order(tier, purpose=purpose)[:left])
    return winners
