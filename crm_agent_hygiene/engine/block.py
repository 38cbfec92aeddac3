"""Block stage: candidate pairs from shared keys, never all pairs.

Two records become a candidate pair when they share a *blocking key* or sit next to each other in a
*sorted neighbourhood*:

* keys (``record_keys``): E.164 phone, lower-case e-mail, non-free-mail company domain, identifier
  (VAT/national id), exact name tokens, phonetic name key (Soundex of first and last name, order-free),
  birth date, zip + phonetic surname, company name + first-name initial;
* sorted neighbourhood: records ordered by ``SORT_KEYS`` (name tokens sorted, zip + street) pair with their
  ``window - 1`` neighbours, which catches typos in the first letters that defeat the keys.

Oversize blocks: a key shared by more than ``max_block_size`` records (a switchboard phone, a big
company's domain, a common name) would yield ``n²/2`` pairs. Such a block is not expanded; its members
are ordered by name and each is paired with its ``window - 1`` neighbours inside the block
(sorted-neighbourhood within the block), so the cost stays linear.

The keys are plain strings so the Odoo side can store them (or compute the same thing in PostgreSQL,
e.g. with pg_trgm) and hand any candidate pairs it likes to ``compare``/``classify``/``cluster``:
those stages accept arbitrary pairs.

Pairs are returned as an ``int64`` array of shape ``(k, 2)`` with ``i < j``, sorted and de-duplicated.
"""

import bisect

import numpy as np

DEFAULT_MAX_BLOCK_SIZE = 50
DEFAULT_WINDOW = 5

#: Key kinds, in the order ``record_keys`` yields them (the prefix of every key string).
KEY_KINDS = ("phone", "email", "domain", "vat", "name", "phonetic", "birth", "zip_name", "company")
#: Columns used for the global sorted-neighbourhood passes.
SORT_KEYS = ("name_sorted", "zip_street")


def _row_keys(table, row):
    """Blocking keys of one row of a ``RecordTable``: list of ``(kind, value)``."""
    keys = []
    for phone in (table.phone1[row], table.phone2[row]):
        if phone:
            keys.append(("phone", phone))
    if table.email_key[row]:
        keys.append(("email", table.email_key[row]))
    if table.company_domain[row]:
        keys.append(("domain", table.company_domain[row]))
    if len(table.vat_key[row]) >= 4:
        keys.append(("vat", table.vat_key[row]))
    if table.name_sorted[row]:
        keys.append(("name", table.name_sorted[row]))
    if " " in table.phonetic[row]:  # first and last name both present
        keys.append(("phonetic", table.phonetic[row]))
    if len(table.birth_date[row]) >= 6:
        keys.append(("birth", table.birth_date[row]))
    last = table.last_token[row]
    if table.zip_key[row] and last:
        keys.append(("zip_name", f"{table.zip_key[row]} {last[:1]}"))
    if table.company_key[row] and table.first_token[row]:
        keys.append(("company", f"{table.company_key[row]} {table.first_token[row][:1]}"))
    return keys


def record_keys(table, row):
    """Blocking keys of one row as strings ``'kind|value'`` (what the Odoo side may store/index)."""
    return [f"{kind}|{value}" for kind, value in _row_keys(table, row)]


def _sort_value(table, column, row):
    if column == "zip_street":
        zip_key, street = table.zip_key[row], table.street_key[row]
        return f"{zip_key} {street}" if zip_key and street else ""
    return getattr(table, column)[row]


def _key_arrays(table):
    """All keys of the table as parallel arrays ``(hash, row)``, one entry per (row, key)."""
    hashes, rows = [], []
    for row in range(len(table)):
        for kind, value in _row_keys(table, row):
            hashes.append(hash((kind, value)))
            rows.append(row)
    return np.asarray(hashes, dtype=np.int64), np.asarray(rows, dtype=np.int64)


def _name_rank(table):
    """Rank of every row when ordered by sorted name tokens (ties by row): the in-block order."""
    names = table.name_sorted
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(names), dtype=np.int64)
    return rank


