"""Lead snapshot (plain dict) -> numeric feature matrix.

Categorical fields become integer ordinal codes (NOT declared categorical to the tree model: shap's
TreeExplainer is exact on ordinal splits but was measured wrong on HistGradientBoosting's native categorical
splits). Codes follow the sorted category names seen in training. An unknown or empty category, and a missing number, become NaN.

Rare values are pooled: a category seen on fewer than ``min_support`` training leads (and any value never
seen in training) gets the code of one "other" bucket, so no reason can rest on a handful of leads. Tags seen
on fewer than ``min_support`` training leads are left out.

Counts that grow with the time a lead spends in the pipeline (messages, meetings, activities) can be turned
into rates (``per_month``): count per 30 days of the lead's age at the snapshot, over at least
``MIN_RATE_DAYS`` days. A closed lead's counts cover its whole life while an open lead is often young: as raw
counts, youth would read as lack of interest; as rates, leads of different ages compare.

Leakage guard: only fields known before the outcome may be features. A :class:`FeatureSpec` naming an
outcome field raises :class:`LeakageError`; snapshot keys outside the spec are ignored, so an outcome field
present in a snapshot can never reach the model.
"""

import math
from dataclasses import dataclass, field

import numpy as np

DEFAULT_CATEGORICAL = (
    "country",
    "state",
    "lang",
    "industry",
    "company_size",
    "source",
    "medium",
    "campaign",
    "team",
    "user",
    "email_quality",
    "phone_quality",
)
DEFAULT_NUMERIC = (
    "expected_revenue",
    "messages_in",
    "messages_out",
    "replies",
    "days_since_last_inbound",
    "meetings",
    "activities_done",
    "website_visits",
    "page_views",
    "age_days",
)
# Fields only known once the lead is decided (or derived from that decision).
OUTCOME_FIELDS = frozenset(
    {
        "stage",
        "stage_id",
        "won",
        "lost",
        "won_status",
        "is_won",
        "outcome",
        "active",
        "probability",
        "automated_probability",
        "date_closed",
        "date_last_stage_update",
        "lost_reason",
        "lost_reason_id",
        "date_conversion",
        "duration",
        "messages_after_outcome",
        "y",
        "target",
        "label",
    }
)
TAG_PREFIX = "tag:"
MAX_TAGS = 100
# Fewer training leads than this with a value: the value is pooled into "other" (tags: left out).
MIN_SUPPORT = 10
OTHER = "__other__"
# Rates of age-dependent counts: per this many days, over at least MIN_RATE_DAYS of age.
RATE_DAYS = 30.0
MIN_RATE_DAYS = 7.0


class LeakageError(ValueError):
    """A post-outcome field was asked for as a feature."""


@dataclass(frozen=True)
class FeatureSpec:
    """Which snapshot fields feed the model.

    :param categorical: names of categorical fields
    :param numeric: names of numeric fields
    :param use_tags: turn the snapshot's ``tags`` list into one 0/1 column per frequent tag
    :param excluded: fields an administrator excludes (e.g. for fairness); never read, whatever the lists say
    :param max_tags: at most this many tag columns, the most frequent tags of the training leads
    :param min_support: a category (or tag) seen on fewer training leads is pooled into "other" (tags:
        left out)
    :param per_month: numeric fields that are counts over the lead's life, read as a rate per 30 days of
        the lead's age (``age_field``, at least ``MIN_RATE_DAYS`` days)
    :param age_field: snapshot key of the lead's age in days at the snapshot, for ``per_month``
    """

    categorical: tuple = DEFAULT_CATEGORICAL
    numeric: tuple = DEFAULT_NUMERIC
    use_tags: bool = True
    excluded: frozenset = field(default_factory=frozenset)
    max_tags: int = MAX_TAGS
    min_support: int = MIN_SUPPORT
    per_month: tuple = ()
    age_field: str = "age_days"

    def __post_init__(self):
        object.__setattr__(self, "categorical", tuple(self.categorical))
        object.__setattr__(self, "numeric", tuple(self.numeric))
        object.__setattr__(self, "per_month", tuple(self.per_month))
        object.__setattr__(self, "excluded", frozenset(self.excluded))
        leaking = (set(self.categorical) | set(self.numeric)) & OUTCOME_FIELDS
        if leaking:
            raise LeakageError(f"post-outcome fields cannot be features: {sorted(leaking)}")

    @property
    def categorical_used(self):
        return tuple(f for f in self.categorical if f not in self.excluded)

    @property
    def numeric_used(self):
        return tuple(f for f in self.numeric if f not in self.excluded)

    @property
    def tags_used(self):
        return self.use_tags and "tags" not in self.excluded


def _is_missing(value):
    return (
        value is None
        or value is False
        or value == ""
        or (isinstance(value, float) and math.isnan(value))
    )


def _category_keys(snapshots, name):
    """The field's values as category names (``str``), ``None`` where missing."""
    return [None if _is_missing(v) else str(v) for v in (s.get(name) for s in snapshots)]


