"""Odoo's Predictive Lead Scoring (PLS) naive Bayes, reimplemented without the ORM.

Mirrors the behaviour of ``crm.lead._rebuild_pls_frequency_table`` (frequency table of won / lost counts
per team, field and value, each new count starting at +0.1) and ``_pls_get_naive_bayes_probabilities``
(per-team prior from the first stage, per-field likelihoods, tags ignored below 50 observations, result
in percent rounded to 2 decimals and clipped to [0.01, 99.99]).

A lead is a plain dict::

    {"team_id": 3 or 0/None, "stage_id": 1, "values": {"country_id": 12, "email_state": False},
     "tags": [4, 7], "outcome": "won" | "lost" | None}

``values`` holds the configured PLS fields (``crm.pls_fields`` minus ``tag_ids``). As in Odoo, an empty
value is skipped, except for ``email_state`` / ``phone_state`` where an empty value counts as ``False``.
Values are compared as strings, as Odoo does.
"""

import math
from dataclasses import dataclass, field

# Odoo keeps empty email/phone states as a value of their own ('False').
ALWAYS_KEPT_FIELDS = frozenset({"email_state", "phone_state"})
# Odoo ignores a tag whose won + lost count (smoothing included) is below this.
MIN_TAG_COUNT = 50
SMOOTHING = 0.1
NO_TEAM = 0
ALL_TEAMS = -1


@dataclass(frozen=True)
class Stage:
    id: int
    sequence: int
    is_won: bool = False
    team_specific: bool = False


@dataclass
class FrequencyTable:
    """``counts[team_id][variable][value] = [won_count, lost_count]`` as stored in crm.lead.scoring.frequency.

    ``team_id`` 0 holds leads without team (stored with an empty team in Odoo).
    """

    stages: tuple
    counts: dict = field(default_factory=dict)


def _lead_pairs(lead, fields):
    """The (field, value) couples Odoo reads for a lead (``_pls_get_lead_pls_values``)."""
    pairs = []
    values = lead.get("values", {})
    for name in fields:
        value = values.get(name)
        if value:
            pairs.append((name, value))
        elif name in ALWAYS_KEPT_FIELDS:
            pairs.append((name, False))
    return pairs


def _ordered_stages(stages):
    return tuple(sorted(stages, key=lambda s: (s.sequence, s.id)))


def build_frequency_table(closed_leads, fields, stages):
    """Full rebuild of the frequency table from won/lost leads (``_rebuild_pls_frequency_table``).

    :param closed_leads: iterable of lead dicts whose ``outcome`` is ``"won"`` or ``"lost"``
    :param fields: PLS fields other than tags (``crm.pls_fields`` without ``tag_ids``), in any order
    :param stages: iterable of :class:`Stage`
    """
    stages = _ordered_stages(stages)
    fields = sorted(f for f in fields if f not in ("tag_ids", "stage_id", "team_id"))
    raw = {}
    for lead in closed_leads:
        outcome = lead.get("outcome")
        if outcome not in ("won", "lost"):
            continue
        won, lost = (1, 0) if outcome == "won" else (0, 1)
        team = raw.setdefault(lead.get("team_id") or NO_TEAM, {})
        stage_id = lead.get("stage_id")
        if stage_id:
            if won:
                to_increment = [s.id for s in stages]
            else:
                sequence = next(s.sequence for s in stages if s.id == stage_id)
                to_increment = [s.id for s in stages if s.sequence <= sequence]
            for sid in to_increment:
                _increment(team, "stage_id", sid, won, lost)
        for name, value in _lead_pairs(lead, fields):
            _increment(team, name, value, won, lost)
        for tag in lead.get("tags") or ():
            _increment(team, "tag_id", tag, won, lost)
    counts = {
        team_id: {
            variable: {
                value: [won + SMOOTHING, lost + SMOOTHING]
                for value, (won, lost) in by_value.items()
            }
            for variable, by_value in variables.items()
        }
        for team_id, variables in raw.items()
    }
    return FrequencyTable(stages=stages, counts=counts)


