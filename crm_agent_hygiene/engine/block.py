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

The keys are plain strings so the Odoo side can store them: production blocks in PostgreSQL on the key
kinds each model declares it stores (``_hygiene_block_columns``, checked against ``KEY_KINDS``), with
pg_trgm similarity for ``FUZZY_KEY_KINDS``, and hands its candidate pairs to
``compare``/``classify``/``cluster``, which accept arbitrary pairs.

Pairs are returned as an ``int64`` array of shape ``(k, 2)`` with ``i < j``, sorted and de-duplicated.
"""

import numpy as np

DEFAULT_MAX_BLOCK_SIZE = 50
DEFAULT_WINDOW = 5

#: Key kinds, in the order ``record_keys`` yields them (the prefix of every key string).
KEY_KINDS = ("phone", "email", "domain", "vat", "name", "phonetic", "birth", "zip_name", "company")
#: Key kinds a store may match by similarity (pg_trgm) instead of equality.
FUZZY_KEY_KINDS = ("name",)
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


def _key_columns(table):
    """Per key kind, the key value of every row ('' = no key), built column-wise (same as ``_row_keys``)."""
    n = len(table)
    zip_name = [
        f"{z} {last[:1]}" if z and last else ""
        for z, last in zip(table.zip_key, table.last_token, strict=True)
    ]
    company = [
        f"{c} {first[:1]}" if c and first else ""
        for c, first in zip(table.company_key, table.first_token, strict=True)
    ]
    return (
        (
            ("phone", table.phone1),
            ("phone", table.phone2),
            ("email", table.email_key),
            ("domain", table.company_domain),
            ("vat", [v if len(v) >= 4 else "" for v in table.vat_key]),
            ("name", table.name_sorted),
            ("phonetic", [p if " " in p else "" for p in table.phonetic]),
            ("birth", [b if len(b) >= 6 else "" for b in table.birth_date]),
            ("zip_name", zip_name),
            ("company", company),
        )
        if n
        else ()
    )


def _key_arrays(table):
    """All keys of the table as parallel arrays ``(hash, row)``, one entry per (row, key)."""
    hashes, rows = [], []
    for kind, values in _key_columns(table):
        present = np.fromiter(map(bool, values), dtype=bool, count=len(values))
        where = np.flatnonzero(present)
        rows.append(where)
        hashes.append(
            np.fromiter(
                (hash((kind, values[r])) for r in where.tolist()), dtype=np.int64, count=len(where)
            )
        )
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(hashes), np.concatenate(rows).astype(np.int64, copy=False)


def _name_rank(table):
    """Rank of every row when ordered by sorted name tokens (ties by row): the in-block order."""
    names = table.name_sorted
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(names), dtype=np.int64)
    return rank


def _sorted_unique(codes):
    """Sorted unique values; sort-based (numpy 2's hash-based ``np.unique`` is several times slower here)."""
    codes = np.sort(codes)
    if len(codes) < 2:
        return codes
    keep = np.empty(len(codes), dtype=bool)
    keep[0] = True
    np.not_equal(codes[1:], codes[:-1], out=keep[1:])
    return codes[keep]


def _pair_codes(a, b, n):
    """Pairs as one ``int64`` each, ``min * n + max`` (half the memory of an ``(k, 2)`` array); self-pairs dropped."""
    i, j = np.minimum(a, b), np.maximum(a, b)
    keep = i != j
    return i[keep] * np.int64(n) + j[keep]


def _pairs_of_codes(codes, n):
    out = np.empty((len(codes), 2), dtype=np.int64)
    np.floor_divide(codes, n, out=out[:, 0])
    np.remainder(codes, n, out=out[:, 1])
    return out


def _block_codes(hashes, rows, rank, max_block_size, window, n):
    """Unique pair codes inside key blocks; oversize blocks use windowing in name order.

    Generated one block size (or one window offset) at a time and de-duplicated as we go, so memory
    holds the unique pairs plus one chunk, never every (pair, key) occurrence at once.
    """
    if not len(hashes):
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((rank[rows], hashes))
    h, m = hashes[order], rows[order]
    del order
    boundary = np.r_[True, h[1:] != h[:-1]]
    del h
    starts = np.flatnonzero(boundary)
    sizes = np.diff(np.r_[starts, len(m)])
    chunks = []
    pending = 0

    def add(codes):
        nonlocal chunks, pending
        chunks.append(_sorted_unique(codes))
        pending += len(chunks[-1])
        if (
            pending > 8_000_000 and len(chunks) > 1
        ):  # fold what we have into one sorted unique array
            chunks = [_sorted_unique(np.concatenate(chunks))]
            pending = len(chunks[0])

    small = (sizes >= 2) & (sizes <= max_block_size)
    for size in np.unique(sizes[small]).tolist():
        block_starts = starts[small & (sizes == size)]
        a, b = np.triu_indices(size, 1)
        step = max(1, 4_000_000 // len(a))
        for s in range(0, len(block_starts), step):
            first = block_starts[s : s + step, None]
            add(_pair_codes(m[first + a].ravel(), m[first + b].ravel(), n))
    big = sizes > max_block_size
    if big.any():
        group = np.cumsum(boundary) - 1
        in_big = big[group]
        for d in range(1, window):
            k = np.flatnonzero(in_big[:-d] & (group[:-d] == group[d:]))
            add(_pair_codes(m[k], m[k + d], n))
    if not chunks:
        return np.empty(0, dtype=np.int64)
    return _sorted_unique(np.concatenate(chunks)) if len(chunks) > 1 else chunks[0]


def _sorted_order(table, column):
    """Rows with a non-empty sort value, in sort order (ties by row)."""
    if column == "zip_street":
        values = [
            f"{z} {st}" if z and st else ""
            for z, st in zip(table.zip_key, table.street_key, strict=True)
        ]
    else:
        values = getattr(table, column)
    rows = [row for row in sorted(range(len(values)), key=values.__getitem__) if values[row]]
    return values, np.asarray(rows, dtype=np.int64)


def _sorted_neighbourhood_codes(table, column, window, n):
    _values, order = _sorted_order(table, column)
    chunks = [_pair_codes(order[:-d], order[d:], n) for d in range(1, window) if len(order) > d]
    return np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int64)


def candidate_pairs(
    table, max_block_size=DEFAULT_MAX_BLOCK_SIZE, window=DEFAULT_WINDOW, sort_keys=SORT_KEYS
):
    """All candidate pairs of a ``RecordTable``: ``int64`` array ``(k, 2)``, ``i < j``, unique, sorted."""
    n = len(table)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    hashes, rows = _key_arrays(table)
    rank = _name_rank(table)
    codes = [_block_codes(hashes, rows, rank, max_block_size, window, n)]
    del hashes, rows
    for column in sort_keys:
        codes.append(_sorted_neighbourhood_codes(table, column, window, n))
    return _pairs_of_codes(_sorted_unique(np.concatenate(codes)), n)
