"""Validated, grouped ballots encoded as numpy arrays.

Counting a million ballots is only fast if identical ballots are counted once: a ``BallotSet``
always holds unique rankings (an int matrix padded with -1) with the number of voters who cast
each one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

METHODS = ("majority", "approval", "schulze", "stv")
MAJORITY_CHOICES = ("yes", "no", "abstain")


class BallotError(ValueError):
    """A ballot file or ballot array that cannot be counted; the message names the problem."""


class OptionError(ValueError):
    """A counting option that is unknown or inconsistent with the ballots."""


@dataclass(frozen=True, eq=False)
class BallotSet:
    """Unique rankings with their counts, ready for any counting method.

    ``rankings[g, k]`` is the index (into ``candidates``) of the candidate at position ``k`` on
    ballot group ``g``, or -1 past the end of the ranking. For approval the "ranking" is the set
    of approved candidates; for majority it holds one of yes/no/abstain.
    """

    method: str
    seats: int
    candidates: tuple[str, ...]
    rankings: np.ndarray
    counts: np.ndarray
    variant: str | None = None

    @property
    def n_candidates(self) -> int:
        return len(self.candidates)

    @property
    def total(self) -> int:
        """Number of ballots cast (blank ones included)."""
        return int(self.counts.sum())

    def ranking(self, group: int) -> list[str]:
        """Candidate names of one ballot group, in ranked order."""
        return [self.candidates[i] for i in self.rankings[group] if i >= 0]

    def positions(self) -> np.ndarray:
        """Per group, the position at which each candidate is ranked; unranked = n_candidates.

        Giving every unranked candidate the same, worst position encodes the convention that a
        ranked candidate beats every unranked one and unranked candidates are equal.
        """
        g, width = self.rankings.shape
        n = self.n_candidates
        pos = np.full((g, n + 1), n, dtype=np.int16)
        rows = np.arange(g)[:, None]
        cols = np.where(self.rankings >= 0, self.rankings, n)
        pos[rows, cols] = np.arange(width, dtype=np.int16)[None, :]
        return pos[:, :n]

    def first_choice_counts(self) -> np.ndarray:
        """Votes per candidate counting only each ballot's first entry."""
        first = self.rankings[:, 0] if self.rankings.shape[1] else np.full(len(self.counts), -1)
        out = np.zeros(self.n_candidates, dtype=np.int64)
        np.add.at(out, first[first >= 0], self.counts[first >= 0])
        return out


def build_ballot_set(
    method: str,
    seats: int,
    candidates: Sequence[str],
    rankings: np.ndarray,
    counts: np.ndarray | None = None,
    *,
    variant: str | None = None,
) -> BallotSet:
    """Validate an encoded ballot array and group identical ballots.

    Row indices in error messages are those of ``rankings`` as given (0-based), so a caller
    that built the array from a ballot file can point at the offending ballot.
    """
    if method not in METHODS:
        raise BallotError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    cands = check_candidates(method, candidates)
    n = len(cands)
    if isinstance(seats, bool) or not isinstance(seats, int | np.integer):
        raise BallotError(f"seats must be an integer, got {seats!r}")
    max_seats = 1 if method == "majority" else n
    if not 1 <= seats <= max_seats:
        raise BallotError(f"seats must be between 1 and {max_seats} for {method}, got {seats}")

    ranks = np.asarray(rankings)
    if ranks.ndim != 2 or (ranks.size and not np.issubdtype(ranks.dtype, np.integer)):
        raise BallotError("rankings must be a 2-D integer array padded with -1")
    ranks = ranks.astype(np.int32, copy=False)
    rows = ranks.shape[0]
    cnt = np.ones(rows, dtype=np.int64) if counts is None else np.asarray(counts)
    if cnt.shape != (rows,) or (cnt.size and not np.issubdtype(cnt.dtype, np.integer)):
        raise BallotError("counts must be a 1-D integer array with one entry per ranking")
    cnt = cnt.astype(np.int64, copy=False)
    _check_rows(method, ranks, cnt, n)

    keep = cnt > 0
    ranks, cnt = ranks[keep], cnt[keep]
    if ranks.shape[1] and ranks.shape[0]:
        width = int((ranks >= 0).sum(axis=1).max())
        ranks = ranks[:, :width]
    else:
        ranks = ranks[:, :0]
    if method == "approval" and ranks.shape[1]:
        # Approval sets are unordered: sort so that equal sets group together.
        srt = np.sort(np.where(ranks < 0, n, ranks), axis=1)
        ranks = np.where(srt == n, -1, srt).astype(np.int32)
    unique, grouped = _group(ranks, cnt, n)
    return BallotSet(method, int(seats), cands, unique, grouped, variant)


