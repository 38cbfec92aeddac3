import numpy as np
import pytest
from scoring_leads import make_leads

from crm_agent_scoring.engine.explain import contributions, explain, global_importance, to_points
from crm_agent_scoring.engine.features import FeatureSpec
from crm_agent_scoring.engine.model import LeadScorer

MODELS = [
    dict(),
    dict(max_iter=15, max_leaf_nodes=4),
    dict(half_life=0.3, recalibration_fraction=0.3),
    dict(recalibration_fraction=0.0),  # no recalibration: fixed blend
    dict(spec=FeatureSpec(excluded={"country", "tags"}), max_leaf_nodes=31, min_samples_leaf=5),
]


@pytest.mark.parametrize("params", MODELS)
@pytest.mark.parametrize("seed", [1, 2])
def test_contributions_add_up_to_the_log_odds_for_every_lead(params, seed):
    snaps, y = make_leads(900, seed=seed)
    scorer = LeadScorer(**params).fit(snaps, y)
    new_snaps, _ = make_leads(300, seed=seed + 100)
    new_snaps += [
        {},
        {"source": "never seen", "replies": None, "tags": ["other"]},
    ]  # empty and unknown leads
    X = scorer.transform(new_snaps)
    base, phi = contributions(scorer, X)
    z = scorer.decision_function(new_snaps)
    assert np.max(np.abs(base + phi.sum(axis=1) - z)) < 1e-6
    # the same through the public explain(): log-odds, probability and points agree
    for _row, exp, zi in zip(phi, explain(scorer, new_snaps), z, strict=False):
        assert abs(exp["base_log_odds"] + sum(exp["contributions"].values()) - zi) < 1e-6
        assert abs(exp["probability"] - 1 / (1 + np.exp(-zi))) < 1e-12
        assert (
            abs(
                sum(exp["points"].values())
                - (100 * exp["probability"] - 100 / (1 + np.exp(-exp["base_log_odds"])))
            )
            < 1e-6
        )


def test_explanation_names_the_real_driver():
    snaps, y = make_leads(1500, seed=5)
    scorer = LeadScorer().fit(snaps, y)
    referral = explain(
        scorer, [{"source": "Referral", "replies": 1, "website_visits": 4.0, "tags": []}]
    )[0]
    cold = explain(
        scorer, [{"source": "Cold call", "replies": 1, "website_visits": 4.0, "tags": []}]
    )[0]
    assert referral["raising"][0]["feature"] == "source"
    assert referral["raising"][0]["text"].startswith("Source is Referral: +")
    assert cold["lowering"][0]["feature"] == "source"
    assert all(f["points"] > 0 for f in referral["raising"])
    assert all(f["points"] < 0 for f in cold["lowering"])
    top = [name for name, _ in global_importance(scorer, snaps[:500])[:3]]
    assert "source" in top and "country" not in top[:1]


def test_points_when_contributions_cancel():
    phi = np.array([[0.5, -0.5], [0.0, 0.0]])
    points = to_points(-1.0, phi)
    p0 = 1 / (1 + np.exp(1.0))
    np.testing.assert_allclose(points[0], [50 * p0 * (1 - p0), -50 * p0 * (1 - p0)])
    np.testing.assert_allclose(points[1], [0, 0])
