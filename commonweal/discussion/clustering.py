"""Opinion groups from a sparse agree/disagree/pass matrix, with numpy alone.

Participants are rows, statements columns, votes +1/-1 and 0 for pass or
unseen. The centred matrix is never made dense: a randomised subspace
iteration (warm-started from the previous basis when statements are the same)
finds the principal components from sparse products; k-means (k chosen by a
sampled silhouette among 2..5, seeded, warm-started from previous centroids)
groups the projections. Only per-group aggregates leave this module.
"""

from dataclasses import dataclass
from typing import TypedDict

import numpy as np

COMPONENTS = 4
K_RANGE = range(2, 6)
MIN_VOTES = 5
SILHOUETTE_SAMPLE = 1500
COMMON_SHARE = 0.6
MIN_GROUP_VOTES = 3
TOP = 10
DISTINCTIVE = 5


@dataclass
class Sparse:
    """Coordinates of the non-zero votes; `shape` = (participants, statements)."""

    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    shape: tuple[int, int]

    def matmul(self, dense: np.ndarray) -> np.ndarray:
        """self @ dense, for a (statements × k) block."""
        out = np.empty((self.shape[0], dense.shape[1]))
        for j in range(dense.shape[1]):
            out[:, j] = np.bincount(
                self.rows, weights=self.vals * dense[self.cols, j], minlength=self.shape[0]
            )
        return out

    def rmatmul(self, dense: np.ndarray) -> np.ndarray:
        """self.T @ dense, for a (participants × k) block."""
        out = np.empty((self.shape[1], dense.shape[1]))
        for j in range(dense.shape[1]):
            out[:, j] = np.bincount(
                self.cols, weights=self.vals * dense[self.rows, j], minlength=self.shape[1]
            )
        return out


@dataclass
class Clustering:
    labels: np.ndarray
    mean: np.ndarray
    components: np.ndarray
    scale: np.ndarray
    centroids: np.ndarray
    silhouette: float


