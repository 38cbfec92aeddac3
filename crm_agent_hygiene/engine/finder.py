"""Duplicate finder: normalise -> block -> compare -> classify -> cluster, plus survivor choice.

Records are plain dicts (see ``normalise.RECORD_FIELDS``); results refer to them by their ``id``
(and by their position in the list given, ``left_row``/``right_row``).

* ``find(records)`` — full pass with our own blocking;
* ``find(records, pairs=...)`` — skip blocking, score the caller's candidate pairs (row numbers into
  ``records``), e.g. pairs produced by PostgreSQL with pg_trgm; ``pairs_from_ids`` converts id pairs.
  This is what the addon does: its candidate pairs come from PostgreSQL on the same blocking keys.
"""

from dataclasses import dataclass, field

import numpy as np

from . import compare as compare_stage
from .block import DEFAULT_MAX_BLOCK_SIZE, DEFAULT_WINDOW, candidate_pairs
from .classify import DEFAULT_PRIOR, DEFAULT_THRESHOLD, FellegiSunter, explain
from .cluster import DEFAULT_LINK_THRESHOLD, cluster
from .normalise import RecordTable


@dataclass
class Match:
    """A likely duplicate pair: ids, rows in the input lists, probability, log2 score, reasons."""

    left_id: object
    right_id: object
    probability: float
    score: float
    reasons: list
    left_row: int
    right_row: int


@dataclass
class DuplicateResult:
    """``matches`` (probability >= threshold, strongest first), ``clusters`` (lists of ids, each
    cluster internally consistent), ``conflicts`` (strong pairs refused by the no-chaining rule, as
    dicts), ``candidates`` (number of pairs scored), ``flags`` (id -> normalisation problems)."""

    matches: list = field(default_factory=list)
    clusters: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    candidates: int = 0
    flags: dict = field(default_factory=dict)


def pairs_from_ids(records, id_pairs):
    """Convert ``(id_a, id_b)`` pairs into row pairs of ``records``; unknown ids are skipped."""
    row_of = {rec.get("id"): row for row, rec in enumerate(records) if isinstance(rec, dict)}
    rows = [(row_of[a], row_of[b]) for a, b in id_pairs if a in row_of and b in row_of and a != b]
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)


