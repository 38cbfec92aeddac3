"""Rank the candidate plays of each lead by expected value, with effects measured from history.

Pure Python. ``expected value = win probability × expected revenue × effect``, where the effect
of a play is the relative lift in the win rate of leads that were in the play's trigger state
and got the play's action within N days (treated), against those that did not (control):
``won_rate(treated) / won_rate(control) - 1``, with a 90% interval (log risk ratio, Katz).

No effect is claimed where the data cannot support one: below ``min_support`` leads in either
group, the effect is *not measured* and the play falls back to its declared ``assumed_effect``
(0 by default), and the explanation says so.
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

    def describe(self) -> str:
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
