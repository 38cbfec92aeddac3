"""Rank the candidate plays of each lead by expected value, with effects measured from history.

Pure Python. ``expected value = win probability × expected revenue × effect``, where the effect
of a play is the relative lift in the win rate of leads that were in the play's trigger state
and got the play's action within N days (treated), against those that did not (control):
``won_rate(treated) / won_rate(control) - 1``, with a 90% interval (log risk ratio, Katz).

The same estimator serves every play: :data:`EFFECT_RULES` says, per trigger, which event puts
a closed lead in the play's state and which recorded events count as the play's action, and
:func:`estimate_play_effects` measures all plays on the same closed-lead histories.

No effect is claimed where the data cannot support one: below ``min_support`` leads in either
group, or for a trigger history cannot show, the effect is *not measured* and the play falls
back to its declared ``assumed_effect`` (0 by default), and the explanation says so.

These are observed differences between similar closed leads, not controlled experiments: reps
may call the leads they already believe in, so a measured effect can include that selection.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z90 = 1.6449
MIN_SUPPORT = 30


@dataclass(frozen=True)
class Effect:
    play: str
    measured: bool
    lift: float  # the value used for ranking
    low: float | None = None
    high: float | None = None
    n_treated: int = 0
    n_control: int = 0
    won_treated: int = 0
    won_control: int = 0
    rebuildable: bool = True  # False: history cannot show the play's state or action

    def describe(self) -> str:
        if not self.rebuildable:
            base = "effect not measured (history cannot show this play's situation)"
            if self.lift:
                base += f"; assumed {self.lift * 100:+.0f}%"
            return base
        if not self.measured:
            base = (
                f"effect not measured ({self.n_treated} similar leads with the action, "
                f"{self.n_control} without; at least {MIN_SUPPORT} each needed)"
            )
            if self.lift:
                base += f"; assumed {self.lift * 100:+.0f}%"
            return base
        return (
            f"similar leads won {self.won_treated}/{self.n_treated} with this action vs "
            f"{self.won_control}/{self.n_control} without: {self.lift * 100:+.0f}% "
            f"(90% interval {self.low * 100:+.0f}% to {self.high * 100:+.0f}%)"
        )


def estimate_effect(play, outcomes, min_support=MIN_SUPPORT, assumed_effect=0.0) -> Effect:
    """``outcomes``: ``[(treated: bool, won: bool)]`` of closed leads once in the trigger state."""
    nt = sum(1 for t, _w in outcomes if t)
    nc = len(outcomes) - nt
    wt = sum(1 for t, w in outcomes if t and w)
    wc = sum(1 for t, w in outcomes if not t and w)
    if nt < min_support or nc < min_support or wt == 0 or wc == 0:
        return Effect(play, False, assumed_effect, None, None, nt, nc, wt, wc)
    rr = (wt / nt) / (wc / nc)
    se = math.sqrt(1 / wt - 1 / nt + 1 / wc - 1 / nc)
    low = math.exp(math.log(rr) - Z90 * se) - 1
    high = math.exp(math.log(rr) + Z90 * se) - 1
    return Effect(play, True, rr - 1, low, high, nt, nc, wt, wc)


# What history can show, per trigger: the event that puts a closed lead in the play's state
# (its entry) and the events that count as the play's action. Events are what Odoo records:
# ``inbound_mail`` (a mail from the contact), ``outbound_mail`` (a mail or message to the contact
# from one of us), ``call`` (a call activity marked done), ``meeting`` (a meeting held). The entry
# ``created`` is the lead's creation; ``silence`` is the first moment nothing happened (mail
# either way, call, meeting) for the play's ``days``. Triggers missing here (an overdue activity,
# a requested quote) cannot be rebuilt from history: no effect is claimed for them.
TOUCHES = frozenset({"inbound_mail", "outbound_mail", "call", "meeting"})


@dataclass(frozen=True)
class EffectRule:
    entry: str
    treatment: frozenset
    action: str  # the action in words, for the explanation


EFFECT_RULES = {
    "reply_inbound": EffectRule("inbound_mail", frozenset({"outbound_mail"}), "an answer"),
    "meeting_no_next_step": EffectRule(
        "meeting", frozenset({"outbound_mail", "call"}), "a mail or call after the meeting"
    ),
    "call_now": EffectRule("created", frozenset({"call"}), "a call"),
    "re_engage": EffectRule("silence", frozenset({"outbound_mail"}), "a mail after the silence"),
    "propose_meeting": EffectRule("created", frozenset({"meeting"}), "a meeting"),
}


@dataclass(frozen=True)
class LeadHistory:
    """One closed lead: times in days since its creation; ``closed`` when known."""

    won: bool
    events: tuple = ()  # ((day, event_kind), ...)
    closed: float | None = None


def _entry_time(rule, history, days):
    if rule.entry == "created":
        return 0.0
    times = sorted(t for t, kind in history.events if kind in TOUCHES)
    if rule.entry == "silence":
        previous = 0.0
        for t in times:
            if t - previous >= days:
                break
            previous = t
        return previous + days
    entries = [t for t, kind in history.events if kind == rule.entry]
    return min(entries) if entries else None


def history_outcomes(trigger, histories, window_days=7, days=7.0):
    """``[(treated, won)]`` of the closed leads once in the trigger's state: treated when the
    play's action happened within ``window_days`` after the lead entered that state. A lead
    closed before the window ended is left out (its outcome would decide its treatment).
    ``None`` when history cannot show the trigger's state or action."""
    rule = EFFECT_RULES.get(trigger)
    if rule is None:
        return None
    outcomes = []
    for history in histories:
        entry = _entry_time(rule, history, days)
        if entry is None:
            continue
        if history.closed is not None and history.closed < entry + window_days:
            continue
        treated = any(
            kind in rule.treatment and entry < t <= entry + window_days
            for t, kind in history.events
        )
        outcomes.append((treated, bool(history.won)))
    return outcomes


