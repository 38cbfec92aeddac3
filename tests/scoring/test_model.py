import numpy as np
import pytest
from scoring_leads import make_leads
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from crm_agent_scoring.engine.model import MIN_LOST, MIN_WON, InsufficientHistory, LeadScorer


def test_refuses_to_train_below_minimum_history():
    snaps, y = make_leads(400, seed=3)
    won = [i for i in range(len(y)) if y[i]][: MIN_WON - 1]
    lost = [i for i in range(len(y)) if not y[i]][:300]
    idx = sorted(won + lost)
    with pytest.raises(InsufficientHistory, match="won"):
        LeadScorer().fit([snaps[i] for i in idx], y[idx])
    lost = [i for i in range(len(y)) if not y[i]][: MIN_LOST - 1]
    won = [i for i in range(len(y)) if y[i]][:100]
    idx = sorted(won + lost)
    with pytest.raises(InsufficientHistory):
        LeadScorer().fit([snaps[i] for i in idx], y[idx])


def test_trains_at_exactly_the_minimum():
    snaps, y = make_leads(600, seed=4)
    won = [i for i in range(len(y)) if y[i]][:MIN_WON]
    lost = [i for i in range(len(y)) if not y[i]][:MIN_LOST]
    idx = sorted(won + lost)
    scorer = LeadScorer(max_iter=20).fit([snaps[i] for i in idx], y[idx])
    assert scorer.n_won_ == MIN_WON and scorer.n_lost_ == MIN_LOST


def test_estimator_contract(leads):
    snaps, y = leads
    scorer = LeadScorer(max_iter=40, recalibration_fraction=0.25)
    assert not [k for k in vars(scorer) if k.endswith("_")]  # __init__ stores params only
    params = scorer.get_params()
    assert params["max_iter"] == 40 and params["recalibration_fraction"] == 0.25
    copy = clone(scorer)
    assert copy.get_params() == params and copy is not scorer
    assert scorer.fit(snaps, y) is scorer
    assert [k for k in vars(scorer) if k.endswith("_")]
    assert not [k for k in vars(copy) if k.endswith("_")]  # clone is unfitted
    proba = scorer.predict_proba(snaps[:50])
    assert proba.shape == (50, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert list(scorer.classes_) == [0, 1]
    assert set(scorer.predict(snaps[:50])) <= set(scorer.classes_)
    scorer.set_params(max_iter=10)
    assert scorer.max_iter == 10


def test_learns_the_signal_on_new_leads(leads):
    snaps, y = leads
    test_snaps, test_y = make_leads(600, seed=11)
    p = LeadScorer().fit(snaps, y).predict_proba(test_snaps)[:, 1]
    assert roc_auc_score(test_y, p) > 0.75
    assert abs(p.mean() - test_y.mean()) < 0.1  # 1,200 leads: calibration is only roughly right


def test_sample_order_is_honoured(leads):
    """Giving a shuffled history with its order must equal giving it already sorted."""
    snaps, y = leads
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(y))
    a = LeadScorer(max_iter=30).fit(snaps, y)
    b = LeadScorer(max_iter=30).fit([snaps[i] for i in perm], y[perm], sample_order=perm)
    np.testing.assert_allclose(a.predict_proba(snaps[:100]), b.predict_proba(snaps[:100]))


def test_single_lead_rescoring_matches_the_batch(leads):
    """Rescoring one changed lead gives what the batch gives (its speed is in bench/scoring)."""
    from crm_agent_scoring.engine.explain import explain

    snaps, y = leads
    scorer = LeadScorer().fit(snaps, y)
    batch = explain(scorer, snaps[:20])
    for snap, expected in zip(snaps[:20], batch, strict=True):
        (single,) = explain(scorer, [snap])
        assert single["log_odds"] == pytest.approx(expected["log_odds"], abs=1e-9)
        assert [f["feature"] for f in single["raising"]] == [
            f["feature"] for f in expected["raising"]
        ]


def test_drift_screen_leaves_out_a_field_whose_effect_reversed():
    """A field that helps in the older leads and misleads in the recent ones is screened out on training data."""
    snaps, y = make_leads(1500, seed=21, with_outcome_fields=False)
    rng = np.random.default_rng(21)
    n_old = int(0.8 * len(y))
    for i, (snap, won) in enumerate(zip(snaps, y, strict=False)):
        agrees = rng.random() < 0.85
        flag = bool(won) == agrees if i < n_old else bool(won) != agrees
        snap["campaign"] = "Spring" if flag else "Autumn"
    scorer = LeadScorer(max_iter=30).fit(snaps, y)
    assert "campaign" in scorer.unstable_fields_
    assert "campaign" not in scorer.encoder_.feature_names_
    assert "source" in scorer.encoder_.feature_names_
    kept = LeadScorer(max_iter=30, stability_min_auc=None).fit(snaps, y)
    assert "campaign" in kept.encoder_.feature_names_ and not kept.unstable_fields_
