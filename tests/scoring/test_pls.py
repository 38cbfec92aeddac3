"""The PLS reimplementation reproduces the numbers Odoo's own test asserts (crm/tests/test_crm_pls.py).

The case is rebuilt from ``test_predictive_lead_scoring``: 14 leads in 3 teams, stages New(1) / Qualified(2)
/ Proposition(3) / Won(70). The leads there carry no e-mail or phone, so Odoo computes their email_state and
phone_state as empty (the test's own frequency asserts confirm it: email_state False is 1 won / 2 lost).
"""

import pytest

from crm_agent_scoring.engine.pls import (
    PlsScorer,
    Stage,
    apply_outcome_change,
    build_frequency_table,
)

FIELDS = ["country_id", "state_id", "email_state", "phone_state", "source_id", "tag_ids"]
STAGES = [Stage(1, 1), Stage(2, 2), Stage(3, 3), Stage(4, 70, is_won=True)]
NEW, QUALIFIED, PROPOSITION, WON = 1, 2, 3, 4
C = [101, 102, 103]  # countries
S = [201, 202, 203]  # states
SRC = [301, 302, 303]  # sources


def _lead(team, country, state, source, stage, outcome=None):
    return {
        "team_id": team,
        "stage_id": stage,
        "values": {
            "country_id": country,
            "state_id": state,
            "source_id": source,
            "email_state": None,
            "phone_state": None,
        },
        "tags": [],
        "outcome": outcome,
    }


def _odoo_case(no_team_id):
    t1, t2, t3 = 11, 12, no_team_id
    leads = [
        _lead(t1, C[0], S[0], SRC[0], NEW, "lost"),
        _lead(t1, C[1], S[1], SRC[1], QUALIFIED, "lost"),
        _lead(t1, C[2], S[2], SRC[2], WON, "won"),
        _lead(t1, C[0], S[1], SRC[2], QUALIFIED),
        _lead(t1, C[1], S[1], SRC[1], NEW),
        _lead(t2, C[0], S[1], SRC[1], PROPOSITION, "lost"),
        _lead(t2, C[0], S[1], SRC[2], QUALIFIED, "lost"),
        _lead(t2, C[0], S[2], SRC[2], WON, "won"),
        _lead(t2, C[0], S[1], SRC[2], QUALIFIED),
        _lead(t2, C[1], S[0], SRC[1], QUALIFIED),
        _lead(t3, C[1], S[1], SRC[1], WON, "won"),
        _lead(t3, C[0], S[1], SRC[0], NEW, "lost"),
        _lead(t3, C[1], S[2], SRC[2], NEW, "lost"),
        _lead(t3, C[0], S[1], SRC[2], QUALIFIED),
    ]
    return leads


def _rebuild(leads):
    table = build_frequency_table([lead for lead in leads if lead["outcome"]], FIELDS, STAGES)
    return table, PlsScorer(table, FIELDS)


def test_full_rebuild_matches_odoo_probabilities():
    leads = _odoo_case(no_team_id=13)
    _table, scorer = _rebuild(leads)
    assert scorer.probability(leads[3]) == pytest.approx(33.49, abs=0.005)
    assert scorer.probability(leads[8]) == pytest.approx(7.74, abs=0.005)
    assert scorer.probability(leads[13]) == pytest.approx(35.09, abs=0.005)


def test_no_team_uses_every_team_frequencies():
    leads = _odoo_case(no_team_id=0)
    _table, scorer = _rebuild(leads)
    assert scorer.probability(leads[13]) == pytest.approx(35.19, abs=0.005)


def test_frequency_counts_match_odoo():
    leads = _odoo_case(no_team_id=13)
    table, _scorer = _rebuild(leads)
    team1 = table.counts[11]
    assert team1["stage_id"][str(NEW)] == pytest.approx([1.1, 2.1])
    assert team1["stage_id"][str(WON)] == pytest.approx([1.1, 0.1])
    assert team1["country_id"][str(C[1])] == pytest.approx([0.1, 1.1])
    assert team1["email_state"]["False"] == pytest.approx([1.1, 2.1])
    assert str(C[1]) not in table.counts[12]["country_id"]


