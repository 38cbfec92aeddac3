import numpy as np
import pytest
from scoring_leads import make_leads

from crm_agent_scoring.engine.explain import (
    contributions,
    explain,
    format_percent,
    format_points,
    global_importance,
    to_points,
)
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
        assert abs(exp["model_base_log_odds"] + sum(exp["contributions"].values()) - zi) < 1e-6
        assert abs(exp["probability"] - 1 / (1 + np.exp(-zi))) < 1e-12
        # points (with the constant adjustment line) add up to score - baseline, in probability space
        assert (
            abs(
                exp["base_score"]
                + exp["adjustment_points"]
                + sum(exp["points"].values())
                - exp["score"]
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


@pytest.mark.parametrize("top_n", [1, 3, 50])
def test_shown_lines_add_up_to_the_shown_score(top_n):
    snaps, y = make_leads(900, seed=3)
    scorer = LeadScorer().fit(snaps, y)
    new_snaps, _ = make_leads(200, seed=33)
    results = explain(scorer, new_snaps, top_n=top_n)
    cut = 0
    for exp in results:
        shown = exp["raising"] + exp["lowering"]
        assert len(exp["raising"]) <= top_n and len(exp["lowering"]) <= top_n
        # floats: baseline + adjustment + shown + other factors == score
        total = exp["base_score"] + exp["adjustment_points"] + exp["other_points"]
        assert abs(total + sum(f["points"] for f in shown) - exp["score"]) < 1e-6
        # whole points as displayed: the same sum, exactly
        d = exp["display"]
        assert d["score"] == round(exp["score"]) and d["base"] == round(exp["base_score"])
        assert (
            d["base"] + d["adjustment"] + sum(d["raising"]) + sum(d["lowering"]) + d["other"]
            == (d["score"])
        )
        assert format_percent(exp["score"]) == f"{d['score']} %"
        cut += len(shown) < len(exp["points"])
    if top_n == 1:
        assert cut == len(results)  # the other-factors line is really used


def test_baseline_is_the_history_won_rate():
    snaps, y = make_leads(900, seed=4)
    scorer = LeadScorer().fit(snaps, y)
    exp = explain(scorer, snaps[:5])
    assert all(abs(e["base_score"] - 100 * y.mean()) < 1e-9 for e in exp)


def test_top_reason_follows_the_side_of_the_baseline():
    snaps, y = make_leads(1500, seed=5)
    scorer = LeadScorer().fit(snaps, y)
    new_snaps, _ = make_leads(300, seed=55)
    lows = highs = 0
    for exp in explain(scorer, new_snaps):
        if exp["top"] is None:
            continue
        if exp["score"] < exp["base_score"]:
            lows += 1
            assert exp["top"]["points"] < 0 and exp["top"] is exp["lowering"][0]
        else:
            highs += 1
            assert exp["top"]["points"] > 0 and exp["top"] is exp["raising"][0]
    assert lows > 20 and highs > 20


def test_formats():
    assert format_percent(62.49) == "62 %" and format_percent(0.4) == "0 %"
    assert (
        format_points(16.6) == "+17" and format_points(-3.2) == "-3" and format_points(0.2) == "0"
    )


def test_a_value_seen_on_one_closed_lead_carries_no_reason_of_its_own():
    snaps, y = make_leads(900, seed=6)
    snaps = [dict(s) for s in snaps]
    won = int(np.flatnonzero(y == 1)[0])
    snaps[won]["source"] = "Golden partner"  # seen once, won
    scorer = LeadScorer().fit(snaps, y)
    lead = dict(snaps[won])
    exp = explain(scorer, [lead], top_n=50)[0]
    values = {f["value"] for f in exp["raising"] + exp["lowering"] if f["feature"] == "source"}
    assert "Golden partner" not in values
    # it is read as the pooled bucket, the same as any other rare or unseen source
    same = explain(scorer, [dict(lead, source="Never seen")], top_n=50)[0]
    assert abs(same["points"]["source"] - exp["points"]["source"]) < 1e-9


def _aged_history(n, rng):
    """Won and lost leads send messages at the same rate (4 per month); won leads stay open longer.
    The outcome depends on the source only."""
    snaps, y = [], []
    for _i in range(n):
        referral = rng.random() < 0.5
        won = int(rng.random() < (0.7 if referral else 0.3))
        age = float(rng.uniform(60, 120) if won else rng.uniform(10, 40))
        snaps.append(
            {
                "source": "Referral" if referral else "Web",
                "messages_out": int(rng.poisson(4 * age / 30)),
                "age_days": age,
            }
        )
        y.append(won)
    return snaps, np.array(y)


def test_young_leads_are_not_penalised_for_few_messages():
    snaps, y = _aged_history(2000, np.random.default_rng(7))
    young = {"source": "Referral", "messages_out": 2, "age_days": 15.0}  # 4 a month, like all leads
    old = {"source": "Referral", "messages_out": 12, "age_days": 90.0}  # 4 a month

    def fit(per_month):
        spec = FeatureSpec(
            categorical=("source",),
            numeric=("messages_out",),
            use_tags=False,
            per_month=per_month,
        )
        return LeadScorer(spec=spec, stability_min_auc=None).fit(snaps, y)

    rates = fit(("messages_out",))
    young_exp, old_exp = explain(rates, [young, old], top_n=5)
    # with rates, leads sending at the same pace score alike whatever their age, and the young one
    # is not pushed down by its messages
    assert abs(young_exp["score"] - old_exp["score"]) < 1e-6
    assert young_exp["points"]["messages_out"] >= 0
    # control: as raw counts, the same young lead is pushed down by "few messages sent"
    # and the old one up, although both send 4 messages a month
    counts = fit(())
    young_counts, old_counts = explain(counts, [young, old], top_n=5)
    assert young_counts["points"]["messages_out"] < -15 < 15 < old_counts["points"]["messages_out"]
    assert young_counts["top"]["feature"] == "messages_out"
