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
    cnt = None
    if counts is not None:
        cnt = np.asarray(counts)
        if cnt.shape != (ranks.shape[0],) or (
            cnt.size and not np.issubdtype(cnt.dtype, np.integer)
        ):
            raise BallotError("counts must be a 1-D integer array with one entry per ranking")
        cnt = cnt.astype(np.int64, copy=False)
        if (cnt == 1).all():
            cnt = None
    planes = None if cnt is not None and cnt.size and cnt.min() < 0 else _planes(ranks, n)
    if planes is not None:
        unique, grouped = _group(planes, cnt, n)
        # Whether a ballot is valid depends only on what it says, so checking each distinct
        # ballot once (zero counts included) checks them all.
        try:
            _check_rows(method, unique, grouped, n)
        except BallotError:
            planes = None
    if planes is None:
        # Name the first offending ballot of the array as given.
        _check_rows(method, ranks, np.ones(len(ranks), np.int64) if cnt is None else cnt, n)
        raise AssertionError("a distinct ballot is invalid but no ballot of the array is")

    if not grouped.all():
        keep = grouped > 0
        unique, grouped = unique[keep], grouped[keep]
    if method == "approval" and unique.size:
        # Approval sets are unordered: sort each one so that equal sets group together.
        srt = np.sort(np.where(unique < 0, n, unique), axis=1)
        sets = np.where(srt == n, -1, srt).astype(_plane_type(n))
        unique, grouped = _group(np.ascontiguousarray(sets.T), grouped, n)
    longest = int((unique >= 0).sum(axis=1).max()) if len(unique) else 0
    unique = np.ascontiguousarray(unique[:, :longest])
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


def _planes(ranks: np.ndarray, n: int) -> np.ndarray | None:
    """The rankings transposed, ``planes[k]`` holding every ballot's ``k``-th choice, or None
    if an entry is not a candidate index or -1.

    One contiguous small-integer array per position makes the grouping a handful of
    whole-array operations. Columns past the ``n``-th are dropped: on a valid ballot they
    hold -1.
    """
    if ranks.shape[1] > n:
        if ranks.size and (ranks[:, n:] != -1).any():
            return None
        ranks = ranks[:, :n]
    if ranks.size and (ranks.min() < -1 or ranks.max() >= n):
        return None
    return np.ascontiguousarray(ranks.astype(_plane_type(n), copy=False).T)


def _plane_type(n: int) -> type[np.signedinteger]:
    """The narrowest integer type holding -1 ... n."""
    return np.int8 if n < 2**7 - 1 else np.int16 if n < 2**15 - 1 else np.int32


def _first(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0])


def _check_rows(method: str, ranks: np.ndarray, cnt: np.ndarray, n: int) -> None:
    """Check row by row and raise on the first problem, in a fixed order of checks."""
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
    # np.asarray: to numpy's stubs a reduction along an axis may be a scalar; here it is a row.
    bad = np.asarray(((ranks < -1) | (ranks >= n)).any(axis=1))
    if bad.any():
        i = _first(bad)
        raise BallotError(f"ballot {i}: unknown candidate index in {ranks[i].tolist()}")
    empty = ranks < 0
    bad = np.asarray((empty[:, :-1] & ~empty[:, 1:]).any(axis=1))
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


def _group(planes: np.ndarray, cnt: np.ndarray | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Merge identical ballots, summing their counts (``None``: one each).

    Rows come out in lexicographic order (-1 first). Each ballot becomes one integer key, its
    entries + 1 as digits of ``n.bit_length()`` bits, so the keys sort in the rows' order and
    the distinct rows are read back from the keys.
    """
    width, rows = planes.shape
    if not rows:
        return np.zeros((0, width), dtype=np.int32), np.zeros(0, dtype=np.int64)
    bits = n.bit_length()
    if bits * width <= 64:
        keys, grouped = _sum_by_key(_pack(planes, bits), cnt)
        unique = np.empty((len(keys), width), dtype=np.int32)
        for k in range(width):
            unique[:, k] = (keys >> (bits * (width - 1 - k))) & ((1 << bits) - 1)
        unique -= 1
    else:
        # Too wide for one integer: number the distinct rows (in order) and group the numbers.
        distinct, inverse = np.unique(planes.T, axis=0, return_inverse=True)
        grouped = _sum_by_key(inverse.reshape(-1), cnt)[1]
        unique = distinct.astype(np.int32)
    return unique, grouped


def _pack(planes: np.ndarray, bits: int) -> np.ndarray:
    """One unsigned key per ballot: its entries + 1 as base-2**bits digits, first most
    significant. Neighbouring positions are merged pairwise in the narrowest integer type
    that holds them, so most of the work is on 1- and 2-byte integers."""
    parts = [(digits, 1) for digits in (planes + 1).view(f"u{planes.itemsize}")]
    while len(parts) > 1:
        merged = []
        for (high, n_high), (low, n_low) in zip(parts[0::2], parts[1::2], strict=False):
            size = next(b for b in (8, 16, 32, 64) if b >= bits * (n_high + n_low))
            key = high.astype(f"u{size // 8}")
            key <<= bits * n_low
            key |= low
            merged.append((key, n_high + n_low))
        if len(parts) % 2:
            merged.append(parts[-1])
        parts = merged
    if not parts:
        return np.zeros(planes.shape[1], dtype=np.uint64)
    return parts[0][0]


def _sum_by_key(keys: np.ndarray, cnt: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys in ascending order and the summed counts (``None``: one each)."""
    if cnt is None:
        keys = np.sort(keys)
    else:
        order = np.argsort(keys)
        keys, cnt = keys[order], cnt[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    if cnt is None:
        grouped = np.diff(starts, append=len(keys)).astype(np.int64)
    else:
        grouped = np.add.reduceat(cnt, starts)
    return keys[starts], grouped