def _numbers(snapshots, name):
    return np.array(
        [math.nan if _is_missing(v) else float(v) for v in (s.get(name) for s in snapshots)]
    )


def _rates(snapshots, name, age_field):
    """Count per ``RATE_DAYS`` days of age (age floored at ``MIN_RATE_DAYS``); NaN when either is missing."""
    counts = _numbers(snapshots, name)
    ages = np.maximum(_numbers(snapshots, age_field), MIN_RATE_DAYS)
    return counts * RATE_DAYS / ages


class LeadFeatureEncoder:
    """Learns the category codes and tag vocabulary from training snapshots, then encodes any snapshot.

    One pass per column (a list comprehension, then numpy), not one Python loop per cell.
    """

    def __init__(self, spec=None):
        self.spec = spec if spec is not None else FeatureSpec()

    def _column(self, snapshots, name):
        if name in self.spec.per_month:
            return _rates(snapshots, name, self.spec.age_field)
        return _numbers(snapshots, name)

    def fit(self, snapshots, y):
        self.codes_ = {}
        self.other_codes_ = {}
        self.pooled_ = {}
        min_support = max(int(self.spec.min_support or 1), 1)
        for name in self.spec.categorical_used:
            support = {}
            for key in _category_keys(snapshots, name):
                if key is not None:
                    support[key] = support.get(key, 0) + 1
            # Codes by name: ordering by training won rate was measured to transfer worse under drift.
            ranked = sorted(key for key, n in support.items() if n >= min_support)
            rare = sorted(key for key, n in support.items() if n < min_support)
            codes = {value: code for code, value in enumerate(ranked)}
            if rare:
                # one bucket for all rare values, after the named ones
                self.other_codes_[name] = len(ranked)
                codes[OTHER] = len(ranked)
                self.pooled_[name] = rare
            self.codes_[name] = codes
        self.names_ = {
            name: dict(enumerate(sorted(codes, key=codes.get)))
            for name, codes in self.codes_.items()
        }
        self.tags_ = ()
        self.pooled_tags_ = []
        if self.spec.tags_used:
            counts = {}
            for snap in snapshots:
                for tag in snap.get("tags") or ():
                    counts[str(tag)] = counts.get(str(tag), 0) + 1
            supported = [t for t in counts if counts[t] >= min_support]
            self.pooled_tags_ = sorted(t for t in counts if counts[t] < min_support)
            frequent = sorted(supported, key=lambda t: (-counts[t], t))[: self.spec.max_tags]
            self.tags_ = tuple(sorted(frequent))
        # A field never filled in the training leads carries no information: leave it out.
        self.categorical_ = tuple(name for name in self.spec.categorical_used if self.codes_[name])
        self.numeric_ = tuple(
            name
            for name in self.spec.numeric_used
            if not np.isnan(self._column(snapshots, name)).all()
        )
        self.feature_names_ = (
            list(self.categorical_) + list(self.numeric_) + [TAG_PREFIX + t for t in self.tags_]
        )
        self.categorical_mask_ = np.array(
            [i < len(self.categorical_) for i in range(len(self.feature_names_))]
        )
        return self

    def transform(self, snapshots):
        """Matrix (n_leads, n_features) of floats; NaN for missing or unseen values."""
        n_cat, n_num = len(self.categorical_), len(self.numeric_)
        X = np.full((len(snapshots), len(self.feature_names_)), np.nan)
        for col, name in enumerate(self.categorical_):
            codes = self.codes_[name]
            # a value rare or unseen in training goes to the "other" bucket when there is one
            other = (
                self.other_codes_.get(name, math.nan) if hasattr(self, "other_codes_") else math.nan
            )
            X[:, col] = [
                math.nan if key is None else codes.get(key, other)
                for key in _category_keys(snapshots, name)
            ]
        for j, name in enumerate(self.numeric_):
            X[:, n_cat + j] = self._column(snapshots, name)
        if self.tags_:
            tag_index = {t: n_cat + n_num + i for i, t in enumerate(self.tags_)}
            X[:, n_cat + n_num :] = 0.0
            rows, cols = [], []
            for row, snap in enumerate(snapshots):
                for tag in snap.get("tags") or ():
                    col = tag_index.get(str(tag))
                    if col is not None:
                        rows.append(row)
                        cols.append(col)
            X[rows, cols] = 1.0
        return X

    def describe(self, feature, code):
        """Human text of a feature value: the category name back from its code."""
        if feature in self.codes_:
            if code is None or (isinstance(code, float) and math.isnan(code)):
                return "unknown"
            name = self.names_[feature].get(int(code), "unknown")
            return "another value (rare)" if name == OTHER else name
        if feature.startswith(TAG_PREFIX):
            return "yes" if code == 1 else "no"
        if code is None or (isinstance(code, float) and math.isnan(code)):
            return "unknown"
        if feature in self.spec.per_month:
            return f"{code:.1f} per month"
        return f"{code:g}"
