import math

import numpy as np
import pytest

from crm_agent_scoring.engine.features import (
    OUTCOME_FIELDS,
    FeatureSpec,
    LeadFeatureEncoder,
    LeakageError,
)
from crm_agent_scoring.engine.model import LeadScorer


@pytest.mark.parametrize(
    "name", ["stage", "date_closed", "won_status", "probability", "messages_after_outcome"]
)
def test_spec_refuses_post_outcome_fields(name):
    with pytest.raises(LeakageError):
        FeatureSpec(categorical=("source", name))
    with pytest.raises(LeakageError):
        FeatureSpec(numeric=(name,))


def test_outcome_fields_in_snapshots_never_reach_the_model(leads):
    snaps, y = leads
    scorer = LeadScorer(max_iter=30).fit(snaps, y)
    assert not set(scorer.encoder_.feature_names_) & OUTCOME_FIELDS
    # Flip every outcome field: the scores must not move at all.
    flipped = [
        dict(
            s,
            stage="Lost" if s["stage"] == "Won" else "Won",
            probability=100 - s["probability"],
            won_status="lost" if s["won_status"] == "won" else "won",
            date_closed="2030-01-01",
        )
        for s in snaps[:200]
    ]
    np.testing.assert_array_equal(scorer.predict_proba(snaps[:200]), scorer.predict_proba(flipped))


def test_leaky_field_would_be_perfect_but_is_ignored(leads):
    """A snapshot key equal to the outcome would give AUC 1.0 if it leaked; it is not read."""
    snaps, y = leads
    leaky = [dict(s, won=int(t)) for s, t in zip(snaps, y, strict=False)]
    encoder = LeadFeatureEncoder().fit(leaky, y)
    assert "won" not in encoder.feature_names_
    np.testing.assert_array_equal(encoder.transform(leaky), encoder.transform(snaps))


def test_excluded_fields_are_never_used(leads):
    snaps, y = leads
    spec = FeatureSpec(excluded={"country", "lang"})
    scorer = LeadScorer(spec=spec, max_iter=30).fit(snaps, y)
    assert "country" not in scorer.encoder_.feature_names_
    assert "lang" not in scorer.encoder_.feature_names_
    assert "source" in scorer.encoder_.feature_names_
    changed = [dict(s, country="ZZ", lang="xx") for s in snaps[:100]]
    np.testing.assert_array_equal(scorer.predict_proba(snaps[:100]), scorer.predict_proba(changed))


def test_unknown_category_and_missing_number_are_nan(leads):
    snaps, y = leads
    encoder = LeadFeatureEncoder().fit(snaps, y)
    names = encoder.feature_names_
    row = encoder.transform(
        [{"source": "Never seen", "replies": None, "tags": ["vip", "unheard-of"]}]
    )[0]
    assert math.isnan(row[names.index("source")])
    assert math.isnan(row[names.index("replies")])
    assert math.isnan(row[names.index("country")])
    assert row[names.index("tag:vip")] == 1.0
    assert row[names.index("tag:newsletter")] == 0.0
    known = encoder.transform([{"source": "Referral"}])[0]
    assert encoder.describe("source", known[names.index("source")]) == "Referral"


def test_excluding_tags_drops_tag_columns(leads):
    snaps, y = leads
    encoder = LeadFeatureEncoder(FeatureSpec(excluded={"tags"})).fit(snaps, y)
    assert not [n for n in encoder.feature_names_ if n.startswith("tag:")]


def test_max_tags_keeps_the_most_frequent_tags():
    snaps = (
        [{"tags": ["common", "often"]}] * 5
        + [{"tags": ["rare", "common"]}]
        + [{"tags": ["often"]}] * 2
    )
    y = [1, 0] * 4
    names = LeadFeatureEncoder(FeatureSpec(max_tags=2, min_support=1)).fit(snaps, y).feature_names_
    assert sorted(n for n in names if n.startswith("tag:")) == ["tag:common", "tag:often"]
    names = LeadFeatureEncoder(FeatureSpec(max_tags=3, min_support=1)).fit(snaps, y).feature_names_
    assert "tag:rare" in names


def test_rare_values_are_pooled_into_one_other_bucket():
    snaps = (
        [{"source": "Referral", "tags": ["hot"]}] * 12
        + [{"source": "Web", "tags": []}] * 10
        + [{"source": "Fair", "tags": ["once"]}]
        + [{"source": "Partner", "tags": []}] * 3
    )
    y = [1, 0] * 13
    encoder = LeadFeatureEncoder(FeatureSpec(categorical=("source",), numeric=())).fit(snaps, y)
    assert encoder.pooled_ == {"source": ["Fair", "Partner"]}
    X = encoder.transform(
        [{"source": "Fair"}, {"source": "Partner"}, {"source": "never seen"}, {"source": "Web"}, {}]
    )
    col = encoder.feature_names_.index("source")
    other = encoder.other_codes_["source"]
    # both rare values and an unseen one share the bucket; a named value keeps its code; empty is NaN
    assert X[0, col] == X[1, col] == X[2, col] == other
    assert X[3, col] != other and np.isnan(X[4, col])
    assert encoder.describe("source", X[0, col]) == "another value (rare)"
    # a tag on fewer than min_support leads is not a column
    assert encoder.feature_names_.count("tag:hot") == 1 and "tag:once" not in encoder.feature_names_
    assert encoder.pooled_tags_ == ["once"]


def test_no_bucket_without_rare_values():
    snaps = [{"source": "Referral"}] * 10 + [{"source": "Web"}] * 10
    encoder = LeadFeatureEncoder(FeatureSpec(categorical=("source",), numeric=())).fit(
        snaps, [1, 0] * 10
    )
    assert encoder.other_codes_ == {}
    assert np.isnan(encoder.transform([{"source": "new"}])[0, 0])


def test_age_dependent_counts_become_rates_per_month():
    spec = FeatureSpec(
        categorical=(), numeric=("messages_out",), use_tags=False, per_month=("messages_out",)
    )
    snaps = [
        {"messages_out": 10, "age_days": 60},
        {"messages_out": 1, "age_days": 6},  # young: the age is floored at 7 days
        {"messages_out": 3, "age_days": None},
    ]
    encoder = LeadFeatureEncoder(spec).fit(snaps, [1, 0, 1])
    X = encoder.transform(snaps)
    np.testing.assert_allclose(X[:2, 0], [5.0, 30.0 / 7.0])
    assert np.isnan(X[2, 0])
    assert encoder.describe("messages_out", 5.0) == "5.0 per month"
