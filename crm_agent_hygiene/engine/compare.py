"""Compare stage: a feature vector per candidate pair, computed column by column.

``compare(left, right, pairs)`` takes two ``RecordTable`` objects (the same one for deduplication) and
an ``int64`` array of ``(left_row, right_row)`` pairs from *any* source (our blocking, PostgreSQL
pg_trgm, a user's selection) and returns a ``dict`` of ``float32`` arrays, one per name in
``FEATURES``. Similarities are in ``[0, 1]``, distances are edit counts, and ``NaN`` means "at least
one side is missing", which the classifier treats as no evidence either way.

Every string measure runs through ``rapidfuzz.process.cpdist`` (element-wise, in C, multi-threaded).
"""

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

FEATURES = (
    "name_token_sort",
    "name_token_set",
    "name_jaro_winkler",
    "name_partial",
    "name_parts",
    "email_exact",
    "email_local",
    "email_domain",
    "email_role",
    "phone_exact",
    "phone_suffix",
    "company_exact",
    "company_similarity",
    "company_domain",
    "street",
    "city",
    "zip_distance",
    "state_exact",
    "vat_distance",
    "birth_distance",
)

#: E-mail local parts shared by many people: an exact match on them is weak evidence.
ROLE_LOCAL_PARTS = frozenset(
    "info contact sales admin office hello support service accounts accounting billing invoice "
    "invoices team mail email enquiries inquiries marketing hr jobs careers reception noreply "
    "no-reply webmaster postmaster orders shop help booking".split()
)

_WORKERS = (
    1  # set by callers with ``set_workers``; cpdist threads are cheap but the machine is shared
)


def set_workers(workers):
    """Threads used by rapidfuzz (``-1`` = all cores)."""
    global _WORKERS
    _WORKERS = workers


def _hash_column(values):
    """int64 hash per value, 0 for an empty value (so equality of two hashes != 0 means same value)."""
    return np.fromiter((hash(v) if v else 0 for v in values), dtype=np.int64, count=len(values))


def _gather(values, rows):
    return [values[r] for r in rows]


def _present(values):
    return np.fromiter((bool(v) for v in values), dtype=bool, count=len(values))


class _Columns:
    """Per-table arrays built once and reused across compare calls (hashes, presence masks)."""

    def __init__(self, table):
        self.table = table
        self._cache = {}

    def hashes(self, column):
        key = ("h", column)
        if key not in self._cache:
            self._cache[key] = _hash_column(getattr(self.table, column))
        return self._cache[key]

    def suffix_hashes(self, column):
        key = ("s", column)
        if key not in self._cache:
            self._cache[key] = _hash_column(
                [v[-7:] if len(v) >= 8 else "" for v in getattr(self.table, column)]
            )
        return self._cache[key]

    def role_local(self):
        if "role" not in self._cache:
            locals_ = self.table.email_local
            self._cache["role"] = np.fromiter(
                (v in ROLE_LOCAL_PARTS for v in locals_), dtype=bool, count=len(locals_)
            )
        return self._cache["role"]

    def present(self, column):
        key = ("p", column)
        if key not in self._cache:
            self._cache[key] = _present(getattr(self.table, column))
        return self._cache[key]


_COLUMN_CACHE = {}


def _columns(table):
    # keyed by identity; dropped when a different table comes along to keep memory bounded
    entry = _COLUMN_CACHE.get(id(table))
    if entry is None or entry.table is not table:
        if len(_COLUMN_CACHE) > 4:
            _COLUMN_CACHE.clear()
        entry = _COLUMN_CACHE[id(table)] = _Columns(table)
    return entry


def _string_measure(left, right, column, li, ri, scorer, both, **kwargs):
    a = _gather(getattr(left, column), li)
    b = _gather(getattr(right, column), ri)
    out = process.cpdist(a, b, scorer=scorer, dtype=np.float32, workers=_WORKERS, **kwargs)
    out = out.astype(np.float32, copy=False)
    out[~both] = np.nan
    return out


def _cross(left_values, right_values, li, ri):
    a, b = _gather(left_values, li), _gather(right_values, ri)
    return process.cpdist(
        a, b, scorer=JaroWinkler.normalized_similarity, dtype=np.float32, workers=_WORKERS
    )


def _exact(lc, rc, column, li, ri, both):
    out = (lc.hashes(column)[li] == rc.hashes(column)[ri]).astype(np.float32)
    out[~both] = np.nan
    return out


