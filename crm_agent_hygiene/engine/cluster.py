"""Cluster stage: group matched pairs into duplicate clusters without chaining.

Plain connected components chain unrelated records: A~B and B~C put A and C together even when A and
C are clearly different people (B shares a phone with one and an e-mail with the other). Here a
cluster is only accepted when *every* pair inside it is at least ``link_threshold`` likely:

1. strong edges (probability >= ``threshold``) are taken strongest first;
2. two clusters merge only if all their cross pairs score >= ``link_threshold``; pairs that were never
   scored (not candidates) are scored on demand with ``score_pairs`` (one batch call for all components);
3. a strong edge refused by rule 2 is returned as a *conflict*, for a human to look at.

This is greedy complete-linkage agglomeration restricted to strong edges.
"""

from dataclasses import dataclass, field

import numpy as np

DEFAULT_LINK_THRESHOLD = 0.5
#: Components bigger than this are not cross-checked pair by pair (cost O(n²)); their strong edges are
#: still merged greedily but only against scores already known.
MAX_CHECKED_COMPONENT = 2000


@dataclass
class Clustering:
    """``clusters``: lists of row numbers (size >= 2, sorted); ``conflicts``: refused strong edges as
    ``(i, j, probability, weakest_pair, weakest_probability)``."""

    clusters: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)


def _components(n_edges_nodes, edges):
    parent = {}

    def find(x):
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for i, j in edges:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[ri] = rj
    groups = {}
    for node in n_edges_nodes:
        groups.setdefault(find(node), []).append(node)
    return list(groups.values())


def cluster(
    pairs, probabilities, threshold=0.9, link_threshold=DEFAULT_LINK_THRESHOLD, score_pairs=None
):
    """Cluster rows from scored pairs.

    ``pairs``: ``(k, 2)`` row pairs; ``probabilities``: their match probabilities;
    ``score_pairs(array (m, 2)) -> probabilities`` scores pairs inside a component that were not
    candidates (if ``None`` such pairs count as unknown and block the merge).
    """
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    known = {}
    strong = probabilities >= threshold
    for (i, j), p in zip(pairs[strong].tolist(), probabilities[strong].tolist(), strict=True):
        known[(min(i, j), max(i, j))] = p
    edges = sorted(known.items(), key=lambda item: -item[1])
    nodes = sorted({x for pair in known for x in pair})
    result = Clustering()
    components = _components(nodes, [e for e, _p in edges])
    big = [c for c in components if len(c) > 2]
    if big:
        # the weak candidate pairs inside components, found in one vectorised pass
        label = np.full(int(pairs.max()) + 1 if len(pairs) else 0, -1, dtype=np.int64)
        for k, component in enumerate(big):
            label[component] = k
        li, lj = label[pairs[:, 0]], label[pairs[:, 1]]
        inside = ~strong & (li >= 0) & (li == lj)
        for (i, j), p in zip(pairs[inside].tolist(), probabilities[inside].tolist(), strict=True):
            known.setdefault((min(i, j), max(i, j)), p)
        if score_pairs is not None:
            missing = []
            for component in big:
                if len(component) <= MAX_CHECKED_COMPONENT:
                    ordered = sorted(component)
                    missing.extend(
                        (a, b)
                        for x, a in enumerate(ordered)
                        for b in ordered[x + 1 :]
                        if (a, b) not in known
                    )
            if missing:
                scored = score_pairs(np.asarray(missing, dtype=np.int64))
                known.update(
                    zip(missing, np.asarray(scored, dtype=np.float64).tolist(), strict=True)
                )
    edges_of = {}
    for (i, j), p in edges:
        edges_of.setdefault(i, []).append(((i, j), p))
    for component in components:
        if len(component) == 2:
            result.clusters.append(sorted(component))
            continue
        component_edges = sorted(
            (e for x in component for e in edges_of.get(x, ())), key=lambda item: -item[1]
        )
        cluster_of = {x: [x] for x in component}
        for (i, j), p in component_edges:
            a, b = cluster_of[i], cluster_of[j]
            if a is b:
                continue
            weakest, weakest_p = None, 1.0
            for x in a:
                for y in b:
                    q = known.get((min(x, y), max(x, y)), -1.0)
                    if q < weakest_p:
                        weakest, weakest_p = (min(x, y), max(x, y)), q
            if weakest_p < link_threshold:
                result.conflicts.append(
                    (i, j, p, weakest, max(weakest_p, 0.0) if weakest_p >= 0 else None)
                )
                continue
            merged = a + b
            for x in merged:
                cluster_of[x] = merged
        seen = set()
        for group in cluster_of.values():
            if len(group) >= 2 and id(group) not in seen:
                seen.add(id(group))
                result.clusters.append(sorted(group))
    result.clusters.sort()
    return result
