"""The counting core of the voting app: pure Python and numpy, no Django.

``count(election, seed=..., **options)`` takes a published-ballots dict (or a ``BallotSet``),
dispatches on its method and returns a ``Result``. The conventions are those of
``VOTING.md``; each ``Result`` states the one it used in ``convention``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .approval import count_approval
from .ballots import BallotError, BallotSet, OptionError, build_ballot_set
from .fileformat import (
    canonical_json,
    default_seed,
    election_to_dict,
    load_election,
    parse_election,
)
from .lot import Lot, lot_order
from .majority import count_majority
from .result import Result
from .schulze import count_schulze, pairwise_matrix, widest_paths
from .stv import count_stv

__all__ = [
    "BallotError",
    "BallotSet",
    "Lot",
    "OptionError",
    "Result",
    "build_ballot_set",
    "canonical_json",
    "count",
    "count_approval",
    "count_majority",
    "count_schulze",
    "count_stv",
    "default_seed",
    "election_to_dict",
    "load_election",
    "lot_order",
    "pairwise_matrix",
    "parse_election",
    "widest_paths",
]

_COUNTERS = {
    "majority": count_majority,
    "approval": count_approval,
    "schulze": count_schulze,
    "stv": count_stv,
}


def count(
    election: Mapping[str, Any] | BallotSet, *, seed: str | None = None, **options: Any
) -> Result:
    """Count an election by its method.

    ``seed`` is the published lot seed recorded before the count; without one it is the
    sha256 of the canonical ballot file (see ``default_seed``). ``options`` are the method's
    rulebook options: majority ``majority``/``base``/``entitled``/``quorum``; Schulze
    ``strength``; STV ``rule`` ("scottish" or "meek").
    """
    ballots = election if isinstance(election, BallotSet) else parse_election(election)
    if seed is None:
        seed = default_seed(ballots)
    return _COUNTERS[ballots.method](ballots, seed=seed, **options)