def compare(left, right, pairs, chunk_size=2_000_000):
    """Feature arrays for ``pairs`` (``(k, 2)`` rows of ``left``/``right``); see ``FEATURES``."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    if len(pairs) > chunk_size:
        parts = [
            compare(left, right, pairs[s : s + chunk_size], chunk_size)
            for s in range(0, len(pairs), chunk_size)
        ]
        return {name: np.concatenate([p[name] for p in parts]) for name in FEATURES}
    li, ri = pairs[:, 0], pairs[:, 1]
    lc, rc = _columns(left), _columns(right)

    def both(column):
        return lc.present(column)[li] & rc.present(column)[ri]

    f = {}
    name_both = both("name_key")
    f["name_token_sort"] = (
        _string_measure(left, right, "name_key", li, ri, fuzz.token_sort_ratio, name_both) / 100
    )
    f["name_token_set"] = (
        _string_measure(left, right, "name_key", li, ri, fuzz.token_set_ratio, name_both) / 100
    )
    f["name_jaro_winkler"] = _string_measure(
        left, right, "name_sorted", li, ri, JaroWinkler.normalized_similarity, name_both
    )
    f["name_partial"] = (
        _string_measure(left, right, "name_key", li, ri, fuzz.partial_ratio, name_both) / 100
    )
    # first/last tokens compared straight and crossed (given and family name swapped)
    ff = _string_measure(
        left, right, "first_token", li, ri, JaroWinkler.normalized_similarity, name_both
    )
    ll = _string_measure(
        left, right, "last_token", li, ri, JaroWinkler.normalized_similarity, name_both
    )
    fl = _cross(left.first_token, right.last_token, li, ri)
    lf = _cross(left.last_token, right.first_token, li, ri)
    parts = np.maximum(np.minimum(ff, ll), np.minimum(fl, lf)).astype(np.float32)
    parts[~name_both] = np.nan
    f["name_parts"] = parts

    email_both = both("email_key")
    f["email_exact"] = _exact(lc, rc, "email_key", li, ri, email_both)
    f["email_local"] = _string_measure(
        left, right, "email_local", li, ri, JaroWinkler.normalized_similarity, email_both
    )
    f["email_domain"] = _exact(lc, rc, "email_domain", li, ri, email_both)
    role = lc.role_local()[li]
    f["email_role"] = np.where(email_both, role, np.nan).astype(np.float32)

    l1, l2 = lc.hashes("phone1")[li], lc.hashes("phone2")[li]
    r1, r2 = rc.hashes("phone1")[ri], rc.hashes("phone2")[ri]
    phone_both = (l1 != 0) & (r1 != 0)
    same = (
        (l1 == r1) | ((l1 == r2) & (r2 != 0)) | ((l2 == r1) & (l2 != 0)) | ((l2 == r2) & (l2 != 0))
    )
    f["phone_exact"] = np.where(phone_both, same, np.nan).astype(np.float32)
    s1, s2 = lc.suffix_hashes("phone1")[li], lc.suffix_hashes("phone2")[li]
    t1, t2 = rc.suffix_hashes("phone1")[ri], rc.suffix_hashes("phone2")[ri]
    suffix = (
        ((s1 == t1) & (s1 != 0))
        | ((s1 == t2) & (s1 != 0))
        | ((s2 == t1) & (s2 != 0))
        | ((s2 == t2) & (s2 != 0))
    )
    f["phone_suffix"] = np.where(phone_both, suffix, np.nan).astype(np.float32)

    company_both = both("company_key")
    f["company_exact"] = _exact(lc, rc, "company_key", li, ri, company_both)
    f["company_similarity"] = (
        _string_measure(left, right, "company_key", li, ri, fuzz.token_sort_ratio, company_both)
        / 100
    )
    f["company_domain"] = _exact(lc, rc, "company_domain", li, ri, both("company_domain"))

    f["street"] = (
        _string_measure(
            left, right, "street_key", li, ri, fuzz.token_sort_ratio, both("street_key")
        )
        / 100
    )
    f["city"] = _string_measure(
        left, right, "city_key", li, ri, JaroWinkler.normalized_similarity, both("city_key")
    )
    f["zip_distance"] = _string_measure(
        left, right, "zip_key", li, ri, OSA.distance, both("zip_key")
    )
    f["state_exact"] = _exact(lc, rc, "state_key", li, ri, both("state_key"))
    f["vat_distance"] = _string_measure(
        left, right, "vat_key", li, ri, OSA.distance, both("vat_key")
    )
    f["birth_distance"] = _string_measure(
        left, right, "birth_date", li, ri, OSA.distance, both("birth_date")
    )
    return f


def feature_matrix(features):
    """Stack the feature dict into a ``(k, len(FEATURES))`` array in ``FEATURES`` order."""
    return np.stack([features[name] for name in FEATURES], axis=1)
