"""Exact path-dependent TreeSHAP for a fitted binary HistGradientBoostingClassifier, vectorised over leads.

Same values as ``shap.TreeExplainer(model).shap_values(X)`` (node counts as cover), computed differently:

For one leaf with value ``v`` whose path splits on the distinct features ``D``, let ``z_k`` be the share of
training leads that follow the path's conditions on feature ``k`` (product of child/parent counts) and
``o_k(x)`` be 1 if ``x`` meets all of them. The leaf's share of ``phi_j(x)`` is::

    v * (o_j - z_j) * sum_{S subset of D - {j}} |S|! (|D|-|S|-1)! / |D|! * prod_{k in S} o_k * prod_{k not in S, k != j} z_k

It depends on ``x`` only through the bits ``o_k``, so each leaf gets a table of ``2**|D|`` rows computed
once; explaining a lead is then "which bits, look up, add" per leaf. Additivity
(``expected_value + sum_j phi_j(x) == decision_function(x)``) holds by construction: the leaf's shares sum
to ``v * prod o_k - v * prod z_k``.
"""

from math import factorial

import numba
import numpy as np

TABLE_MAX_DEPTH = 12  # leaves splitting on more distinct features are computed row by row (rare)


def _shapley_weights(d):
    return np.array([factorial(s) * factorial(d - 1 - s) / factorial(d) for s in range(d)])


def _leaf_shares(z, o):
    """(n, d) shares of each path feature for the (n, d) 0/1 matrix ``o`` (before multiplying by ``v``)."""
    n, d = o.shape
    w = _shapley_weights(d)
    out = np.empty((n, d))
    for i in range(d):
        poly = np.zeros((n, d))
        poly[:, 0] = 1.0
        for k in range(d):
            if k == i:
                continue
            shifted = np.zeros_like(poly)
            shifted[:, 1:] = poly[:, :-1] * o[:, k : k + 1]
            poly = poly * z[k] + shifted
        out[:, i] = (o[:, i] - z[i]) * (poly @ w)
    return out


class _Tree:
    """One tree: internal splits, and per leaf its distinct path features, their conditions and table."""

    def __init__(self, nodes):
        internal = np.flatnonzero(nodes["is_leaf"] == 0)
        self.position = {int(node): pos for pos, node in enumerate(internal)}
        self.feature = nodes["feature_idx"][internal].astype(np.int64)
        self.threshold = nodes["num_threshold"][internal].astype(float)
        self.missing_left = nodes["missing_go_to_left"][internal].astype(bool)
        self.expected = 0.0
        self.leaves = []  # (value, features (d,), conditions [(positions, go_left)], table or z)
        count = nodes["count"].astype(float)

        def walk(node, path):
            if nodes["is_leaf"][node]:
                value = float(nodes["value"][node])
                by_feature = {}
                for parent, went_left, child in path:
                    feat = int(nodes["feature_idx"][parent])
                    entry = by_feature.setdefault(feat, [1.0, [], []])
                    entry[0] *= count[child] / count[parent]
                    entry[1].append(self.position[parent])
                    entry[2].append(went_left)
                feats = np.array(sorted(by_feature), dtype=np.int64)
                z = np.array([by_feature[f][0] for f in feats])
                self.expected += value * float(np.prod(z)) if len(feats) else value
                if not len(feats):
                    return
                conditions = [
                    (np.array(by_feature[f][1]), np.array(by_feature[f][2])) for f in feats
                ]
                d = len(feats)
                if d <= TABLE_MAX_DEPTH:
                    bits = ((np.arange(2**d)[:, None] >> np.arange(d)) & 1).astype(float)
                    self.leaves.append(
                        (value, feats, conditions, value * _leaf_shares(z, bits), None)
                    )
                else:
                    self.leaves.append((value, feats, conditions, None, z))
                return
            left, right = int(nodes["left"][node]), int(nodes["right"][node])
            walk(left, path + [(node, True, left)])
            walk(right, path + [(node, False, right)])

        walk(0, [])


