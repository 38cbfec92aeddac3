import itertools

import pytest

from crm_agent.engine.policy import (
    ASSISTED,
    AUTONOMY_LEVELS,
    CONDITIONAL,
    ActionFacts,
    KindPolicy,
    KindSpec,
    decide,
)

LOW = KindSpec("update_fields", risk="low", undoable=True)
FACTS = ActionFacts(explanation="phone was not in E.164", confidence=0.97)


def test_conditional_runs_low_risk_confident_action():
    decision = decide(LOW, FACTS, CONDITIONAL)
    assert decision.run_alone and not decision.blocked


def test_assisted_runs_nothing():
    decision = decide(LOW, FACTS, ASSISTED)
    assert not decision.run_alone
    assert "assisted" in decision.reason


@pytest.mark.parametrize("risk", ["medium", "high"])
def test_conditional_routes_risky_kinds_to_a_person(risk):
    assert not decide(KindSpec("x", risk=risk), FACTS, CONDITIONAL).run_alone


def test_threshold_and_policy_overrides():
    assert not decide(LOW, ActionFacts("why", 0.5), CONDITIONAL).run_alone
    assert decide(LOW, ActionFacts("why", 0.5), CONDITIONAL, KindPolicy(threshold=0.4)).run_alone
    assert not decide(LOW, FACTS, CONDITIONAL, KindPolicy(always_ask=True)).run_alone
    assert not decide(LOW, FACTS, CONDITIONAL, KindPolicy(risk="high")).run_alone
    medium = KindSpec("y", risk="medium")
    assert decide(medium, FACTS, CONDITIONAL, KindPolicy(risk="low")).run_alone
    assert not decide(LOW, ActionFacts("why", None), CONDITIONAL).run_alone


HARD_FLAGS = ("irreversible", "contacts_customer", "moves_money")


@pytest.mark.parametrize(
    "flag,on_spec,autonomy,policy",
    list(
        itertools.product(
            HARD_FLAGS,
            (True, False),
            AUTONOMY_LEVELS,
            (KindPolicy(), KindPolicy(risk="low", threshold=0.0), KindPolicy(always_ask=True)),
        )
    ),
)
def test_hard_rules_hold_under_every_setting(flag, on_spec, autonomy, policy):
    spec = KindSpec("k", risk="low", **({flag: True} if on_spec else {}))
    facts = ActionFacts("reason", 1.0, **({} if on_spec else {flag: True}))
    decision = decide(spec, facts, autonomy, policy)
    assert not decision.run_alone


@pytest.mark.parametrize("autonomy", AUTONOMY_LEVELS)
def test_kinds_that_need_a_person_never_run_alone(autonomy):
    spec = KindSpec("overwrite_fields", risk="low", needs_person=True)
    decision = decide(spec, FACTS, autonomy, KindPolicy(risk="low", threshold=0.0))
    assert not decision.run_alone and "hard rule" in decision.reason


@pytest.mark.parametrize("explanation", [None, "", "   \n\t"])
@pytest.mark.parametrize("autonomy", AUTONOMY_LEVELS)
def test_no_explanation_is_blocked_everywhere(explanation, autonomy):
    decision = decide(LOW, ActionFacts(explanation, 1.0), autonomy, KindPolicy(threshold=0.0))
    assert decision.blocked and not decision.run_alone


def test_kind_default_threshold_applies_unless_configured():
    fill = KindSpec("fill_empty_fields", risk="low", threshold=0.8)
    facts = ActionFacts("signature of the mail", 0.85)
    assert decide(fill, facts, CONDITIONAL).run_alone
    assert not decide(fill, facts, CONDITIONAL, KindPolicy(threshold=0.9)).run_alone
    assert not decide(LOW, facts, CONDITIONAL).run_alone  # default 0.9


def test_invalid_configuration_is_rejected():
    with pytest.raises(ValueError):
        decide(LOW, FACTS, "autonomous")
    with pytest.raises(ValueError):
        KindSpec("z", risk="tiny")
