"""Play triggers and expected-value ranking with effects measured from history."""

import pytest

from crm_agent_scoring.engine.plays import LeadFacts, PlaySpec, candidates
from crm_agent_scoring.engine.ranking import (
    MIN_SUPPORT,
    LeadHistory,
    estimate_effect,
    estimate_play_effects,
    history_outcomes,
    rank,
)

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


# --- effects of every play from closed-lead histories -----------------------------------------


def _histories(make, n_treated, won_treated, n_control, won_control):
    """Closed leads built by ``make(treated)`` (events), won as asked: a known effect."""
    return [
        LeadHistory(won=i < won_treated, events=make(True), closed=60.0) for i in range(n_treated)
    ] + [
        LeadHistory(won=i < won_control, events=make(False), closed=60.0) for i in range(n_control)
    ]


def test_call_now_effect_from_calls_done_within_the_window():
    play = PlaySpec("call_now", "call_now", "schedule_activity", effect_window_days=7)

    def make(treated):
        # treated: called on day 3; control: called only on day 20 (outside the window)
        return ((3.0, "call"),) if treated else ((20.0, "call"), (1.0, "outbound_mail"))

    effect = estimate_play_effects([play], _histories(make, 100, 60, 100, 30))["call_now"]
    assert effect.measured
    assert (effect.n_treated, effect.n_control) == (100, 100)
    assert effect.lift == pytest.approx(1.0)  # 60% vs 30%
    assert 0 < effect.low < 1.0 < effect.high
    assert "won 60/100 with this action vs 30/100 without: +100% (90% interval" in (
        effect.describe()
    )


def test_meeting_follow_up_and_re_engage_read_their_own_state():
    after_meeting = PlaySpec("after", "meeting_no_next_step", "send_email", effect_window_days=3)
    re_engage = PlaySpec("again", "re_engage", "send_email", days=21, effect_window_days=7)

    def make(treated):
        # a meeting on day 5, then (treated) a mail on day 6; silence from day 6/5 to day 30
        events = [(5.0, "meeting")]
        if treated:
            events += [(6.0, "outbound_mail"), (30.0, "outbound_mail")]
        return tuple(events)

    effects = estimate_play_effects([after_meeting, re_engage], _histories(make, 50, 20, 50, 40))
    assert effects["after"].measured
    assert effects["after"].lift == pytest.approx(-0.5)  # 40% vs 80%: known harm
    # re-engage: both arms fell silent (entry day 26/27), only the treated got a mail after it
    assert effects["again"].measured
    assert (effects["again"].n_treated, effects["again"].n_control) == (50, 50)
    assert effects["again"].lift == pytest.approx(-0.5)


def test_no_effect_claimed_with_too_little_support():
    play = PlaySpec("call_now", "call_now", "schedule_activity")

    def make(treated):
        return ((2.0, "call"),) if treated else ()

    effect = estimate_play_effects([play], _histories(make, MIN_SUPPORT - 1, 25, 300, 30))[
        "call_now"
    ]
    assert not effect.measured and effect.lift == 0.0
    assert effect.n_treated == MIN_SUPPORT - 1
    assert f"{MIN_SUPPORT - 1} similar leads with the action" in effect.describe()


def test_leads_closed_inside_the_window_and_unrebuildable_plays():
    play = PlaySpec("call_now", "call_now", "schedule_activity", effect_window_days=7)
    quick = [LeadHistory(won=False, events=(), closed=2.0)] * 50
    assert history_outcomes("call_now", quick, 7) == []
    overdue = PlaySpec("overdue", "chase_overdue", "schedule_activity", assumed_effect=0.1)
    effects = estimate_play_effects([play, overdue], quick)
    assert not effects["overdue"].measured and effects["overdue"].lift == 0.1
    assert "history cannot show" in effects["overdue"].describe()
    assert "assumed +10%" in effects["overdue"].describe()
