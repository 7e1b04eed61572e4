"""The published-ballots JSON format: parse, validate, and write it canonically.

``{"method": "majority"|"approval"|"schulze"|"stv", "seats": N, "candidates": [...],
"ballots": [{"count": n, "ranking": [...]}]}``. Published STV test files may say
``"stv_scottish"`` or ``"stv_meek"``: that is read as ``"stv"`` with the rule as the default.
Other top-level keys (title, source, notes, expected...) are ignored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .ballots import METHODS, BallotError, BallotSet, build_ballot_set, check_candidates

STV_VARIANTS = {"stv_scottish": "scottish", "stv_meek": "meek"}


def parse_election(data: Mapping[str, Any]) -> BallotSet:
    """Validate a published-ballots dict and encode it; errors name the ballot (0-based)."""
    if not isinstance(data, Mapping):
        raise BallotError("the ballot file must be a JSON object")
    for key in ("method", "seats", "candidates", "ballots"):
        if key not in data:
            raise BallotError(f"the ballot file has no {key!r}")
    method, variant = data["method"], None
    if method in STV_VARIANTS:
        method, variant = "stv", STV_VARIANTS[method]
    if method not in METHODS:
        raise BallotError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    candidates = data["candidates"]
    if not isinstance(candidates, list):
        raise BallotError("'candidates' must be a list of names")
    check_candidates(method, candidates)
    ballots = data["ballots"]
    if not isinstance(ballots, list):
        raise BallotError("'ballots' must be a list")
    index = {c: i for i, c in enumerate(candidates) if isinstance(c, str)}
    width = max((len(b["ranking"]) for b in ballots if _is_ballot(b)), default=0)
    ranks = np.full((len(ballots), min(width, len(candidates))), -1, dtype=np.int32)
    counts = np.zeros(len(ballots), dtype=np.int64)
    for i, ballot in enumerate(ballots):
        counts[i], row = _parse_ballot(i, ballot, index)
        if method == "majority" and len(row) != 1:
            raise BallotError(f"ballot {i}: a majority ballot holds exactly one of yes/no/abstain")
        ranks[i, : len(row)] = row
    return build_ballot_set(method, data["seats"], candidates, ranks, counts, variant=variant)


def _is_ballot(b: object) -> bool:
    return isinstance(b, Mapping) and isinstance(b.get("ranking"), list)


def _parse_ballot(i: int, ballot: object, index: dict[str, int]) -> tuple[int, list[int]]:
    if not isinstance(ballot, Mapping):
        raise BallotError(f"ballot {i}: must be an object with 'count' and 'ranking'")
    count = ballot.get("count")
    if isinstance(count, bool) or not isinstance(count, int):
        raise BallotError(f"ballot {i}: count must be an integer, got {count!r}")
    if count < 0:
        raise BallotError(f"ballot {i}: negative count {count}")
    ranking = ballot.get("ranking")
    if not isinstance(ranking, list):
        raise BallotError(f"ballot {i}: ranking must be a list of candidate names")
    row: list[int] = []
    seen: set[str] = set()
    for name in ranking:
        if not isinstance(name, str) or name not in index:
            raise BallotError(f"ballot {i}: unknown candidate {name!r}")
        if name in seen:
            raise BallotError(f"ballot {i}: candidate {name!r} appears more than once")
        seen.add(name)
        row.append(index[name])
    return count, row


def load_election(source: str | Path | Mapping[str, Any]) -> BallotSet:
    """Parse a ballot file from a path, a JSON string, or an already-decoded dict."""
    if isinstance(source, Mapping):
        return parse_election(source)
    if isinstance(source, Path) or not str(source).lstrip().startswith("{"):
        text = Path(source).read_text(encoding="utf-8")
    else:
        text = str(source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BallotError(f"the ballot file is not valid JSON: {exc}") from exc
    return parse_election(data)


def election_to_dict(ballots: BallotSet) -> dict[str, Any]:
    """The grouped ballots back in the published format (identical ballots merged)."""
    names = ballots.candidates
    # One tolist() each rather than a numpy scalar per entry: this runs at every close,
    # publication and recount, over every distinct ballot.
    rows = ballots.rankings.tolist()
    return {
        "method": ballots.method,
        "seats": ballots.seats,
        "candidates": list(names),
        "ballots": [
            {"count": c, "ranking": [names[i] for i in row if i >= 0]}
            for row, c in zip(rows, ballots.counts.tolist(), strict=True)
        ],
    }


def canonical_json(ballots: BallotSet) -> str:
    """One byte-exact text per ballot set: sorted keys, no spaces, grouped and sorted ballots."""
    return json.dumps(
        election_to_dict(ballots), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def default_seed(ballots: BallotSet) -> str:
    """The lot seed used when none was recorded: sha256 of the canonical ballot file.

    It is fixed by the ballots alone, so anyone can recompute it, yet nobody could choose it
    before the ballots were cast.
    """
    return hashlib.sha256(canonical_json(ballots).encode("utf-8")).hexdigest()