def apply_outcome_change(table, lead, fields, from_state=None, to_state=None):
    """Live increment of the table when one lead reaches or leaves won/lost (``_pls_increment_frequencies``).

    Existing counts move by one and never drop below 0.1; missing couples are created at count + 0.1,
    as Odoo does. Mutates and returns ``table``.
    """
    state = from_state or to_state
    step = 1 if to_state else -1
    fields = sorted(f for f in fields if f not in ("tag_ids", "stage_id", "team_id"))
    won, lost = (1, 0) if state == "won" else (0, 1)
    delta = {}
    stage_id = lead.get("stage_id")
    if stage_id:
        if won:
            to_increment = [s.id for s in table.stages]
        else:
            sequence = next(s.sequence for s in table.stages if s.id == stage_id)
            to_increment = [s.id for s in table.stages if s.sequence <= sequence]
        for sid in to_increment:
            _increment(delta, "stage_id", sid, won, lost)
    for name, value in _lead_pairs(lead, fields):
        _increment(delta, name, value, won, lost)
    for tag in lead.get("tags") or ():
        _increment(delta, "tag_id", tag, won, lost)
    team = table.counts.setdefault(lead.get("team_id") or NO_TEAM, {})
    for variable, by_value in delta.items():
        current = team.setdefault(variable, {})
        for value, (d_won, d_lost) in by_value.items():
            cell = current.get(value)
            if cell:
                new_won, new_lost = cell[0] + d_won * step, cell[1] + d_lost * step
                current[value] = [
                    new_won if new_won > 0 else SMOOTHING,
                    new_lost if new_lost > 0 else SMOOTHING,
                ]
            else:
                current[value] = [d_won + SMOOTHING, d_lost + SMOOTHING]
    return table


def _increment(team, variable, value, won, lost):
    cell = team.setdefault(variable, {}).setdefault(str(value), [0, 0])
    cell[0] += won
    cell[1] += lost


class PlsScorer:
    """Scores leads from a :class:`FrequencyTable` exactly as ``_pls_get_naive_bayes_probabilities``."""

    def __init__(self, table, fields):
        self.table = table
        self.fields = sorted(f for f in fields if f not in ("tag_ids", "stage_id", "team_id"))
        self._results = self._aggregate()
        first = [s for s in table.stages if not s.team_specific]
        self._first_stage = str(first[0].id) if first else None
        self._won_stage_ids = {s.id for s in table.stages if s.is_won}

    def _aggregate(self):
        """Per-team totals, plus team -1 that sums every team (used for leads of unknown or no team)."""
        results = {ALL_TEAMS: {}}
        for team_id in sorted(self.table.counts):
            for variable, by_value in self.table.counts[team_id].items():
                for value, (won, lost) in by_value.items():
                    if variable == "tag_id" and won + lost < MIN_TAG_COUNT:
                        continue
                    targets = [results[ALL_TEAMS]]
                    if team_id != NO_TEAM:
                        targets.append(results.setdefault(team_id, {}))
                    for target in targets:
                        var = target.setdefault(
                            variable, {"won_total": 0, "lost_total": 0, "values": {}}
                        )
                        cell = var["values"].setdefault(value, [0, 0])
                        cell[0] += won
                        cell[1] += lost
                        var["won_total"] += won
                        var["lost_total"] += lost
        return results

    def _team_prior(self, team_result):
        stage = team_result.get("stage_id", {}).get("values", {}).get(self._first_stage)
        if not stage:
            return 0, 0
        return stage[0], stage[1]

    def terms(self, lead):
        """Log-likelihood-ratio terms of a lead: ``(log prior ratio, [(field, value, log ratio), ...])``.

        Returns ``None`` when Odoo computes no probability (no won or no lost history for the team).
        """
        team_id = lead.get("team_id") or NO_TEAM
        team_key = team_id if team_id in self._results and team_id != NO_TEAM else ALL_TEAMS
        team_result = self._results[team_key]
        team_won, team_lost = self._team_prior(team_result)
        if not team_won or not team_lost:
            return None
        total = team_won + team_lost
        prior = math.log(team_won / total) - math.log(team_lost / total)
        pairs = []
        if lead.get("stage_id"):
            pairs.append(("stage_id", lead["stage_id"]))
        pairs += _lead_pairs(lead, self.fields)
        pairs += [("tag_id", tag) for tag in lead.get("tags") or ()]
        terms = []
        for name, value in pairs:
            field_result = team_result.get(name)
            cell = field_result["values"].get(str(value)) if field_result else None
            if not cell:
                continue
            total_won = team_won if name == "stage_id" else field_result["won_total"]
            total_lost = team_lost if name == "stage_id" else field_result["lost_total"]
            if not total_won or not total_lost:
                continue
            terms.append(
                (name, value, math.log(cell[0] / total_won) - math.log(cell[1] / total_lost))
            )
        return prior, terms

    def log_odds(self, lead):
        """Unrounded naive-Bayes log-odds of winning, or ``None`` when Odoo gives no probability."""
        terms = self.terms(lead)
        if terms is None:
            return None
        prior, items = terms
        return prior + sum(t for _n, _v, t in items)

    def probability(self, lead):
        """Odoo's ``automated_probability`` in percent: 0 without stage, 100 in a won stage."""
        if not lead.get("stage_id"):
            return 0
        if lead["stage_id"] in self._won_stage_ids:
            return 100
        log_odds = self.log_odds(lead)
        if log_odds is None:
            return None
        probability = _sigmoid(log_odds)
        return min(max(round(100 * probability, 2), 0.01), 99.99)

    def probabilities(self, leads):
        return [self.probability(lead) for lead in leads]


def _sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
