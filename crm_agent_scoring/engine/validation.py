"""Time-ordered validation of LeadScorer against Odoo's PLS on the same held-out leads.

Two PLS baselines:

- :func:`odoo_pls`: Odoo's PLS as a database configures it (its ``crm.pls_fields``, its per-team frequency
  tables built by Odoo's rules, its computation: pls.py mirrors ``_pls_get_naive_bayes_probabilities``),
  with the frequency tables built from the training leads only and every held-out lead scored at the
  first stage (its stage at entry: the stage a lead is lost or won in is the outcome, and won leads score
  100 in PLS). This is what the Odoo addon compares against.
- :class:`PlsBaseline`, for data sets without an Odoo configuration (the benchmarks): ``crm.pls_fields =
  tag_ids`` where every categorical value and every training-quintile bin of a number is a tag
  (``"source=Referral"``, ``"age_days=q2"``), plus the lead's own tags, all leads in one open stage
  without team.
"""

import numpy as np
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from .features import FeatureSpec
from .model import LeadScorer, as_snapshots
from .pls import PlsScorer, Stage, build_frequency_table

_OPEN, _WON = 1, 2
_STAGES = (Stage(_OPEN, 1), Stage(_WON, 70, is_won=True))


class PlsBaseline:
    """Odoo PLS fitted on training snapshots, giving probabilities in [0, 1] (Odoo's rounded percent / 100)."""

    def __init__(self, spec=None):
        self.spec = spec if spec is not None else FeatureSpec()

    def _tags(self, snap):
        tags = []
        for name in self.spec.categorical_used:
            value = snap.get(name)
            if value is not None and value is not False and value == value and value != "":
                tags.append(f"{name}={value}")
        for name in self.spec.numeric_used:
            value = snap.get(name)
            if value is not None and value is not False and value == value:
                # Right-closed quintile bins, like pandas.qcut.
                tags.append(
                    f"{name}=q{int(np.searchsorted(self.edges_[name], float(value), side='left'))}"
                )
        if self.spec.tags_used:
            tags += [f"tag={t}" for t in snap.get("tags") or ()]
        return tags

    def fit(self, X, y):
        snapshots = as_snapshots(X)
        y = np.asarray(y).astype(int)
        self.edges_ = {}
        for name in self.spec.numeric_used:
            values = np.array(
                [
                    float(s[name])
                    for s in snapshots
                    if s.get(name) is not None and s.get(name) == s.get(name)
                ]
            )
            self.edges_[name] = (
                np.unique(np.quantile(values, [0.2, 0.4, 0.6, 0.8]))
                if values.size
                else np.array([])
            )
        closed = [
            {
                "team_id": 0,
                "stage_id": _WON if won else _OPEN,
                "values": {},
                "tags": self._tags(s),
                "outcome": "won" if won else "lost",
            }
            for s, won in zip(snapshots, y, strict=False)
        ]
        self.pls_ = PlsScorer(build_frequency_table(closed, ["tag_ids"], _STAGES), ["tag_ids"])
        return self

    def predict(self, X):
        out = [
            self.pls_.probability(
                {"team_id": 0, "stage_id": _OPEN, "values": {}, "tags": self._tags(s)}
            )
            for s in as_snapshots(X)
        ]
        return np.array([np.nan if p is None else p / 100.0 for p in out])


def odoo_pls(train_leads, test_leads, fields, stages, first_stage_id):
    """Odoo's PLS fitted on ``train_leads`` and applied to ``test_leads`` at the first stage.

    :param train_leads: pls.py lead dicts with their ``outcome`` (the training leads only)
    :param test_leads: pls.py lead dicts (their stage and outcome are ignored)
    :param fields: Odoo's ``crm.pls_fields``
    :param stages: every :class:`~.pls.Stage`
    :param first_stage_id: Odoo's first stage (lowest sequence among stages of no team)
    :return: ``(scorer, probabilities)``, probabilities in [0, 1] as Odoo rounds them, ``None`` where
        Odoo computes none (no won or no lost lead for the team)
    """
    scorer = PlsScorer(build_frequency_table(train_leads, fields, stages), fields)
    probabilities = []
    for lead in test_leads:
        p = scorer.probability(dict(lead, stage_id=first_stage_id))
        probabilities.append(None if p is None else p / 100.0)
    return scorer, probabilities


def pls_field_auc(scorer, test_leads, y, first_stage_id):
    """Per PLS variable, how its own term ranks the held-out leads: ``{variable: AUC}`` (variables whose
    term does not vary are left out). Below 0.5, what the variable meant in the training leads was
    reversed in the held-out ones."""
    y = np.asarray(y).astype(int)
    if not 0 < y.sum() < len(y):
        return {}
    per_variable = {}
    for i, lead in enumerate(test_leads):
        terms = scorer.terms(dict(lead, stage_id=first_stage_id))
        if terms is None:
            continue
        for name, _value, term in terms[1]:
            if name == "stage_id":
                continue
            per_variable.setdefault(name, np.zeros(len(y)))[i] += term
    return {
        name: float(roc_auc_score(y, column))
        for name, column in sorted(per_variable.items())
        if np.ptp(column) > 0
    }


def calibration_table(y, p, n_bins=10):
    """Deciles of predicted probability: count, mean predicted, observed won rate."""
    y, p = np.asarray(y), np.asarray(p)
    order = np.argsort(p, kind="stable")
    rows = []
    for i, idx in enumerate(np.array_split(order, n_bins)):
        if len(idx):
            rows.append(
                {
                    "decile": i + 1,
                    "n": int(len(idx)),
                    "mean_predicted": float(p[idx].mean()),
                    "observed_rate": float(y[idx].mean()),
                }
            )
    return rows


