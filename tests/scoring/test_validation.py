import numpy as np
import pytest
from scoring_leads import make_leads

from crm_agent_scoring.engine.model import LeadScorer
from crm_agent_scoring.engine.validation import (
    PlsBaseline,
    calibration_table,
    lift,
    metrics,
    rolling_origin,
    segment_report,
    time_holdout,
    verdict,
)


def test_metrics_on_known_values():
    y = np.array([0, 0, 1, 1])
    m = metrics(y, np.array([0.1, 0.4, 0.35, 0.8]))
    assert m["auc"] == pytest.approx(0.75)
    assert m["brier"] == pytest.approx((0.01 + 0.16 + 0.4225 + 0.04) / 4)
    assert lift(y, np.array([0.1, 0.4, 0.35, 0.8]), 0.25) == pytest.approx(2.0)
    table = calibration_table(np.array([0, 1] * 50), np.linspace(0, 1, 100))
    assert len(table) == 10 and sum(r["n"] for r in table) == 100
    assert table[0]["mean_predicted"] < table[-1]["mean_predicted"]


def test_verdict_needs_all_three():
    pls = {"auc": 0.70, "brier": 0.20, "log_loss": 0.60}
    assert verdict({"auc": 0.73, "brier": 0.19, "log_loss": 0.55}, pls)["beats_pls"]
    assert not verdict({"auc": 0.71, "brier": 0.19, "log_loss": 0.55}, pls)["beats_pls"]
    assert not verdict({"auc": 0.80, "brier": 0.21, "log_loss": 0.55}, pls)["beats_pls"]


def test_time_holdout_compares_with_pls_on_the_same_leads():
    snaps, y = make_leads(1500, seed=7, with_outcome_fields=False)
    result = time_holdout(snaps, y, holdout_fraction=0.3)
    assert result["ours"]["n"] == result["pls"]["n"] == 450
    assert 0.5 < result["pls"]["auc"] < 1 and 0.5 < result["ours"]["auc"] < 1
    assert set(result["verdict"]["checks"]) == {"auc", "brier", "log_loss"}
    # PLS figures are Odoo's rounded percentages
    percent = result["p_pls"] * 100
    np.testing.assert_allclose(np.round(percent, 2), percent, atol=1e-9)


def test_rolling_origin_reports_each_block():
    snaps, y = make_leads(1400, seed=8, with_outcome_fields=False)
    result = rolling_origin(
        snaps, y, n_blocks=3, initial_fraction=0.5, scorer_factory=lambda: LeadScorer(max_iter=30)
    )
    assert len(result["blocks"]) == 3
    assert result["mean"]["ours"]["auc"] == pytest.approx(
        np.mean([b["ours"]["auc"] for b in result["blocks"]])
    )


def test_pls_baseline_ranks_the_strong_source_first():
    snaps, y = make_leads(1500, seed=9)
    pls = PlsBaseline().fit(snaps, y)
    p = pls.predict([{"source": "Referral"}, {"source": "Cold call"}])
    assert p[0] > p[1]


def test_segment_report():
    snaps = [{"country": "BE"}] * 4 + [{"country": "FR"}] * 3 + [{}]
    y = np.array([1, 0, 1, 0, 0, 0, 0, 1])
    p = np.array([0.9, 0.2, 0.6, 0.4, 0.1, 0.2, 0.3, 0.5])
    rows = {r["segment"]: r for r in segment_report(snaps, y, p, "country")}
    assert rows["BE"]["n"] == 4 and rows["BE"]["auc"] == pytest.approx(1.0)
    assert rows["BE"]["mean_score"] == pytest.approx(52.5)
    assert rows["FR"]["auc"] is None and rows["FR"]["won_rate"] == 0
    assert rows["unknown"]["n"] == 1