def check_candidates(method: str, candidates: Sequence[str]) -> tuple[str, ...]:
    """The candidate list as a tuple, if it is non-empty, unique and fits the method."""
    cands = tuple(candidates)
    if not cands:
        raise BallotError("the candidate list is empty")
    for i, c in enumerate(cands):
        if not isinstance(c, str) or not c.strip():
            raise BallotError(f"candidate {i} must be a non-empty string, got {c!r}")
    seen: set[str] = set()
    for c in cands:
        if c in seen:
            raise BallotError(f"candidate {c!r} is listed twice")
        seen.add(c)
    if method == "majority" and sorted(cands) != sorted(MAJORITY_CHOICES):
        raise BallotError("a majority vote has exactly the candidates 'yes', 'no' and 'abstain'")
    return cands


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _check_rows(method: str, ranks: np.ndarray, cnt: np.ndarray, n: int) -> None:
    if not ranks.size:
        if cnt.size and (cnt < 0).any():
            raise BallotError(f"ballot {_first(cnt < 0)}: negative count")
        if method == "majority" and cnt.size:
            raise BallotError("ballot 0: a majority ballot holds exactly one of yes/no/abstain")
        return
    bad = cnt < 0
    if bad.any():
        i = _first(bad)
        raise BallotError(f"ballot {i}: negative count {int(cnt[i])}")
    bad = ((ranks < -1) | (ranks >= n)).any(axis=1)
    if bad.any():
        i = _first(bad)
        raise BallotError(f"ballot {i}: unknown candidate index in {ranks[i].tolist()}")
    empty = ranks < 0
    bad = (empty[:, :-1] & ~empty[:, 1:]).any(axis=1)
    if bad.any():
        raise BallotError(f"ballot {_first(bad)}: a gap (-1) precedes a ranked candidate")
    srt = np.sort(ranks, axis=1)
    bad = ((srt[:, 1:] == srt[:, :-1]) & (srt[:, 1:] >= 0)).any(axis=1)
    if bad.any():
        i = _first(bad)
        row = srt[i]
        dup = int(row[1:][(row[1:] == row[:-1]) & (row[1:] >= 0)][0])
        raise BallotError(f"ballot {i}: candidate index {dup} is ranked more than once")
    if method == "majority":
        bad = (~empty).sum(axis=1) != 1
        if bad.any():
            raise BallotError(
                f"ballot {_first(bad)}: a majority ballot holds exactly one of yes/no/abstain"
            )


def _group(ranks: np.ndarray, cnt: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Merge identical rows, summing their counts; rows come out in lexicographic order."""
    if not ranks.shape[0]:
        return ranks.reshape(0, ranks.shape[1]), cnt
    width = ranks.shape[1]
    base = n + 1
    if width and base**width < 2**62:
        # One int64 key per row (base n+1, -1 -> 0) is much faster than unique(axis=0).
        key = np.zeros(ranks.shape[0], dtype=np.int64)
        for k in range(width):
            key = key * base + (ranks[:, k] + 1)
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        unique = ranks[first]
    else:
        unique, inverse = np.unique(ranks, axis=0, return_inverse=True)
    grouped = np.zeros(unique.shape[0], dtype=np.int64)
    np.add.at(grouped, inverse.reshape(-1), cnt)
    return np.ascontiguousarray(unique, dtype=np.int32), grouped
