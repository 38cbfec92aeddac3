"""The catalogue of plays: small declared rules, each a trigger and the kind of action it proposes.

Pure Python. A play is data (``crm.agent.play`` records an admin can switch off or tune); its
``trigger`` names one of the functions in :data:`TRIGGERS`, which reads the facts the Odoo layer
gathered about an open opportunity (:class:`LeadFacts`) and the play's parameters, and returns
the reason in words when the play applies (else ``None``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LeadFacts:
    """What the triggers read about one open opportunity (all optional: missing means unknown)."""

    lead_id: int
    probability: float = 0.0  # win probability in [0, 1] (the agent's score, else Odoo's)
    expected_revenue: float = 0.0
    days_since_touch: float | None = None  # last mail, call or meeting either way
    unanswered_inbound_hours: float | None = None  # their last mail, with no answer from us
    days_since_meeting: float | None = None  # last meeting held
    has_next_activity: bool = False
    overdue_activities: int = 0
    quote_requested: bool = False
    has_quote: bool = False
    has_contact_email: bool = False
    has_meeting_planned: bool = False


@dataclass(frozen=True)
class PlaySpec:
    code: str
    trigger: str
    action_kind: str  # send_email or schedule_activity
    name: str = ""
    days: float = 7.0  # the trigger's delay (silence, overdue, after the meeting)
    min_probability: float = 0.0  # the trigger's score threshold
    assumed_effect: float = 0.0  # used only when history cannot measure the effect
    effect_window_days: int = 7  # "the play's action happened within N days" when measuring
    sequence: int = 10


def _call_now(f: LeadFacts, p: PlaySpec):
    untouched = f.days_since_touch is None or f.days_since_touch >= p.days
    if f.probability >= p.min_probability and untouched and not f.has_next_activity:
        since = (
            "never contacted"
            if f.days_since_touch is None
            else f"untouched for {round(f.days_since_touch)} days"
        )
        return f"Hot ({round(f.probability * 100)}% to win) and {since}."
    return None


def _reply_inbound(f: LeadFacts, p: PlaySpec):
    if f.unanswered_inbound_hours is not None and f.unanswered_inbound_hours >= p.days * 24:
        hours = round(f.unanswered_inbound_hours)
        when = f"{hours} h" if hours < 48 else f"{round(hours / 24)} days"
        return f"Their last mail has waited {when} without an answer."
    return None


def _meeting_no_next_step(f: LeadFacts, p: PlaySpec):
    if (
        f.days_since_meeting is not None
        and f.days_since_meeting >= p.days
        and not f.has_next_activity
        and not f.has_meeting_planned
    ):
        return (
            f"A meeting took place {round(f.days_since_meeting)} days ago and no next step "
            "is planned."
        )
    return None


def _re_engage(f: LeadFacts, p: PlaySpec):
    if f.days_since_touch is not None and f.days_since_touch >= p.days and f.has_contact_email:
        return f"No exchange for {round(f.days_since_touch)} days."
    return None


def _chase_overdue(f: LeadFacts, p: PlaySpec):
    if f.overdue_activities:
        return f"{f.overdue_activities} activity(ies) overdue."
    return None


def _propose_meeting(f: LeadFacts, p: PlaySpec):
    if (
        f.probability >= p.min_probability
        and f.days_since_meeting is None
        and not f.has_meeting_planned
        and f.has_contact_email
    ):
        return f"{round(f.probability * 100)}% to win and no meeting held or planned yet."
    return None


def _send_quote(f: LeadFacts, p: PlaySpec):
    if f.quote_requested and not f.has_quote:
        return "The contact asked for a quote and none was sent."
    return None


TRIGGERS = {
    "call_now": _call_now,
    "reply_inbound": _reply_inbound,
    "meeting_no_next_step": _meeting_no_next_step,
    "re_engage": _re_engage,
    "chase_overdue": _chase_overdue,
    "propose_meeting": _propose_meeting,
    "send_quote": _send_quote,
}


@dataclass(frozen=True)
class Candidate:
    lead_id: int
    play: PlaySpec
    reason: str


def candidates(facts, plays):
    """Every (lead, play) whose trigger fires, in play order; unknown triggers are skipped."""
    found = []
    ordered = sorted(plays, key=lambda p: (p.sequence, p.code))
    for f in facts:
        for play in ordered:
            trigger = TRIGGERS.get(play.trigger)
            if trigger is None:
                continue
            reason = trigger(f, play)
            if reason:
                found.append(Candidate(f.lead_id, play, reason))
    return found