def lift(y, p, share):
    """Won rate among the top ``share`` of leads by score, divided by the overall won rate."""
    y, p = np.asarray(y), np.asarray(p)
    k = max(1, int(round(len(y) * share)))
    top = np.argsort(-p, kind="stable")[:k]
    return float(y[top].mean() / y.mean()) if y.mean() > 0 else float("nan")


def metrics(y, p):
    y = np.asarray(y)
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return {
        "n": int(len(y)),
        "won_rate": float(y.mean()),
        "auc": float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan"),
        "brier": float(brier_score_loss(y, p)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "lift_top10": lift(y, p, 0.1),
        "lift_top20": lift(y, p, 0.2),
        "calibration": calibration_table(y, p),
    }


def verdict(ours, pls, auc_margin=0.02):
    """Ours beats PLS when AUC >= PLS AUC + margin AND Brier and log loss are both lower."""
    checks = {
        "auc": ours["auc"] >= pls["auc"] + auc_margin,
        "brier": ours["brier"] < pls["brier"],
        "log_loss": ours["log_loss"] < pls["log_loss"],
    }
    return {"beats_pls": all(checks.values()), "checks": checks, "auc_margin": auc_margin}


def compare(
    train_X,
    train_y,
    test_X,
    test_y,
    scorer=None,
    spec=None,
    auc_margin=0.02,
    train_order=None,
    p_pls=None,
):
    """Fit ours and PLS on the training leads, score the test leads with both.

    :param p_pls: PLS probabilities of the test leads computed by the caller (e.g. :func:`odoo_pls`);
        ``None`` fits :class:`PlsBaseline`
    """
    scorer = scorer if scorer is not None else LeadScorer(spec=spec)
    spec = scorer.spec if scorer.spec is not None else (spec or FeatureSpec())
    scorer.fit(train_X, train_y, sample_order=train_order)
    p_ours = scorer.predict_proba(test_X)[:, 1]
    if p_pls is None:
        p_pls = PlsBaseline(spec).fit(train_X, train_y).predict(test_X)
    p_pls = np.asarray(p_pls, dtype=float)
    ours, pls = metrics(test_y, p_ours), metrics(test_y, p_pls)
    return {
        "ours": ours,
        "pls": pls,
        "verdict": verdict(ours, pls, auc_margin),
        "scorer": scorer,
        "p_ours": p_ours,
        "p_pls": p_pls,
    }


def _sorted(X, y, order):
    snapshots, y = as_snapshots(X), np.asarray(y).astype(int)
    if order is not None:
        idx = np.argsort(np.asarray(order), kind="stable")
        snapshots, y = [snapshots[i] for i in idx], y[idx]
    return snapshots, y


def time_holdout(X, y, order=None, holdout_fraction=0.3, **kwargs):
    """Train on the oldest leads, validate on the most recent ``holdout_fraction`` (see :func:`compare`)."""
    snapshots, y = _sorted(X, y, order)
    cut = int(len(y) * (1 - holdout_fraction))
    return compare(snapshots[:cut], y[:cut], snapshots[cut:], y[cut:], **kwargs)


def rolling_origin(
    X, y, order=None, n_blocks=6, initial_fraction=0.4, scorer_factory=LeadScorer, **kwargs
):
    """Train on every lead before a block, score the block; blocks cover the data after ``initial_fraction``.

    :return: ``{"blocks": [compare-result without models], "mean": {"ours": {...}, "pls": {...}}, "verdict"}``
    """
    snapshots, y = _sorted(X, y, order)
    start = int(len(y) * initial_fraction)
    bounds = np.linspace(start, len(y), n_blocks + 1).astype(int)
    blocks = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=False):
        result = compare(
            snapshots[:lo], y[:lo], snapshots[lo:hi], y[lo:hi], scorer=scorer_factory(), **kwargs
        )
        blocks.append(
            {
                "train_n": int(lo),
                "test_range": (int(lo), int(hi)),
                "ours": result["ours"],
                "pls": result["pls"],
                "verdict": result["verdict"],
            }
        )
    keys = ("auc", "brier", "log_loss")
    mean = {
        who: {k: float(np.mean([b[who][k] for b in blocks])) for k in keys}
        for who in ("ours", "pls")
    }
    return {
        "blocks": blocks,
        "mean": mean,
        "verdict": verdict(mean["ours"], mean["pls"], kwargs.get("auc_margin", 0.02)),
    }


def segment_report(X, y, probabilities, field):
    """Per value of ``field``: leads, won rate, mean score and AUC (None when one class only)."""
    snapshots, y, p = (
        as_snapshots(X),
        np.asarray(y).astype(int),
        np.asarray(probabilities, dtype=float),
    )
    groups = {}
    for i, snap in enumerate(snapshots):
        value = snap.get(field)
        groups.setdefault("unknown" if value in (None, False, "") else str(value), []).append(i)
    rows = []
    for value, idx in sorted(groups.items()):
        ys, ps = y[idx], p[idx]
        rows.append(
            {
                "segment": value,
                "n": len(idx),
                "won_rate": float(ys.mean()),
                "mean_score": float(100 * ps.mean()),
                "auc": float(roc_auc_score(ys, ps)) if 0 < ys.sum() < len(ys) else None,
            }
        )
    return rows
