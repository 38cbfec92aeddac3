"""The one way to propose and the one "never ask twice" rule (crm_agent/engine/proposal.py)."""

from datetime import datetime, timedelta

import pytest

from crm_agent.engine.proposal import (
    NOT_NOW,
    NOT_NOW_DAYS,
    REJECTION_MEMORY_DAYS,
    WRONG,
    Proposal,
    blocks,
    fresh,
    propose,
)

NOW = datetime(2026, 11, 30, 12, 0)


def _proposal(key="k", **kwargs):
    return propose(
        "crm.lead",
        7,
        "update_fields",
        "Set the phone",
        "Not E.164.",
        0.9,
        "hygiene",
        key=key,
        **kwargs,
    )


def test_to_vals_carries_values_depends_on_and_record_ids():
    vals = _proposal(values={"phone": "+1"}, depends_on=("phone",), record_ids=(8, "9")).to_vals()
    assert vals["payload"] == {
        "values": {"phone": "+1"},
        "depends_on": ["phone"],
        "record_ids": [8, 9],
    }
    assert vals["dedup_key"] == "k"
    assert (vals["res_model"], vals["res_id"], vals["source"]) == ("crm.lead", 7, "hygiene")


def test_to_vals_without_key_has_no_fingerprint():
    assert "dedup_key" not in _proposal(key="").to_vals()


@pytest.mark.parametrize("state", ["proposed", "waiting", "approved", "done"])
def test_open_and_done_actions_block_forever(state):
    assert blocks(state, NOW - timedelta(days=4000), NOW)


@pytest.mark.parametrize("state", ["expired", "stale", "failed"])
def test_expired_stale_and_failed_do_not_block(state):
    assert not blocks(state, NOW, NOW)


@pytest.mark.parametrize("state", ["rejected", "undone"])
def test_declined_blocks_for_the_memory_only(state):
    assert blocks(state, NOW - timedelta(days=REJECTION_MEMORY_DAYS - 1), NOW)
    assert not blocks(state, NOW - timedelta(days=REJECTION_MEMORY_DAYS + 1), NOW)
    assert blocks(state, None, NOW)


def test_rejected_as_wrong_blocks_forever():
    assert blocks("rejected", NOW - timedelta(days=4000), NOW, rejection=WRONG)


def test_rejected_as_not_now_blocks_for_the_shorter_period_only():
    assert blocks("rejected", NOW - timedelta(days=NOT_NOW_DAYS - 1), NOW, rejection=NOT_NOW)
    assert not blocks("rejected", NOW - timedelta(days=NOT_NOW_DAYS + 1), NOW, rejection=NOT_NOW)
    # the period is a setting
    old = NOW - timedelta(days=10)
    assert not blocks("rejected", old, NOW, rejection=NOT_NOW, not_now_days=7)
    assert blocks("rejected", old, NOW, rejection=NOT_NOW, not_now_days=11)


def test_fresh_reads_the_rejection_kind():
    earlier = [
        ("a", "rejected", NOW - timedelta(days=NOT_NOW_DAYS + 1), NOT_NOW),
        ("b", "rejected", NOW - timedelta(days=REJECTION_MEMORY_DAYS + 1), WRONG),
    ]
    kept = fresh([_proposal("a"), _proposal("b")], earlier, NOW)
    assert [p.key for p in kept] == ["a"]


def test_fresh_skips_blocked_keys_and_duplicates_within_a_run():
    proposals = [_proposal("a"), _proposal("b"), _proposal("b"), _proposal(""), _proposal("")]
    kept = fresh(proposals, [("a", "waiting", None), ("c", "done", None)], NOW)
    assert [p.key for p in kept] == ["b", "", ""]


def test_fresh_accepts_vals_dicts():
    kept = fresh([{"dedup_key": "a"}, {"dedup_key": "z"}], [("a", "stale", NOW)], NOW)
    assert [v["dedup_key"] for v in kept] == ["a", "z"]


def test_proposal_is_immutable():
    with pytest.raises(AttributeError):
        _proposal().key = "other"  # type: ignore[misc]
    assert isinstance(_proposal(), Proposal)
