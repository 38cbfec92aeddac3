"""Play triggers and expected-value ranking with effects measured from history."""

import pytest

from crm_agent_scoring.engine.plays import LeadFacts, PlaySpec, candidates
from crm_agent_scoring.engine.ranking import MIN_SUPPORT, estimate_effect, rank

PLAYS = [
    PlaySpec("call_now", "call_now", "schedule_activity", days=3, min_probability=0.6, sequence=1),
    PlaySpec("reply", "reply_inbound", "send_email", days=1, sequence=2),
    PlaySpec("after_meeting", "meeting_no_next_step", "send_email", days=2, sequence=3),
    PlaySpec("re_engage", "re_engage", "send_email", days=21, sequence=4),
    PlaySpec("overdue", "chase_overdue", "schedule_activity", sequence=5),
    PlaySpec("meeting", "propose_meeting", "send_email", min_probability=0.5, sequence=6),
    PlaySpec("quote", "send_quote", "send_email", sequence=7),
]


def _codes(facts):
    return [c.play.code for c in candidates([facts], PLAYS)]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (LeadFacts(1, probability=0.8, days_since_touch=5), ["call_now"]),
        (LeadFacts(1, probability=0.8, days_since_touch=5, has_next_activity=True), []),
        (LeadFacts(1, probability=0.4, days_since_touch=5), []),
        (LeadFacts(1, unanswered_inbound_hours=30, days_since_touch=1), ["reply"]),
        (LeadFacts(1, unanswered_inbound_hours=10, days_since_touch=0.4), []),
        (LeadFacts(1, days_since_meeting=3, days_since_touch=3), ["after_meeting"]),
        (LeadFacts(1, days_since_meeting=3, has_meeting_planned=True, days_since_touch=3), []),
        (
            LeadFacts(1, days_since_touch=30, has_contact_email=True, days_since_meeting=40),
            ["after_meeting", "re_engage"],
        ),
        (
            LeadFacts(1, overdue_activities=2, has_next_activity=True, days_since_touch=0),
            ["overdue"],
        ),
        (LeadFacts(1, probability=0.55, has_contact_email=True, days_since_touch=1), ["meeting"]),
        (LeadFacts(1, quote_requested=True, days_since_touch=1), ["quote"]),
        (LeadFacts(1, quote_requested=True, has_quote=True, days_since_touch=1), []),
    ],
)
def test_triggers(facts, expected):
    assert _codes(facts) == expected


def test_reasons_are_words():
    (cand,) = candidates([LeadFacts(7, unanswered_inbound_hours=72, days_since_touch=3)], PLAYS)
    assert cand.reason == "Their last mail has waited 3 days without an answer."
    assert cand.lead_id == 7


def test_unknown_trigger_is_skipped():
    assert (
        candidates([LeadFacts(1, overdue_activities=1)], [PlaySpec("x", "nope", "send_email")])
        == []
    )


def _outcomes(nt, wt, nc, wc):
    return [(True, i < wt) for i in range(nt)] + [(False, i < wc) for i in range(nc)]


def test_effect_is_measured_with_an_interval():
    effect = estimate_effect("reply", _outcomes(100, 40, 100, 20))
    assert effect.measured
    assert effect.lift == pytest.approx(1.0)  # 40% vs 20%: twice the win rate
    assert effect.low < 1.0 < effect.high
    assert effect.low > 0  # clearly positive with 100 leads each
    assert "won 40/100 with this action vs 20/100 without: +100%" in effect.describe()


def test_no_effect_claimed_without_support():
    effect = estimate_effect("reply", _outcomes(MIN_SUPPORT - 1, 20, 200, 20))
    assert not effect.measured
    assert effect.lift == 0.0 and effect.low is None
    assert "effect not measured" in effect.describe()
    assumed = estimate_effect("reply", _outcomes(5, 2, 5, 1), assumed_effect=0.1)
    assert assumed.lift == 0.1 and "assumed +10%" in assumed.describe()


def test_rank_by_expected_value():
    facts = {
        1: LeadFacts(
            1,
            probability=0.5,
            expected_revenue=10000,
            unanswered_inbound_hours=48,
            overdue_activities=1,
            days_since_touch=2,
        ),
    }
    cands = candidates(facts.values(), PLAYS)
    effects = {
        "reply": estimate_effect("reply", _outcomes(100, 40, 100, 20)),  # +100%
        "overdue": estimate_effect("overdue", _outcomes(100, 30, 100, 20)),  # +50%
    }
    ranked = rank(cands, facts, effects)[1]
    assert [r.play for r in ranked] == ["reply", "overdue"]
    assert ranked[0].value == pytest.approx(0.5 * 10000 * 1.0)
    assert ranked[1].value == pytest.approx(0.5 * 10000 * 0.5)
    text = ranked[0].explanation(0.5, 10000, "EUR")
    assert text.startswith(
        "Their last mail has waited 2 days without an answer. Expected value 5,000"
    )


def test_negative_or_unmeasured_effects_rank_last_by_sequence():
    facts = {
        1: LeadFacts(
            1,
            probability=0.5,
            expected_revenue=1000,
            unanswered_inbound_hours=48,
            overdue_activities=1,
            days_since_touch=2,
        )
    }
    effects = {"reply": estimate_effect("reply", _outcomes(100, 10, 100, 20))}  # harmful
    ranked = rank(candidates(facts.values(), PLAYS), facts, effects)[1]
    assert all(r.value == 0 for r in ranked)
    assert [r.play for r in ranked] == ["reply", "overdue"]  # sequence order on ties
