"""Our vectorised path-dependent TreeSHAP gives shap's own values, and adds up exactly."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from crm_agent_scoring.engine.treeshap import HistGradientBoostingShap


@pytest.mark.parametrize("max_leaf_nodes", [4, 15, 31])
def test_matches_shap_tree_explainer_with_missing_values(max_leaf_nodes):
    shap = pytest.importorskip("shap")
    rng = np.random.default_rng(max_leaf_nodes)
    X = rng.normal(size=(3000, 6))
    X[:, 2] = rng.integers(0, 5, 3000)
    y = (X[:, 0] + (X[:, 2] == 3) + 0.5 * X[:, 1] * X[:, 3] + rng.normal(size=3000) > 0.5).astype(
        int
    )
    X[rng.random(X.shape) < 0.1] = np.nan
    model = HistGradientBoostingClassifier(
        max_iter=30,
        max_leaf_nodes=max_leaf_nodes,
        min_samples_leaf=5,
        early_stopping=False,
        random_state=0,
    ).fit(X, y)
    ours = HistGradientBoostingShap(model)
    reference = shap.TreeExplainer(model)
    X_new = np.vstack([X[:500], np.full((1, 6), np.nan)])
    phi = ours.shap_values(X_new)
    np.testing.assert_allclose(phi, reference.shap_values(X_new, check_additivity=False), atol=1e-9)
    assert abs(ours.expected_value - float(np.ravel(reference.expected_value)[0])) < 1e-9
    assert (
        np.max(np.abs(ours.expected_value + phi.sum(axis=1) - model.decision_function(X_new)))
        < 1e-9
    )