class DuplicateFinder:
    """Configured pipeline. Parameters are only stored here; the work happens in the methods."""

    def __init__(
        self,
        default_regions=(),
        threshold=DEFAULT_THRESHOLD,
        link_threshold=DEFAULT_LINK_THRESHOLD,
        max_block_size=DEFAULT_MAX_BLOCK_SIZE,
        window=DEFAULT_WINDOW,
        weights=None,
        prior=DEFAULT_PRIOR,
        workers=1,
    ):
        self.default_regions = default_regions
        self.threshold = threshold
        self.link_threshold = link_threshold
        self.max_block_size = max_block_size
        self.window = window
        self.weights = weights
        self.prior = prior
        self.workers = workers

    def _classifier(self):
        return FellegiSunter(self.weights, self.prior, self.threshold)

    def normalise(self, records):
        return RecordTable.from_records(records, self.default_regions)

    def _score(self, left, right, pairs):
        compare_stage.set_workers(self.workers)
        features = compare_stage.compare(left, right, pairs)
        return features, self._classifier().score(features)

    def _matches(self, left, right, pairs, features, scores, only_above=True):
        keep = (
            np.flatnonzero(scores.probability >= self.threshold)
            if only_above
            else np.arange(len(pairs))
        )
        keep = keep[np.argsort(-scores.score[keep], kind="stable")]
        out = []
        for k in keep.tolist():
            li, ri = int(pairs[k, 0]), int(pairs[k, 1])
            out.append(
                Match(
                    left.ids[li],
                    right.ids[ri],
                    float(scores.probability[k]),
                    float(scores.score[k]),
                    explain(scores, features, k, left, right, li, ri),
                    li,
                    ri,
                )
            )
        return out

    def score_pairs(self, records, pairs, table=None):
        """Score arbitrary row pairs of ``records`` (no threshold): list of ``Match``, best first."""
        table = table or self.normalise(records)
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        features, scores = self._score(table, table, pairs)
        return self._matches(table, table, pairs, features, scores, only_above=False)

    def find(self, records, pairs=None, table=None, chunk_size=1_000_000):
        """Full pass. ``pairs`` (row pairs into ``records``) replaces our blocking when given."""
        table = table or self.normalise(records)
        if pairs is None:
            pairs = candidate_pairs(table, self.max_block_size, self.window)
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        n_pairs = len(pairs)
        # chunked so memory holds one chunk of features; only the pairs that can matter to the
        # clusters (probability >= the link threshold) are kept, the others are dropped as we go
        floor = min(self.link_threshold, self.threshold)
        kept_pairs, kept_probability = [], []
        matches = []
        for start in range(0, n_pairs, chunk_size):
            chunk = pairs[start : start + chunk_size]
            features, scores = self._score(table, table, chunk)
            keep = scores.probability >= floor
            kept_pairs.append(chunk[keep])
            kept_probability.append(scores.probability[keep])
            matches.extend(self._matches(table, table, chunk, features, scores))
            del features, scores
        del pairs
        matches.sort(key=lambda m: -m.score)

        def score_more(extra):
            return self._score(table, table, extra)[1].probability

        clustering = cluster(
            np.concatenate(kept_pairs) if kept_pairs else np.empty((0, 2), dtype=np.int64),
            np.concatenate(kept_probability) if kept_probability else np.empty(0),
            self.threshold,
            self.link_threshold,
            score_more,
        )
        ids = table.ids
        return DuplicateResult(
            matches=matches,
            clusters=[[ids[r] for r in group] for group in clustering.clusters],
            conflicts=[
                {
                    "left_id": ids[i],
                    "right_id": ids[j],
                    "probability": p,
                    "weakest_pair": (ids[w[0]], ids[w[1]]) if w else None,
                    "weakest_probability": q,
                }
                for i, j, p, w, q in clustering.conflicts
            ],
            candidates=n_pairs,
            flags={ids[r]: list(f) for r, f in enumerate(table.flags) if f},
        )


def find_duplicates(records, pairs=None, **params):
    """One-call full pass: ``DuplicateFinder(**params).find(records, pairs)``."""
    return DuplicateFinder(**params).find(records, pairs)


SURVIVOR_RULES = ("most_complete", "most_activity", "oldest")


def _completeness(record):
    return sum(
        1 for key, value in record.items() if key != "id" and value not in (None, False, "", [], ())
    )


def choose_survivor(records, rule="most_complete", activity=None, created=None):
    """Pick the record to keep among duplicates; returns its ``id``.

    * ``most_complete``: most non-empty fields;
    * ``most_activity``: highest ``activity[id]`` (caller counts messages/leads/orders);
    * ``oldest``: earliest ``created[id]`` (or the record's ``create_date``), else the smallest id.
    Ties fall back to most complete, then the smallest id (deterministic).
    """
    records = [r for r in records if isinstance(r, dict) and r.get("id") is not None]
    if not records:
        raise ValueError("choose_survivor needs at least one record with an id")
    if rule not in SURVIVOR_RULES:
        raise ValueError(f"unknown survivor rule {rule!r}; use one of {SURVIVOR_RULES}")

    def id_key(r):
        rid = r["id"]
        return (0, rid, "") if isinstance(rid, int | float) else (1, 0, str(rid))

    if rule == "most_complete":
        best = min(records, key=lambda r: (-_completeness(r), id_key(r)))
    elif rule == "most_activity":
        activity = activity or {}
        best = min(records, key=lambda r: (-activity.get(r["id"], 0), -_completeness(r), id_key(r)))
    else:
        created = created or {}

        def age(r):
            date = created.get(r["id"], r.get("create_date"))
            return (0, str(date)) if date not in (None, False, "") else (1, "")

        best = min(records, key=lambda r: (age(r), id_key(r)))
    return best["id"]
