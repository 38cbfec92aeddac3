"""Autonomy policy: may an agent action run on its own, or must a person approve it?

Pure Python so that the rules are tested without Odoo. The Odoo layer turns records into the
facts below and obeys the returned :class:`Decision`.

Hard rules (no setting can lift them):

* an action whose explanation is empty never runs, not even after an approval;
* irreversible actions, anything that contacts a customer, anything that moves money, and kinds
  declared ``needs_person`` (e.g. overwriting what a person typed) always wait for a person;

then the configurable part: under ``assisted`` everything waits; under ``conditional`` a kind runs
alone only when its (possibly overridden) risk is ``low``, it is not set to "always ask", and the
action's confidence reaches the kind's threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ASSISTED = "assisted"
CONDITIONAL = "conditional"
AUTONOMY_LEVELS = (ASSISTED, CONDITIONAL)
RISK_LEVELS = ("low", "medium", "high")
DEFAULT_THRESHOLD = 0.9


@dataclass(frozen=True)
class KindSpec:
    """What a kind of action is, as declared (once) by the addon that implements it.

    Besides the facts the policy reads, the declaration names the methods of the action model
    that implement the kind: its executor (default ``_agent_execute_<code>``), its undo (for
    undoable kinds, default ``_agent_undo_<code>``) and optional per-kind hooks: an extra
    freshness check (returns True when stale), the HTML shown to the approver, what happens
    after a rejection, after an execution (e.g. counters) and after an undo. ``approver`` names
    who decides first (returns one user or none, e.g. the salesperson who signs a drafted mail);
    that user still passes every other check of an approver, else the usual approver decides.
    ``minutes_saved`` is what one executed action saves a person."""

    code: str
    risk: str = "medium"
    irreversible: bool = False
    contacts_customer: bool = False
    moves_money: bool = False
    undoable: bool = False
    needs_person: bool = False  # e.g. overwriting what a person typed: never runs alone
    threshold: float = DEFAULT_THRESHOLD  # confidence needed to run alone, unless configured
    minutes_saved: float = 0.0
    execute: str = ""
    undo: str = ""
    stale_check: str = ""
    approval_details: str = ""
    after_reject: str = ""
    after_execute: str = ""  # e.g. count what the agent saved a person
    after_undo: str = ""
    approver: str = ""  # who decides first, when they may (else the usual approver)

    def __post_init__(self):
        if self.risk not in RISK_LEVELS:
            raise ValueError(f"unknown risk {self.risk!r} for kind {self.code!r}")
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold of kind {self.code!r} must be within [0, 1]")

    @property
    def executor(self) -> str:
        return self.execute or f"_agent_execute_{self.code}"

    @property
    def undoer(self) -> str:
        return (self.undo or f"_agent_undo_{self.code}") if self.undoable else ""

    def methods(self) -> dict[str, str]:
        """Every method the declaration names, by role (the ones it must have first)."""
        named = {"execute": self.executor, "undo": self.undoer}
        named.update(
            stale_check=self.stale_check,
            approval_details=self.approval_details,
            after_reject=self.after_reject,
            after_execute=self.after_execute,
            after_undo=self.after_undo,
            approver=self.approver,
        )
        return {role: name for role, name in named.items() if name}


@dataclass(frozen=True)
class KindPolicy:
    """What an admin configured for one kind (per company)."""

    risk: str | None = None  # overrides KindSpec.risk when set
    threshold: float | None = None  # overrides KindSpec.threshold when set
    always_ask: bool = False


@dataclass(frozen=True)
class ActionFacts:
    """The facts of one proposed action that the decision depends on."""

    explanation: str | None
    confidence: float | None
    irreversible: bool = False
    contacts_customer: bool = False
    moves_money: bool = False


@dataclass(frozen=True)
class Decision:
    """``reason`` is a plain English trace; ``code`` and ``params`` let the Odoo layer say it in
    the user's words and language (kind labels, percentages), never with internal keys."""

    run_alone: bool
    reason: str
    blocked: bool = False  # True: must never execute, whatever a person says
    code: str = ""
    params: dict = field(default_factory=dict)


def has_explanation(explanation: str | None) -> bool:
    return bool(explanation and explanation.strip())


def decide(
    spec: KindSpec, facts: ActionFacts, autonomy: str, policy: KindPolicy | None = None
) -> Decision:
    """Return whether the action may run without a person, and why."""
    if autonomy not in AUTONOMY_LEVELS:
        raise ValueError(f"unknown autonomy level {autonomy!r}")
    policy = policy or KindPolicy()
    if not has_explanation(facts.explanation):
        return Decision(
            False, "blocked: the action has no explanation", blocked=True, code="no_explanation"
        )
    if spec.irreversible or facts.irreversible:
        return Decision(
            False, "hard rule: irreversible actions wait for a person", code="irreversible"
        )
    if spec.contacts_customer or facts.contacts_customer:
        return Decision(
            False,
            "hard rule: anything sent to a customer waits for a person",
            code="contacts_customer",
        )
    if spec.moves_money or facts.moves_money:
        return Decision(
            False, "hard rule: anything that moves money waits for a person", code="moves_money"
        )
    if spec.needs_person:
        return Decision(
            False,
            f"hard rule: kind '{spec.code}' always waits for a person",
            code="needs_person",
        )
    if autonomy == ASSISTED:
        return Decision(
            False, "policy 'assisted': every action waits for a person", code="assisted"
        )
    if policy.always_ask:
        return Decision(False, f"kind '{spec.code}' is set to always ask", code="always_ask")
    risk = policy.risk or spec.risk
    if risk != "low":
        return Decision(False, f"risk '{risk}' is not low", code="risk", params={"risk": risk})
    confidence = facts.confidence if facts.confidence is not None else 0.0
    threshold = spec.threshold if policy.threshold is None else policy.threshold
    params = {"confidence": confidence, "threshold": threshold}
    if confidence < threshold:
        return Decision(
            False,
            f"confidence {confidence:.2f} is below the threshold {threshold:.2f}",
            code="below_threshold",
            params=params,
        )
    return Decision(
        True,
        f"policy 'conditional': low risk, confidence {confidence:.2f} >= threshold {threshold:.2f}",
        code="runs_alone",
        params=params,
    )