def estimate_play_effects(plays, histories, min_support=MIN_SUPPORT):
    """``{play_code: Effect}`` for every play, measured from the same closed-lead histories;
    a play whose trigger history cannot show gets its assumed effect, marked not measured."""
    effects = {}
    for play in plays:
        outcomes = history_outcomes(
            play.trigger, histories, play.effect_window_days or 7, play.days
        )
        if outcomes is None:
            effects[play.code] = Effect(play.code, False, play.assumed_effect, rebuildable=False)
            continue
        effects[play.code] = estimate_effect(
            play.code, outcomes, min_support, assumed_effect=play.assumed_effect
        )
    return effects


@dataclass(frozen=True)
class Ranked:
    lead_id: int
    play: str
    value: float
    reason: str
    effect: Effect

    def explanation(self, probability, revenue, currency="") -> str:
        money = f"{revenue:,.0f}{(' ' + currency) if currency else ''}"
        return (
            f"{self.reason} Expected value {self.value:,.0f}: "
            f"{round(probability * 100)}% to win × {money} × effect; {self.effect.describe()}."
        )


def rank(candidates, facts_by_lead, effects):
    """Order each lead's candidates by expected value (ties: the play's sequence).

    ``effects``: ``{play_code: Effect}``; a play without one gets its assumed effect. Returns
    ``{lead_id: [Ranked, ...]}`` best first."""
    by_lead = {}
    for cand in candidates:
        facts = facts_by_lead[cand.lead_id]
        effect = effects.get(cand.play.code) or Effect(
            cand.play.code, False, cand.play.assumed_effect
        )
        lift = max(effect.lift, 0.0)
        value = facts.probability * facts.expected_revenue * lift
        by_lead.setdefault(cand.lead_id, []).append(
            (
                value,
                -cand.play.sequence,
                Ranked(cand.lead_id, cand.play.code, value, cand.reason, effect),
            )
        )
    return {
        lead: [r for _v, _s, r in sorted(rows, key=lambda x: (x[0], x[1]), reverse=True)]
        for lead, rows in by_lead.items()
    }
