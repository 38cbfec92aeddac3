"""In-memory incremental blocking, for the scale benchmark: a few changed records against a big
indexed set, without PostgreSQL.

The addon does not use this (its candidate pairs come from PostgreSQL on the blocking keys each
model declares); the benchmark uses it to measure the engine's incremental cost at a million
records, and ``tests/hygiene/test_key_index.py`` checks it agrees with the engine's full blocking.
"""

import bisect

import numpy as np

from crm_agent_hygiene.engine import DuplicateFinder, DuplicateResult
from crm_agent_hygiene.engine.block import (
    DEFAULT_MAX_BLOCK_SIZE,
    DEFAULT_WINDOW,
    SORT_KEYS,
    _key_arrays,
    _name_rank,
    _row_keys,
    _sort_value,
    _sorted_order,
)


class KeyIndex:
    """Blocking keys of a big table, kept sorted so a few changed records can be paired against it.

    ``pairs_for(changed_table)`` returns ``(changed_row, indexed_row)`` pairs equal to what
    ``candidate_pairs`` would produce for those records in the full table (when the index holds the
    records at their current values), in time proportional to the changed records, not the table.
    """

    def __init__(
        self, max_block_size=DEFAULT_MAX_BLOCK_SIZE, window=DEFAULT_WINDOW, sort_keys=SORT_KEYS
    ):
        self.max_block_size = max_block_size
        self.window = window
        self.sort_keys = sort_keys

    def fit(self, table):
        self.table_ = table
        hashes, rows = _key_arrays(table)
        self.rank_ = _name_rank(table)
        order = np.lexsort((self.rank_[rows], hashes))
        self.hashes_, self.rows_ = hashes[order], rows[order]
        names = table.name_sorted
        self.sorted_names_ = [names[r] for r in np.argsort(self.rank_)]
        self.row_of_id_ = {rid: row for row, rid in enumerate(table.ids) if rid is not None}
        self.sn_ = {}
        for column in self.sort_keys:
            values, rows_sorted = _sorted_order(table, column)
            position = np.full(
                len(table), -1, dtype=np.int64
            )  # row -> place in the order, -1 = no value
            position[rows_sorted] = np.arange(len(rows_sorted), dtype=np.int64)
            self.sn_[column] = ([values[r] for r in rows_sorted.tolist()], rows_sorted, position)
        return self

    def _rank_of(self, changed, row, indexed_row):
        if indexed_row is not None:
            return float(self.rank_[indexed_row])
        # a new record sorts between existing ranks: bisect in the global name order
        return bisect.bisect_left(self.sorted_names_, changed.name_sorted[row]) - 0.5

    def pairs_for(self, changed):
        """Candidate pairs ``(changed_row, indexed_row)`` as an ``int64`` array ``(k, 2)``, unique.

        A changed record whose ``id`` is in the index is never paired with its own indexed row.
        """
        out = []
        w = self.window
        for row in range(len(changed)):
            indexed_row = self.row_of_id_.get(changed.ids[row])
            rank = self._rank_of(changed, row, indexed_row)
            found = set()
            for kind, value in _row_keys(changed, row):
                h = hash((kind, value))
                lo = np.searchsorted(self.hashes_, h, "left")
                hi = np.searchsorted(self.hashes_, h, "right")
                size = hi - lo + (indexed_row is None)  # the block size the full table would have
                members = self.rows_[lo:hi]
                if size <= self.max_block_size:
                    found.update(members.tolist())
                else:
                    ranks = self.rank_[members]
                    pos = np.searchsorted(ranks, rank)
                    if indexed_row is None:
                        found.update(members[max(0, pos - w + 1) : pos + w - 1].tolist())
                    else:
                        found.update(members[max(0, pos - w + 1) : pos + w].tolist())
            for column in self.sort_keys:
                values, rows_sorted, position = self.sn_[column]
                if indexed_row is not None:
                    pos = int(position[indexed_row])
                    if pos < 0:
                        continue
                    found.update(rows_sorted[max(0, pos - w + 1) : pos + w].tolist())
                else:
                    value = _sort_value(changed, column, row)
                    if value:
                        pos = bisect.bisect_right(values, value)
                        found.update(rows_sorted[max(0, pos - w + 1) : pos + w - 1].tolist())
            found.discard(indexed_row)
            out.extend((row, other) for other in sorted(found))
        if not out:
            return np.empty((0, 2), dtype=np.int64)
        return np.asarray(out, dtype=np.int64)


class IncrementalFinder(DuplicateFinder):
    """``DuplicateFinder`` with an in-memory index: ``fit_index(records)`` once, then
    ``find_changed(changed_records)`` per batch of changes."""

    def fit_index(self, records=None, table=None):
        """Normalise and index the full set for ``find_changed``; returns ``self``."""
        self.table_ = table or self.normalise(records)
        self.index_ = KeyIndex(self.max_block_size, self.window).fit(self.table_)
        return self

    def find_changed(self, changed_records):
        """Matches between ``changed_records`` and the indexed set (``left`` = changed record).

        Records whose id is in the index are not matched with themselves. Clusters are not built
        here (the changed records alone do not give the whole picture): run ``find`` for that.
        """
        changed = self.normalise(changed_records)
        pairs = self.index_.pairs_for(changed)
        # compare against a small table of the indexed rows involved: the compare stage's per-table
        # arrays then cost O(pairs), not O(indexed records)
        rows, local = np.unique(pairs[:, 1], return_inverse=True)
        indexed = self.table_.take(rows.tolist())
        local_pairs = np.stack([pairs[:, 0], local.reshape(-1)], axis=1)
        features, scores = self._score(changed, indexed, local_pairs)
        matches = self._matches(changed, indexed, local_pairs, features, scores)
        for match in matches:
            match.right_row = int(rows[match.right_row])
        return DuplicateResult(
            matches=matches,
            candidates=len(pairs),
            flags={changed.ids[r]: list(f) for r, f in enumerate(changed.flags) if f},
        )
