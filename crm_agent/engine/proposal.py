"""One way to propose: a typed proposal, and the one "never ask twice" rule.

Every part of the agent (capture, hygiene, scoring) builds its proposals with :func:`propose`
and hands them to the core (``crm.agent.action._agent_propose``), which turns them into actions.
Pure Python, no Odoo: the rule is tested here.

Never ask twice: a proposal whose ``key`` matches an earlier action is skipped when that action
is still open (proposed, waiting, approved) or was done; when a person rejected it as wrong
("not a duplicate", "wrong": never again); when they rejected it as "not now" less than
``NOT_NOW_DAYS`` ago (configurable); and when it was undone, or rejected before people said which
(older rows), less than ``REJECTION_MEMORY_DAYS`` ago. An action that expired, went stale or
failed does not block: when the proposal still holds, it comes back on the next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

OPEN_STATES = ("proposed", "waiting", "approved")
BLOCKING_STATES = (*OPEN_STATES, "done")
DECLINED_STATES = ("rejected", "undone")
RETRY_STATES = ("expired", "stale", "failed")
REJECTION_MEMORY_DAYS = 180
NOT_NOW_DAYS = 30
# how a person rejected: the proposal is wrong (never again), or only not wanted now
WRONG = "wrong"
NOT_NOW = "not_now"


@dataclass(frozen=True)
class Proposal:
    """What the agent proposes to do to one record, and why."""

    res_model: str
    res_id: int
    kind: str
    name: str
    explanation: str
    confidence: float
    source: str
    values: dict | None = None
    payload: dict = field(default_factory=dict)
    depends_on: tuple = ()
    record_ids: tuple = ()
    key: str = ""
    extra: dict = field(default_factory=dict)  # other action fields (e.g. before_image)

    def to_vals(self) -> dict:
        payload = dict(self.payload)
        if self.values is not None:
            payload["values"] = dict(self.values)
        if self.depends_on:
            payload["depends_on"] = list(self.depends_on)
        if self.record_ids:
            payload["record_ids"] = [int(i) for i in self.record_ids]
        vals = {
            "name": self.name[:250],
            "kind": self.kind,
            "res_model": self.res_model,
            "res_id": int(self.res_id),
            "explanation": self.explanation,
            "confidence": float(self.confidence),
            "source": self.source,
            "payload": payload,
        }
        if self.key:
            vals["dedup_key"] = self.key
        vals.update(self.extra)
        return vals


def propose(res_model, res_id, kind, name, explanation, confidence, source, **kwargs) -> Proposal:
    """Build a proposal (the one helper every part of the agent uses)."""
    return Proposal(res_model, res_id, kind, name, explanation, confidence, source, **kwargs)


def blocks(
    state: str,
    decided_at: datetime | None,
    now: datetime,
    memory_days: int = REJECTION_MEMORY_DAYS,
    rejection: str | None = None,
    not_now_days: int = NOT_NOW_DAYS,
) -> bool:
    """Does an earlier action in ``state`` (decided at ``decided_at``, rejected as ``rejection``)
    block the same key?"""
    if state in BLOCKING_STATES:
        return True
    if state == "rejected" and rejection == WRONG:
        return True
    if state in DECLINED_STATES:
        days = not_now_days if state == "rejected" and rejection == NOT_NOW else memory_days
        return decided_at is None or now - decided_at < timedelta(days=days)
    return False


def fresh(proposals, earlier, now, memory_days=REJECTION_MEMORY_DAYS, not_now_days=NOT_NOW_DAYS):
    """The proposals worth making: ``earlier`` is ``[(key, state, decided_at)]`` or
    ``[(key, state, decided_at, rejection)]`` of existing actions; a key is made once per call
    even when several proposals carry it."""
    blocked = {
        row[0]
        for row in earlier
        if blocks(
            row[1],
            row[2],
            now,
            memory_days,
            rejection=row[3] if len(row) > 3 else None,
            not_now_days=not_now_days,
        )
    }
    seen = set()
    kept = []
    for proposal in proposals:
        key = proposal.key if isinstance(proposal, Proposal) else proposal.get("dedup_key")
        if key:
            if key in blocked or key in seen:
                continue
            seen.add(key)
        kept.append(proposal)
    return kept