def principal_components(
    matrix: Sparse,
    mean: np.ndarray,
    k: int,
    *,
    seed: int,
    start: np.ndarray | None = None,
    iterations: int = 4,
) -> np.ndarray:
    """Top-k right singular vectors of (matrix - 1·meanᵀ), as rows (k × statements).

    Subspace iteration on the statements' side only (small QRs); the final
    rotation comes from the eigenvectors of a width × width Gram matrix.
    """
    n, s = matrix.shape
    k = min(k, s, n)
    width = min(s, k + 6)
    rng = np.random.default_rng(seed)
    basis = rng.standard_normal((s, width))
    if start is not None and start.shape[1] == s:
        basis[:, : start.shape[0]] = start.T
        iterations = max(2, iterations // 2)
    total = np.ones(n)

    def times(block: np.ndarray) -> np.ndarray:
        return matrix.matmul(block) - np.outer(total, mean @ block)

    def times_t(block: np.ndarray) -> np.ndarray:
        return matrix.rmatmul(block) - np.outer(mean, block.sum(axis=0))

    basis, _ = np.linalg.qr(basis)
    for _ in range(iterations):
        basis, _ = np.linalg.qr(times_t(times(basis)))
    projected = times(basis)
    values, vectors = np.linalg.eigh(projected.T @ projected)
    order = np.argsort(-values)[:k]
    return (basis @ vectors[:, order]).T


def _squared_distances(points: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    return (
        (points**2).sum(axis=1)[:, None]
        - 2 * points @ centroids.T
        + (centroids**2).sum(axis=1)[None, :]
    )


def kmeans(
    points: np.ndarray, k: int, *, seed: int, init: np.ndarray | None = None, rounds: int = 40
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's algorithm from k-means++ seeds (or given centroids); returns labels, centroids."""
    rng = np.random.default_rng(seed)
    if init is not None and init.shape == (k, points.shape[1]):
        centroids = init.copy()
    else:
        centroids = np.empty((k, points.shape[1]))
        centroids[0] = points[rng.integers(len(points))]
        nearest = ((points - centroids[0]) ** 2).sum(axis=1)
        for i in range(1, k):
            total = nearest.sum()
            pick = rng.choice(len(points), p=nearest / total) if total > 0 else 0
            centroids[i] = points[pick]
            nearest = np.minimum(nearest, ((points - centroids[i]) ** 2).sum(axis=1))
    labels = np.full(len(points), -1, dtype=np.int64)
    for _ in range(rounds):
        new_labels = _squared_distances(points, centroids).argmin(axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        sizes = np.bincount(labels, minlength=k)
        for d in range(points.shape[1]):
            sums = np.bincount(labels, weights=points[:, d], minlength=k)
            centroids[:, d] = np.where(sizes > 0, sums / np.maximum(sizes, 1), centroids[:, d])
    return labels, centroids


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette (exact pairwise distances: call it on a sample)."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return -1.0
    distances = np.sqrt(np.maximum(_squared_distances(points, points), 0))
    own = np.searchsorted(groups, labels)
    sizes = np.bincount(own, minlength=len(groups))
    mean_to = np.stack([distances[:, own == g].sum(axis=1) for g in range(len(groups))], axis=1)
    mean_to /= np.maximum(sizes, 1)[None, :]
    rows = np.arange(len(points))
    own_size = sizes[own]
    inside = mean_to[rows, own] * own_size / np.maximum(own_size - 1, 1)
    mean_to[rows, own] = np.inf
    outside = mean_to.min(axis=1)
    scores = (outside - inside) / np.maximum(np.maximum(outside, inside), 1e-12)
    scores[own_size == 1] = 0.0
    return float(scores.mean())


def project(
    row: np.ndarray, mean: np.ndarray, components: np.ndarray, *, counted: int
) -> np.ndarray:
    """Place one member's vote row in component space, as `cluster` placed everyone.

    Rows are scaled up by how few statements were voted on (passes count as
    votes), or someone who voted little would sit near the centre only because
    most of their row is zero.
    """
    scale = np.sqrt(row.shape[1] / max(counted, 1))
    return ((row - mean) @ components.T) * scale


def cluster(
    matrix: Sparse,
    *,
    seed: int = 0,
    previous_components: np.ndarray | None = None,
    previous_centroids: np.ndarray | None = None,
) -> Clustering:
    """Group the rows of `matrix` (already limited to participants with enough votes)."""
    n, s = matrix.shape
    mean = np.bincount(matrix.cols, weights=matrix.vals, minlength=s) / max(n, 1)
    components = principal_components(
        matrix, mean, COMPONENTS, seed=seed, start=previous_components
    )
    if previous_components is not None and previous_components.shape == components.shape:
        signs = np.sign((components * previous_components).sum(axis=1))
        components *= np.where(signs == 0, 1, signs)[:, None]
    counts = np.maximum(np.bincount(matrix.rows, minlength=n), 1)
    scale = np.sqrt(s / counts)
    projected = (matrix.matmul(components.T) - mean @ components.T) * scale[:, None]
    rng = np.random.default_rng(seed)
    sample = (
        projected[rng.choice(n, SILHOUETTE_SAMPLE, replace=False)]
        if n > SILHOUETTE_SAMPLE
        else projected
    )
    best: tuple[float, int] | None = None
    for k in K_RANGE:
        if k >= len(sample):
            break
        labels, _ = kmeans(sample, k, seed=seed + k)
        score = silhouette(sample, labels)
        if best is None or score > best[0] + 1e-9:
            best = (score, k)
    if best is None:
        return Clustering(
            labels=np.zeros(n, dtype=np.int64),
            mean=mean,
            components=components,
            scale=scale,
            centroids=projected.mean(axis=0, keepdims=True)
            if n
            else np.zeros((1, len(components))),
            silhouette=0.0,
        )
    score, k = best
    labels, centroids = kmeans(projected, k, seed=seed + k, init=previous_centroids)
    order = np.argsort(-np.bincount(labels, minlength=len(centroids)), kind="stable")
    relabel = np.empty_like(order)
    relabel[order] = np.arange(len(order))
    return Clustering(
        labels=relabel[labels],
        mean=mean,
        components=components,
        scale=scale,
        centroids=centroids[order],
        silhouette=score,
    )


def group_figures(matrix: Sparse, labels: np.ndarray, groups: int) -> dict[str, np.ndarray]:
    """Per group and statement: agree, disagree and seen (voted, pass included) counts."""
    s = matrix.shape[1]
    keys = labels[matrix.rows] * s + matrix.cols
    size = groups * s
    seen = np.bincount(keys, minlength=size).reshape(groups, s)
    agree = np.bincount(keys, weights=matrix.vals > 0, minlength=size).reshape(groups, s)
    disagree = np.bincount(keys, weights=matrix.vals < 0, minlength=size).reshape(groups, s)
    return {"agree": agree, "disagree": disagree, "seen": seen}


class Summary(TypedDict):
    """`summarise`'s answer: column indexes, and each group's shares (groups × columns)."""

    common: list[int]
    divisive: list[int]
    distinctive: list[list[int]]
    agree_share: np.ndarray
    disagree_share: np.ndarray


def summarise(figures: dict[str, np.ndarray]) -> Summary:
    """Common ground, divisive statements and what is distinctive for each group (column indexes).

    Common ground: every group has enough votes and agrees (or disagrees) at
    COMMON_SHARE or more. Divisive: the widest spread of (agree - disagree)/seen
    between groups. Distinctive: furthest from everyone else's view.
    """
    agree, disagree, seen = figures["agree"], figures["disagree"], figures["seen"]
    groups = seen.shape[0]
    if not groups:  # every group was under the small-group floor
        return {
            "common": [],
            "divisive": [],
            "distinctive": [],
            "agree_share": agree,
            "disagree_share": disagree,
        }
    with np.errstate(invalid="ignore", divide="ignore"):
        agree_share = np.where(seen > 0, agree / seen, 0.0)
        disagree_share = np.where(seen > 0, disagree / seen, 0.0)
    support = agree_share - disagree_share
    enough = (seen >= MIN_GROUP_VOTES).all(axis=0)
    common_agree = enough & (agree_share >= COMMON_SHARE).all(axis=0)
    common_disagree = enough & (disagree_share >= COMMON_SHARE).all(axis=0)
    common_strength = np.where(
        common_agree,
        agree_share.min(axis=0),
        np.where(common_disagree, disagree_share.min(axis=0), -1),
    )
    common = [int(i) for i in np.argsort(-common_strength, kind="stable") if common_strength[i] > 0]
    spread = np.where(enough, support.max(axis=0) - support.min(axis=0), -1)
    divisive = [int(i) for i in np.argsort(-spread, kind="stable")[:TOP] if spread[i] > 0.3]
    distinctive = []
    for g in range(groups):
        rest_seen = seen.sum(axis=0) - seen[g]
        with np.errstate(invalid="ignore", divide="ignore"):
            rest_support = np.where(
                rest_seen > 0,
                (agree.sum(axis=0) - agree[g] - (disagree.sum(axis=0) - disagree[g])) / rest_seen,
                0.0,
            )
        gap = np.where(seen[g] >= MIN_GROUP_VOTES, np.abs(support[g] - rest_support), -1)
        distinctive.append(
            [int(i) for i in np.argsort(-gap, kind="stable")[:DISTINCTIVE] if gap[i] > 0.2]
        )
    return {
        "common": common[:TOP],
        "divisive": divisive,
        "distinctive": distinctive,
        "agree_share": agree_share,
        "disagree_share": disagree_share,
    }


def adjusted_rand_index(truth: np.ndarray, found: np.ndarray) -> float:
    """How well two labellings agree, corrected for chance (1 = identical partitions)."""
    _, a = np.unique(truth, return_inverse=True)
    _, b = np.unique(found, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / max(len(a) * (len(a) - 1) / 2, 1)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)
