import numpy as np
import pytest

from crm_agent_scoring.engine import storage
from crm_agent_scoring.engine.explain import explain
from crm_agent_scoring.engine.model import LeadScorer


@pytest.fixture(scope="module")
def fitted(leads):
    snaps, y = leads
    return LeadScorer(max_iter=30).fit(snaps, y)


def test_round_trip_keeps_scores(fitted, leads):
    snaps, _ = leads
    explain(fitted, snaps[:1])  # a cached explainer must not be saved
    data, digest = storage.dumps(fitted)
    assert len(digest) == 64
    loaded = storage.loads(data, digest)
    np.testing.assert_array_equal(
        loaded.predict_proba(snaps[:100]), fitted.predict_proba(snaps[:100])
    )
    assert explain(loaded, snaps[:1])[0]["score"] == explain(fitted, snaps[:1])[0]["score"]


def test_tampered_bytes_are_refused(fitted):
    data, digest = storage.dumps(fitted)
    tampered = bytearray(data)
    tampered[len(tampered) // 2] ^= 0xFF
    with pytest.raises(storage.ModelIntegrityError):
        storage.loads(bytes(tampered), digest)
    with pytest.raises(storage.ModelIntegrityError):
        storage.loads(data, "0" * 64)
    with pytest.raises(storage.ModelIntegrityError):
        storage.loads(data, "")


def test_foreign_pickle_with_matching_hash_is_refused():
    import hashlib
    import pickle

    data = pickle.dumps({"not": "a model"})
    with pytest.raises(storage.ModelIntegrityError):
        storage.loads(data, hashlib.sha256(data).hexdigest())
