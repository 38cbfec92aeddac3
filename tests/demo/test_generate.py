"""The demo business generator: deterministic per seed, the shape the demo promises, and a
closed-lead history on which our scoring beats Odoo's PLS (so the demo never shows a model that lost)."""

import ast
import pathlib
from datetime import datetime

import pytest
from demo_data.generate import SIZES, closed_history, generate, snapshot

from crm_agent_scoring.engine.features import OUTCOME_FIELDS
from crm_agent_scoring.engine.validation import time_holdout

NOW = datetime(2026, 6, 15, 10, 0, 0)


@pytest.fixture(scope="module")
def full():
    return generate(seed=1, size="full", now=NOW)


def test_same_seed_same_business_other_seed_other_business():
    a, b = generate(seed=7, size="small", now=NOW), generate(seed=7, size="small", now=NOW)
    assert a == b
    c = generate(seed=8, size="small", now=NOW)
    assert [lead["name"] for lead in c.closed_leads] != [lead["name"] for lead in a.closed_leads]


def test_the_business_has_the_promised_shape(full):
    assert len(full.teams) == 3
    reps = [u for u in full.users if u["role"] == "rep"]
    assert len(reps) == 6 and {u["team"] for u in reps} == {0, 1, 2}
    assert [u["login"] for u in full.users if u["role"] == "approver"] == ["approver"]
    assert len(full.closed_leads) == SIZES["full"]["closed"] == 3000
    assert len(full.open_leads) == 400
    people = len(full.companies) + len(full.contacts) + len(full.duplicates)
    assert 900 <= people <= 1100
    created = [lead["create_date"] for lead in full.closed_leads]
    assert (max(created) - min(created)).days > 600  # two years of history
    won = sum(lead["won"] for lead in full.closed_leads)
    assert 0.25 < won / 3000 < 0.75
    assert all(lead["date_closed"] > lead["create_date"] for lead in full.closed_leads)
    assert all(lead["date_closed"] < NOW for lead in full.closed_leads)
    assert {mail["lang"] for mail in full.mails} == {"en", "fr", "de", "nl"}
    assert all(meeting["stop"] < NOW and meeting["notes"] for meeting in full.meetings)


def test_duplicates_differ_from_their_original_but_keep_the_company(full):
    originals = {c["ref"]: c for c in full.contacts}
    hows = set()
    for dup in full.duplicates:
        original = originals[dup["of"]]
        assert dup["company"] == original["company"]
        assert dup["name"] != original["name"] or dup["phone"] != original["phone"]
        assert dup["phone"] != original["phone"]  # the other phone format
        hows.add(dup["how"])
    assert {"typo", "reordered", "nickname"} <= hows


def test_snapshots_hold_no_outcome_field(full):
    snaps, labels = closed_history(full)
    assert len(snaps) == len(labels) == 3000
    assert not set().union(*map(set, snaps)) & OUTCOME_FIELDS
    open_snap = snapshot(full.open_leads[0])
    assert open_snap["age_days"] == 0.0 and "won" not in open_snap


@pytest.mark.parametrize("seed,size", [(1, "full"), (2, "full"), (1, "small")])
def test_our_scoring_beats_pls_on_the_generated_history(seed, size):
    """The demo's default seed, another one, and the small demo the CI builds."""
    business = generate(seed=seed, size=size, now=NOW)
    snaps, labels = closed_history(business)
    result = time_holdout(snaps, labels, holdout_fraction=0.3)  # what training does in Odoo
    assert result["verdict"]["beats_pls"], (result["ours"]["auc"], result["pls"]["auc"])
    assert result["ours"]["auc"] > 0.75


def test_the_generator_imports_no_odoo():
    path = pathlib.Path(__file__).resolve().parents[2] / "tools" / "demo_data" / "generate.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in imported if m == "odoo" or m.startswith("odoo.")}
    assert imported <= {"math", "random", "dataclasses", "datetime"}