def test_live_increment_matches_odoo():
    """Replays the won/lost moves of Odoo's test, then rescoring leads 3 and 8 in stage New."""
    leads = _odoo_case(no_team_id=13)
    table, _scorer = _rebuild(leads)
    lead4, lead9 = leads[4], leads[9]
    apply_outcome_change(table, lead4, FIELDS, to_state="lost")
    apply_outcome_change(table, lead9, FIELDS, to_state="won")
    assert table.counts[12]["country_id"][str(C[1])] == pytest.approx([1.1, 0.1])
    assert table.counts[11]["stage_id"][str(NEW)] == pytest.approx([1.1, 3.1])
    apply_outcome_change(table, lead4, FIELDS, from_state="lost")  # restore
    apply_outcome_change(table, lead4, FIELDS, to_state="won")  # moved to won stage
    apply_outcome_change(table, lead4, FIELDS, from_state="won")  # back to New
    apply_outcome_change(table, lead4, FIELDS, to_state="lost")  # probability forced to 0
    apply_outcome_change(table, lead4, FIELDS, from_state="lost")  # restore
    assert table.counts[11]["stage_id"][str(NEW)] == pytest.approx([1.1, 2.1])
    scorer = PlsScorer(table, FIELDS)
    assert scorer.probability(dict(leads[3], stage_id=NEW)) == pytest.approx(20.87, abs=0.005)
    assert scorer.probability(dict(leads[8], stage_id=NEW)) == pytest.approx(2.43, abs=0.005)


def test_small_tags_are_ignored_and_large_tags_count():
    stages = [Stage(1, 1), Stage(2, 70, is_won=True)]
    closed = []
    for i in range(120):
        won = i % 3 == 0 if i < 60 else i % 5 == 0
        tags = [1] if i < 60 else [2]
        if i < 10:
            tags.append(3)  # tag 3 has 10 leads: below Odoo's 50 threshold
        closed.append(
            {
                "team_id": 5,
                "stage_id": 2 if won else 1,
                "values": {},
                "tags": tags,
                "outcome": "won" if won else "lost",
            }
        )
    table = build_frequency_table(closed, ["tag_ids"], stages)
    scorer = PlsScorer(table, ["tag_ids"])
    base = {"team_id": 5, "stage_id": 1, "values": {}}
    with_small_tag = scorer.probability(dict(base, tags=[1, 3]))
    assert with_small_tag == scorer.probability(dict(base, tags=[1]))
    assert scorer.probability(dict(base, tags=[1])) != scorer.probability(dict(base, tags=[]))


def test_rounding_clipping_and_special_stages():
    stages = [Stage(1, 1), Stage(2, 70, is_won=True)]
    fields = ["source_id", "country_id"]
    closed = [
        {
            "team_id": 1,
            "stage_id": 2 if i < 200 else 1,
            "values": {"source_id": 7 if i < 200 else 8, "country_id": 7 if i < 200 else 8},
            "outcome": "won" if i < 200 else "lost",
        }
        for i in range(400)
    ]
    scorer = PlsScorer(build_frequency_table(closed, fields, stages), fields)
    one_field = scorer.probability({"team_id": 1, "stage_id": 1, "values": {"source_id": 7}})
    assert one_field == round(100 * 2001 / 2002, 2)  # odds (200.1/200.2) / (0.1/200.2) = 2001
    assert (
        scorer.probability(
            {"team_id": 1, "stage_id": 1, "values": {"source_id": 7, "country_id": 7}}
        )
        == 99.99
    )
    assert (
        scorer.probability(
            {"team_id": 1, "stage_id": 1, "values": {"source_id": 8, "country_id": 8}}
        )
        == 0.01
    )
    assert scorer.probability({"team_id": 1, "stage_id": 2, "values": {}}) == 100
    assert scorer.probability({"team_id": 1, "stage_id": None, "values": {}}) == 0
    mid = scorer.probability({"team_id": 1, "stage_id": 1, "values": {"source_id": 9}})
    assert mid == 50.0 and round(mid, 2) == mid