# no on-disk cache: numba keys it by the importing module's name, and this module is imported both
# as crm_agent_scoring.engine (tests) and odoo.addons.crm_agent_scoring.engine (Odoo)
@numba.njit(nogil=True)
def _add_table_shares(
    X,
    node_feature,
    node_threshold,
    node_missing_left,
    cond_node,
    cond_left,
    pair_start,
    pair_feature,
    leaf_start,
    leaf_offset,
    table,
    phi,
):
    goes_left = np.empty(len(node_feature), dtype=np.bool_)
    for r in range(X.shape[0]):
        for k in range(len(node_feature)):
            x = X[r, node_feature[k]]
            goes_left[k] = node_missing_left[k] if np.isnan(x) else x <= node_threshold[k]
        for leaf in range(len(leaf_start) - 1):
            first, end = leaf_start[leaf], leaf_start[leaf + 1]
            pattern = 0
            for p in range(first, end):
                met = True
                for c in range(pair_start[p], pair_start[p + 1]):
                    if goes_left[cond_node[c]] != cond_left[c]:
                        met = False
                        break
                if met:
                    pattern |= 1 << (p - first)
            row = leaf_offset[leaf] + pattern * (end - first)
            for p in range(first, end):
                phi[r, pair_feature[p]] += table[row + p - first]


class HistGradientBoostingShap:
    """Path-dependent TreeSHAP of a binary HistGradientBoostingClassifier's raw (log-odds) output.

    All trees are flattened into arrays walked by one compiled loop (numba, already required by shap):
    per lead, the split decision of every internal node, then per leaf the bits ``o_k`` and a table row.
    """

    def __init__(self, model):
        if getattr(model, "n_trees_per_iteration_", 1) != 1:
            raise ValueError("only binary HistGradientBoostingClassifier models are supported")
        if any(node["is_categorical"] for trees in model._predictors for node in trees[0].nodes):
            raise ValueError("native categorical splits are not supported")
        trees = [_Tree(trees[0].nodes) for trees in model._predictors]
        self.n_features = model.n_features_in_
        self.expected_value = float(np.ravel(model._baseline_prediction)[0]) + sum(
            t.expected for t in trees
        )
        node_base = np.cumsum([0] + [len(t.feature) for t in trees])
        self.node_feature = np.concatenate([t.feature for t in trees] + [np.zeros(0, np.int64)])
        self.node_threshold = np.concatenate([t.threshold for t in trees] + [np.zeros(0)])
        self.node_missing_left = np.concatenate(
            [t.missing_left for t in trees] + [np.zeros(0, bool)]
        )
        cond_node, cond_left, pair_start, pair_feature, leaf_start, leaf_offset, tables = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        self.deep_leaves = []
        offset = 0
        for t, tree in enumerate(trees):
            for value, feats, conditions, table, z in tree.leaves:
                conditions = [
                    (positions + node_base[t], went_left) for positions, went_left in conditions
                ]
                if table is None:
                    self.deep_leaves.append((value, feats, conditions, z))
                    continue
                leaf_start.append(len(pair_feature))
                leaf_offset.append(offset)
                for feat, (positions, went_left) in zip(feats, conditions, strict=False):
                    pair_start.append(len(cond_node))
                    cond_node.extend(positions)
                    cond_left.extend(went_left)
                    pair_feature.append(feat)
                tables.append(table.ravel())
                offset += table.size
        self.cond_node = np.array(cond_node, dtype=np.int64)
        self.cond_left = np.array(cond_left, dtype=np.bool_)
        self.pair_start = np.array(pair_start + [len(cond_node)], dtype=np.int64)
        self.pair_feature = np.array(pair_feature, dtype=np.int64)
        self.leaf_start = np.array(leaf_start + [len(pair_feature)], dtype=np.int64)
        self.leaf_offset = np.array(leaf_offset, dtype=np.int64)
        self.table = np.concatenate(tables + [np.zeros(0)])

    def shap_values(self, X):
        """(n_leads, n_features) SHAP values of the raw log-odds; ``expected_value`` is the base."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        phi = np.zeros((len(X), self.n_features))
        _add_table_shares(
            X,
            self.node_feature,
            self.node_threshold,
            self.node_missing_left,
            self.cond_node,
            self.cond_left,
            self.pair_start,
            self.pair_feature,
            self.leaf_start,
            self.leaf_offset,
            self.table,
            phi,
        )
        if self.deep_leaves:
            col = X[:, self.node_feature]
            with np.errstate(invalid="ignore"):
                goes_left = np.where(
                    np.isnan(col), self.node_missing_left, col <= self.node_threshold
                )
            for value, feats, conditions, z in self.deep_leaves:
                o = np.column_stack(
                    [np.all(goes_left[:, p] == w, axis=1) for p, w in conditions]
                ).astype(float)
                phi[:, feats] += value * _leaf_shares(z, o)
        return phi