def _canonical(pairs, n):
    """Order each pair as (min, max), drop self-pairs, de-duplicate, sort."""
    if not len(pairs):
        return np.empty((0, 2), dtype=np.int64)
    i = np.minimum(pairs[:, 0], pairs[:, 1])
    j = np.maximum(pairs[:, 0], pairs[:, 1])
    keep = i != j
    code = np.unique(i[keep] * np.int64(max(n, 1)) + j[keep])
    return np.stack([code // max(n, 1), code % max(n, 1)], axis=1)


def _block_pairs(hashes, rows, rank, max_block_size, window):
    """Pairs inside key blocks; oversize blocks use windowing in name order."""
    if not len(hashes):
        return np.empty((0, 2), dtype=np.int64)
    order = np.lexsort((rank[rows], hashes))
    h, m = hashes[order], rows[order]
    boundary = np.r_[True, h[1:] != h[:-1]]
    starts = np.flatnonzero(boundary)
    sizes = np.diff(np.r_[starts, len(h)])
    chunks = []
    small = (sizes >= 2) & (sizes <= max_block_size)
    for size in np.unique(sizes[small]):
        block_starts = starts[small & (sizes == size)]
        a, b = np.triu_indices(int(size), 1)
        chunks.append(np.stack([m[block_starts[:, None] + a].ravel(), m[block_starts[:, None] + b].ravel()], axis=1))
    big = sizes > max_block_size
    if big.any():
        group = np.cumsum(boundary) - 1
        in_big = big[group]
        for d in range(1, window):
            k = np.flatnonzero(in_big[:-d] & (group[:-d] == group[d:]))
            chunks.append(np.stack([m[k], m[k + d]], axis=1))
    return np.concatenate(chunks) if chunks else np.empty((0, 2), dtype=np.int64)


def _sorted_neighbourhood(table, column, window):
    values = [_sort_value(table, column, row) for row in range(len(table))]
    rows = [row for row in sorted(range(len(values)), key=values.__getitem__) if values[row]]
    order = np.asarray(rows, dtype=np.int64)
    chunks = [np.stack([order[:-d], order[d:]], axis=1) for d in range(1, window) if len(order) > d]
    return np.concatenate(chunks) if chunks else np.empty((0, 2), dtype=np.int64)


def candidate_pairs(table, max_block_size=DEFAULT_MAX_BLOCK_SIZE, window=DEFAULT_WINDOW, sort_keys=SORT_KEYS):
    """All candidate pairs of a ``RecordTable``: ``int64`` array ``(k, 2)``, ``i < j``, unique."""
    n = len(table)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    hashes, rows = _key_arrays(table)
    rank = _name_rank(table)
    chunks = [_block_pairs(hashes, rows, rank, max_block_size, window)]
    for column in sort_keys:
        chunks.append(_sorted_neighbourhood(table, column, window))
    return _canonical(np.concatenate(chunks), n)


class KeyIndex:
    """Blocking keys of a big table, kept sorted so a few changed records can be paired against it.

    ``pairs_for(changed_table)`` returns ``(changed_row, indexed_row)`` pairs equal to what
    ``candidate_pairs`` would produce for those records in the full table (when the index holds the
    records at their current values), in time proportional to the changed records, not the table.
    """

    def __init__(self, max_block_size=DEFAULT_MAX_BLOCK_SIZE, window=DEFAULT_WINDOW, sort_keys=SORT_KEYS):
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
            values = [_sort_value(table, column, row) for row in range(len(table))]
            rows_sorted = [row for row in sorted(range(len(values)), key=values.__getitem__) if values[row]]
            position = {row: k for k, row in enumerate(rows_sorted)}
            self.sn_[column] = ([values[r] for r in rows_sorted], np.asarray(rows_sorted, dtype=np.int64), position)
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
                        found.update(members[max(0, pos - w + 1):pos + w - 1].tolist())
                    else:
                        found.update(members[max(0, pos - w + 1):pos + w].tolist())
            for column in self.sort_keys:
                values, rows_sorted, position = self.sn_[column]
                if indexed_row is not None:
                    if indexed_row not in position:
                        continue
                    pos = position[indexed_row]
                    found.update(rows_sorted[max(0, pos - w + 1):pos + w].tolist())
                else:
                    value = _sort_value(changed, column, row)
                    if value:
                        pos = bisect.bisect_right(values, value)
                        found.update(rows_sorted[max(0, pos - w + 1):pos + w - 1].tolist())
            found.discard(indexed_row)
            out.extend((row, other) for other in sorted(found))
        if not out:
            return np.empty((0, 2), dtype=np.int64)
        return np.asarray(out, dtype=np.int64)
