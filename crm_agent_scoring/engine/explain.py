"""Exact per-lead explanations of LeadScorer scores.

For a lead ``x`` with final log-odds ``z(x) = a + b*h(x) + c*n(x)`` (see model.py):

- ``h`` is explained by TreeSHAP (exact for trees: ``h(x) = E[h] + sum_j shap_j(x)``);
- ``n`` is a sum of per-feature naive-Bayes terms ``t_j(x)``, so ``n(x) = N0 + sum_j (t_j(x) - mean_j)``
  with ``mean_j`` the term's mean over the training leads;
- so ``contribution_j = b*shap_j + c*(t_j - mean_j)`` and ``base = a + b*E[h] + c*N0`` give
  ``base + sum_j contribution_j == z(x)`` exactly (up to float rounding).

POINTS. A contribution is in log-odds. To show it to a rep we turn it into percentage points that add up
exactly: ``points_j = 100 * contribution_j * (p - p0) / (z - z0)``, where ``p`` is the lead's shown chance,
``p0 = sigmoid(base)`` the chance of an average lead and ``z - z0`` the sum of contributions. The sum of
points is therefore ``100 * (p - p0)``: "Source is Referral: +12 points" means this field accounts for 12 of
the percentage points between this lead and an average lead. The factor is the average slope of the
sigmoid between ``z0`` and ``z`` (at most 0.25), so it is well behaved when contributions cancel out.
"""

import numpy as np

from .features import TAG_PREFIX
from .model import as_snapshots
from .treeshap import HistGradientBoostingShap


def _tree_explainer(scorer):
    explainer = getattr(scorer, "_tree_explainer", None)
    if explainer is None:
        explainer = HistGradientBoostingShap(scorer.trees_)
        scorer._tree_explainer = explainer
    return explainer


def _naive_bayes_means(scorer):
    means = getattr(scorer, "naive_bayes_means_", None)
    if means is None:
        raise ValueError("scorer has no naive_bayes_means_: refit it with this engine version")
    return means


def contributions(scorer, X_encoded):
    """Exact log-odds contributions.

    :return: ``(base, phi)``: ``base`` a float, ``phi`` an array (n_leads, n_features) such that
        ``base + phi.sum(1) == scorer.decision_function_encoded(X_encoded)``
    """
    X_encoded = np.asarray(X_encoded, dtype=float)
    explainer = _tree_explainer(scorer)
    tree_phi = explainer.shap_values(X_encoded)
    tree_base = explainer.expected_value
    means = _naive_bayes_means(scorer)
    nb_phi = scorer.naive_bayes_.terms(X_encoded) - means
    b, c = scorer.blend_coef_
    base = scorer.blend_intercept_ + b * tree_base + c * (scorer.naive_bayes_.prior_ + means.sum())
    return base, b * tree_phi + c * nb_phi


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def to_points(base, phi):
    """Percentage points per feature, adding up to ``100 * (p - p0)`` (see module docstring)."""
    total = phi.sum(axis=1)
    p0 = _sigmoid(base)
    p = _sigmoid(base + total)
    slope = np.where(
        np.abs(total) > 1e-12, (p - p0) / np.where(total == 0, 1, total), p0 * (1 - p0)
    )
    return 100.0 * phi * slope[:, None]


def _label(feature):
    if feature.startswith(TAG_PREFIX):
        return f"Tag {feature[len(TAG_PREFIX):]}"
    return feature.replace("_", " ").capitalize()


def explain(scorer, X, top_n=3):
    """Scores and explanations for leads.

    :param X: list of snapshot dicts (or DataFrame)
    :return: list (one per lead) of dicts::

        {"probability": 0.42, "score": 42.0, "log_odds": -0.32, "base_log_odds": -1.1, "base_score": 25.0,
         "contributions": {feature: log-odds}, "points": {feature: percentage points},
         "raising": [{"feature", "value", "points", "log_odds", "text"}, ...],   # largest first
         "lowering": [...]}
    """
    snapshots = as_snapshots(X)
    X_encoded = scorer.encoder_.transform(snapshots)
    base, phi = contributions(scorer, X_encoded)
    points = to_points(base, phi)
    z = base + phi.sum(axis=1)
    probability = _sigmoid(z)
    names = scorer.encoder_.feature_names_
    labels = [_label(name) for name in names]
    order = np.argsort(-points, axis=1, kind="stable")
    base_score = round(100 * float(_sigmoid(base)), 2)

    def factor(i, j):
        value = scorer.encoder_.describe(names[j], X_encoded[i, j])
        pts = float(points[i, j])
        return {
            "feature": names[j],
            "value": value,
            "points": pts,
            "log_odds": float(phi[i, j]),
            "text": f"{labels[j]} is {value}: {pts:+.0f} points",
        }

    out = []
    for i, (phi_row, points_row, order_row) in enumerate(
        zip(phi.tolist(), points.tolist(), order.tolist(), strict=False)
    ):
        # Only the shown factors are described: largest raising first, most lowering first.
        raising = [factor(i, j) for j in order_row[:top_n] if points_row[j] > 0]
        lowering = [factor(i, j) for j in order_row[::-1][:top_n] if points_row[j] < 0]
        p = float(probability[i])
        out.append(
            {
                "probability": p,
                "score": round(100 * p, 2),
                "log_odds": float(z[i]),
                "base_log_odds": float(base),
                "base_score": base_score,
                "contributions": dict(zip(names, phi_row, strict=False)),
                "points": dict(zip(names, points_row, strict=False)),
                "raising": raising,
                "lowering": lowering,
            }
        )
    return out


def global_importance(scorer, X):
    """Mean absolute log-odds contribution per feature over the given leads, largest first."""
    _base, phi = contributions(scorer, scorer.encoder_.transform(as_snapshots(X)))
    importance = np.abs(phi).mean(axis=0)
    order = np.argsort(-importance, kind="stable")
    return [(scorer.encoder_.feature_names_[j], float(importance[j])) for j in order]
