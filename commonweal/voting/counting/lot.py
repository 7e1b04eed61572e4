"""Ties decided by lot, from a published seed.

Every tie left to lot is decided by sorting the tied candidates on ``sha256(seed + "\\n" +
candidate)``; anyone holding the published seed and the ballot file can redo the draw. List order
never decides anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field


def lot_key(seed: str, candidate: str) -> str:
    """The hex digest that places ``candidate`` in every draw made with ``seed``."""
    return hashlib.sha256(f"{seed}\n{candidate}".encode()).hexdigest()


def lot_order(seed: str, candidates: Iterable[str]) -> list[str]:
    """Tied candidates in drawn order: the first is the one the lot favours."""
    return sorted(candidates, key=lambda c: (lot_key(seed, c), c))


@dataclass
class Lot:
    """A seeded draw that records every use, so the result can show each tie it decided."""

    seed: str
    draws: list[dict[str, object]] = field(default_factory=list)

    def order(self, candidates: Iterable[str], *, purpose: str) -> list[str]:
        """Order tied candidates by lot and record the draw with its purpose."""
        tied = list(candidates)
        drawn = lot_order(self.seed, tied)
        self.draws.append({"purpose": purpose, "tied": sorted(tied), "drawn_order": drawn})
        return drawn
