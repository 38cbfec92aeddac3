"""Exact per-lead explanations of LeadScorer scores.

For a lead ``x`` with final log-odds ``z(x) = a + b*h(x) + c*n(x)`` (see model.py):

- ``h`` is explained by TreeSHAP (exact for trees: ``h(x) = E[h] + sum_j shap_j(x)``);
- ``n`` is a sum of per-feature naive-Bayes terms ``t_j(x)``, so ``n(x) = N0 + sum_j (t_j(x) - mean_j)``
  with ``mean_j`` the term's mean over the training leads;
- so ``contribution_j = b*shap_j + c*(t_j - mean_j)`` and ``base = a + b*E[h] + c*N0`` give
  ``base + sum_j contribution_j == z(x)`` exactly (up to float rounding).

POINTS. A contribution is in log-odds; a rep reads percentage points. The baseline a rep is shown is the
history's won rate ``p_h`` ("a typical lead in your history wins 46 %"), with log-odds ``z_h``. The model's
own reference ``base`` differs from ``z_h`` by a constant ``adjustment = base - z_h`` (the blend is
calibrated on the most recent closed leads, and the log-odds of an average lead are not the average chance),
shown as its own line. So the lead's log-odds are ``z = z_h + adjustment + sum_j contribution_j``, and the
points scale every log-odds term by the same factor::

    points_j = 100 * term_j * (p - p_h) / (z - z_h)

so that ``sum(points) == 100 * (p - p_h)`` exactly: "Source is Referral: +12 points" means this field
accounts for 12 of the percentage points between this lead and a typical lead of the history. The factor is
the average slope of the sigmoid between ``z_h`` and ``z`` (at most 0.25, the slope at ``z_h`` when
``z == z_h``), so it is well behaved when terms cancel out, and a term's sign is kept: a raising factor
always has positive points.

SHOWN. The largest raising and lowering factors are shown; the rest add up to one "other factors" line.
Rounded to whole points (the one format of :func:`format_percent` / :func:`format_points`), the other-factors
line also takes the rounding rest, so the shown lines add up to the shown score exactly. The top reason
of a lead below the baseline is its most lowering factor, of a lead above it its most raising factor.
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


def format_percent(value):
    """The one format of a chance in percent (badge, tooltip, explanation): ``"62 %"``."""
    return f"{round(float(value)):d} %"


def format_points(value):
    """The one format of points: ``"+12"``, ``"-3"``, ``"0"``."""
    value = round(float(value))
    return f"{value:+d}" if value else "0"


def history_won_rate(scorer):
    """Share of won leads among the training leads (the baseline a rep is shown)."""
    return scorer.n_won_ / max(scorer.n_won_ + scorer.n_lost_, 1)


def to_points(base, phi):
    """Percentage points per term, adding up to ``100 * (p - p0)`` with ``p0 = sigmoid(base)``
    (see module docstring; ``base`` is the log-odds the points start from)."""
    phi = np.asarray(phi, dtype=float)
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


def _logit(p):
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def _rounded(score, base, adjustment, shown, other):
    """Whole points for display that add up: ``score == base + adjustment + sum(shown) + other``.
    The other-factors line takes the rounding rest."""
    r_score, r_base, r_adjustment = round(score), round(base), round(adjustment)
    r_shown = [round(x) for x in shown]
    r_other = r_score - r_base - r_adjustment - sum(r_shown)
    return r_score, r_base, r_adjustment, r_shown, r_other


def explain(scorer, X, top_n=3):
    """Scores and explanations for leads.

    :param X: list of snapshot dicts (or DataFrame)
    :return: list (one per lead) of dicts::

        {"probability": 0.42, "score": 42.0, "log_odds": -0.32,
         "base_score": 46.0,           # the history's won rate, in percent: the baseline shown
         "base_log_odds": -0.16,       # its log-odds
         "model_base_log_odds": -0.3,  # the model's own reference (base of the contributions)
         "adjustment_points": -3.1,    # constant line: model reference vs history (see module docstring)
         "contributions": {feature: log-odds}, "points": {feature: percentage points},
         "raising": [{"feature", "value", "points", "log_odds", "text"}, ...],   # largest first
         "lowering": [...],            # most lowering first
         "other_points": 1.2,          # the features not shown, together
         "top": {...} or None,         # the top reason: lowering below the baseline, raising above
         "display": {"score", "base", "adjustment", "raising", "lowering", "other"}}  # whole points

    ``base_score + adjustment_points + sum(points) == score`` (floats), and the same in ``display``
    (whole numbers, shown factors only plus ``other``).
    """
    snapshots = as_snapshots(X)
    X_encoded = scorer.encoder_.transform(snapshots)
    model_base, phi = contributions(scorer, X_encoded)
    p_h = history_won_rate(scorer)
    z_h = _logit(p_h)
    adjustment = model_base - z_h
    terms = np.column_stack([np.full(len(phi), adjustment), phi])
    all_points = to_points(z_h, terms)
    adjustment_points, points = all_points[:, 0], all_points[:, 1:]
    z = model_base + phi.sum(axis=1)
    probability = _sigmoid(z)
    names = scorer.encoder_.feature_names_
    labels = [_label(name) for name in names]
    order = np.argsort(-points, axis=1, kind="stable")
    base_score = 100 * float(_sigmoid(z_h))

    def factor(i, j):
        value = scorer.encoder_.describe(names[j], X_encoded[i, j])
        pts = float(points[i, j])
        return {
            "feature": names[j],
            "value": value,
            "points": pts,
            "log_odds": float(phi[i, j]),
            "text": f"{labels[j]} is {value}: {format_points(pts)} points",
        }

    out = []
    for i, (phi_row, points_row, order_row) in enumerate(
        zip(phi.tolist(), points.tolist(), order.tolist(), strict=False)
    ):
        # Only the shown factors are described: largest raising first, most lowering first.
        shown_raising = [j for j in order_row[:top_n] if points_row[j] > 0]
        shown_lowering = [j for j in order_row[::-1][:top_n] if points_row[j] < 0]
        raising = [factor(i, j) for j in shown_raising]
        lowering = [factor(i, j) for j in shown_lowering]
        shown = set(shown_raising) | set(shown_lowering)
        other = float(sum(x for j, x in enumerate(points_row) if j not in shown))
        p = float(probability[i])
        score = 100 * p
        if score < base_score:
            top = lowering[0] if lowering else None
        else:
            top = raising[0] if raising else None
        r_score, r_base, r_adjustment, r_shown, r_other = _rounded(
            score,
            base_score,
            float(adjustment_points[i]),
            [f["points"] for f in raising + lowering],
            other,
        )
        out.append(
            {
                "probability": p,
                "score": score,
                "log_odds": float(z[i]),
                "base_score": base_score,
                "base_log_odds": z_h,
                "model_base_log_odds": float(model_base),
                "adjustment_points": float(adjustment_points[i]),
                "contributions": dict(zip(names, phi_row, strict=False)),
                "points": dict(zip(names, points_row, strict=False)),
                "raising": raising,
                "lowering": lowering,
                "other_points": other,
                "top": top,
                "display": {
                    "score": r_score,
                    "base": r_base,
                    "adjustment": r_adjustment,
                    "raising": r_shown[: len(raising)],
                    "lowering": r_shown[len(raising) :],
                    "other": r_other,
                },
            }
        )
    return out


def global_importance(scorer, X):
    """Mean absolute log-odds contribution per feature over the given leads, largest first."""
    _base, phi = contributions(scorer, scorer.encoder_.transform(as_snapshots(X)))
    importance = np.abs(phi).mean(axis=0)
    order = np.argsort(-importance, kind="stable")
    return [(scorer.encoder_.feature_names_[j], float(importance[j])) for j in order]
