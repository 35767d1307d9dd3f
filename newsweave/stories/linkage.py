"""Agglomerative clustering over a sparse similarity graph.

Only the pairs an index proposed carry a similarity; every other pair counts
as 0. :func:`average_linkage` merges, again and again, the two clusters with
the highest *average* similarity over all their cross pairs (missing pairs
counting 0) until none reaches the threshold: UPGMA on a sparse graph. It
costs ``O(E log E)`` for ``E`` edges, so a set of articles with a bounded
number of candidates each is clustered in time linear in its size.

:func:`link_components` is the looser single-link step ``brief`` uses: two
clusters become one when any pair between them reaches a threshold.

>>> average_linkage(4, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.1, (2, 3): 0.2}, 0.5)
[0, 0, 2, 3]
>>> average_linkage(3, {(0, 1): 0.9, (1, 2): 0.8, (0, 2): 0.7}, 0.5)
[0, 0, 0]
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping

__all__ = ["average_linkage", "link_components"]


def average_linkage(n: int, sims: Mapping[tuple[int, int], float], threshold: float) -> list[int]:
    """Clusters of items ``0..n-1`` by average linkage; each item's label is its cluster's
    lowest item index.

    Args:
        n: the number of items.
        sims: similarity per pair ``(i, j)`` (either order; a pair given twice keeps the higher).
        threshold: clusters merge while their average similarity is at least this.

    Ties merge the pair with the lowest indices first, so the result depends on
    the items' order only through their indices (deterministic).
    """
    size = [1] * n
    alive = [True] * n
    parent = list(range(n))
    # w[a][b]: summed similarity between clusters a and b (a and b are cluster roots)
    w: list[dict[int, float]] = [{} for _ in range(n)]
    for (i, j), s in sims.items():
        if i == j or s <= 0.0:
            continue
        if s > w[i].get(j, 0.0):
            w[i][j] = s
            w[j][i] = s
    heap = [(-s, i, j) for i in range(n) for j, s in w[i].items() if i < j]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]):
            continue
        cur = w[a].get(b, 0.0) / (size[a] * size[b])
        if abs(cur + neg) > 1e-12:  # stale: the pair's average changed since it was pushed
            continue
        if cur < threshold:
            break
        keep, gone = (a, b) if a < b else (b, a)
        alive[gone] = False
        parent[gone] = keep
        size[keep] += size[gone]
        w[keep].pop(gone, None)
        for c, s in w[gone].items():
            if c == keep:
                continue
            w[c].pop(gone, None)
            w[keep][c] = w[keep].get(c, 0.0) + s
            w[c][keep] = w[keep][c]
        w[gone] = {}
        for c, s in w[keep].items():
            avg = s / (size[keep] * size[c])
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(keep, c), max(keep, c)))
    out = []
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        out.append(r)
    return out


def link_components(labels: list[int], pairs: Mapping[tuple[int, int], float], threshold: float) -> list[int]:
    """Join clusters that any pair scoring at least ``threshold`` links (union-find);
    each item's new label is its joined cluster's lowest label.

    >>> link_components([0, 0, 2, 3], {(1, 2): 0.4, (2, 3): 0.1}, 0.3)
    [0, 0, 0, 3]
    """
    parent = {lab: lab for lab in labels}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (i, j), s in pairs.items():
        if s >= threshold:
            a, b = find(labels[i]), find(labels[j])
            if a != b:
                parent[max(a, b)] = min(a, b)
    return [find(lab) for lab in labels]
