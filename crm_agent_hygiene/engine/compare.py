"""Compare stage: a feature vector per candidate pair, computed column by column.

``compare(left, right, pairs)`` takes two ``RecordTable`` objects (the same one for deduplication) and
an ``int64`` array of ``(left_row, right_row)`` pairs from *any* source (our blocking, PostgreSQL
pg_trgm, a user's selection) and returns a ``dict`` of ``float32`` arrays, one per name in
``FEATURES``. Similarities are in ``[0, 1]``, distances are edit counts, and ``NaN`` means "at least
one side is missing", which the classifier treats as no evidence either way.

Every string measure runs through ``rapidfuzz.process.cpdist`` (element-wise, in C, multi-threaded).
"""

from functools import lru_cache

import numpy as np
import phonenumbers
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from .normalise import NAME_PARTICLES, NICKNAME_GROUP_IDS

#: Levels of ``name_agreement``: 0 different people (a given or family name disagrees), 1
#: compatible (an initial, or one name is a single token of the other), 2 similar (a second family
#: or middle name dropped), 3 very similar (nickname, typo, transliteration), 4 identical (same
#: tokens, any order).
NAME_LEVELS = ("different", "compatible", "similar", "very similar", "identical")
#: Name similarity under which two names are "different" without the structured comparison.
NAME_GATE = 0.6
_TRANSLITERATION = (("ue", "u"), ("oe", "o"), ("ae", "a"), ("ph", "f"), ("th", "t"), ("ij", "y"))


@lru_cache(maxsize=65536)
def _fold(token):
    for old, new in _TRANSLITERATION:
        token = token.replace(old, new)
    return token


def _typo(a, b):
    """Same name written with a slip: one edit (two for long names), or the same transliteration."""
    shortest = min(len(a), len(b))
    if _gendered_pair(a, b):
        return False
    edits = 2 if shortest >= 7 else 1
    if shortest >= 3 and OSA.distance(a, b, score_cutoff=edits) <= edits:
        return True
    return shortest >= 3 and _fold(a) == _fold(b)


def _gendered_pair(a, b):
    """Maria / Mario, Daniel / Daniela, Louis / Louise: one letter apart, two different people."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) == len(b):
        return a[:-1] == b[:-1] and a[-1:] in "aeio" and b[-1:] in "aeio"
    return len(b) == len(a) + 1 and b.startswith(a) and b[-1:] in "ae"


def _nickname(a, b):
    ga, gb = NICKNAME_GROUP_IDS.get(a), NICKNAME_GROUP_IDS.get(b)
    return bool(ga and gb and not ga.isdisjoint(gb))


def _initial(a, b):
    return (len(a) == 1 and b[:1] == a) or (len(b) == 1 and a[:1] == b)


def name_agreement(left, right):
    """Level (index into ``NAME_LEVELS``) of two names given as key strings ('anna farnwood'),
    or -1 when one is missing. Order-free (swapped given/family names), understands initials,
    nicknames in several languages, typos, transliterations and dropped second names."""
    if not left or not right:
        return -1
    if left == right:
        return 4
    a = [t for t in left.split() if t not in NAME_PARTICLES] or left.split()
    b = [t for t in right.split() if t not in NAME_PARTICLES] or right.split()
    if sorted(a) == sorted(b):
        return 4
    if "".join(a) == "".join(b):  # 'vandenberg' / 'van den berg', 'garcia-lopez' / 'garcialopez'
        return 3
    if len(a) > len(b):
        a, b = b, a
    free = list(b)
    full = fuzzy = initials = 0
    for test in (str.__eq__, _nickname, _typo, _initial):
        rest = []
        for token in a:
            hit = next((k for k, other in enumerate(free) if test(token, other)), None)
            if hit is None:
                rest.append(token)
                continue
            del free[hit]
            if test is str.__eq__:
                full += 1
            elif test is _initial:
                initials += 1
            else:
                fuzzy += 1
        a = rest
        if not a:
            break
    if a or not full + fuzzy:
        return 0
    if initials or full + fuzzy + initials == 1:
        return 1
    if free:
        return 2
    return 3


@lru_cache(maxsize=262144)
def is_mobile_number(e164):
    """True when the number is a mobile (not fixed line, not 'fixed line or mobile')."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE


def _carriers(values_columns, signatures):
    """Per column, for every row, how many distinct name signatures of the table carry its value
    (0 when the row has no value); values of all columns are pooled (a switchboard may be one
    contact's first number and another's second)."""
    sig = _hash_column(signatures)
    hashes = [_hash_column(values) for values in values_columns]
    h = np.concatenate(hashes)
    s = np.tile(sig, len(hashes))
    keep = (h != 0) & (s != 0)
    h, s = h[keep], s[keep]
    order = np.lexsort((s, h))
    h, s = h[order], s[order]
    new_value = np.r_[True, h[1:] != h[:-1]] if len(h) else np.empty(0, dtype=bool)
    distinct = new_value | np.r_[True, s[1:] != s[:-1]] if len(h) else new_value
    starts = np.flatnonzero(new_value)
    values = h[starts]
    counts = np.add.reduceat(distinct.astype(np.int32), starts) if len(starts) else starts
    out = []
    for column in hashes:
        pos = np.searchsorted(values, column).clip(0, max(len(values) - 1, 0))
        found = (column != 0) & (values[pos] == column) if len(values) else column != 0
        row_counts = np.where(found, counts[pos] if len(values) else 0, 0)
        out.append(row_counts.astype(np.int32))
    return out


def _name_levels(left, right, li, ri):
    lk, rk = left.name_plain, right.name_plain
    return np.fromiter(
        (name_agreement(lk[i], rk[j]) for i, j in zip(li.tolist(), ri.tolist(), strict=True)),
        dtype=np.float32,
        count=len(li),
    )


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
    "email_company",
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
    "name_level",
    "email_carriers",
    "phone_carriers",
    "phone_mobile",
    "vat_carriers",
    "vat_company",
    "both_company",
    "subject_similarity",
    "created_gap",
)
#: ``name_level``: structured agreement of two names (``NAME_LEVELS``); ``*_carriers``: how many
#: different people (name signatures) of the batch carry the shared e-mail / phone / identifier
#: (1 or 2: personal, more: a company's); ``phone_mobile``: the shared number is a mobile (only
#: looked up where it can lift a veto); ``vat_company``: an identifier copied from the company.

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

    def carriers(self, column):
        """Distinct name signatures carrying the row's value of ``column`` (``email_key``,
        ``phone1``/``phone2`` pooled, ``vat_key``), per row."""
        key = ("c", column)
        if key not in self._cache:
            pooled = ("phone1", "phone2") if column in ("phone1", "phone2") else (column,)
            counts = _carriers([getattr(self.table, c) for c in pooled], self.table.signature)
            for name, row_counts in zip(pooled, counts, strict=True):
                self._cache[("c", name)] = row_counts
        return self._cache[key]

    def work_mail(self):
        """Rows whose e-mail is at their company's own domain (not a free-mail provider)."""
        if "work" not in self._cache:
            t = self.table
            self._cache["work"] = np.fromiter(
                (bool(e) and e == c for e, c in zip(t.email_domain, t.company_domain, strict=True)),
                dtype=bool,
                count=len(t.email_domain),
            )
        return self._cache["work"]

    def days(self, column):
        key = ("d", column)
        if key not in self._cache:
            self._cache[key] = np.asarray(getattr(self.table, column), dtype=np.int64)
        return self._cache[key]

    def flags(self, column):
        key = ("b", column)
        if key not in self._cache:
            self._cache[key] = np.asarray(getattr(self.table, column), dtype=bool)
        return self._cache[key]

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
    # both addresses at the same company domain (not free mail): one person has one mailbox there
    f["email_company"] = np.where(
        email_both, lc.work_mail()[li] & rc.work_mail()[ri], np.nan
    ).astype(np.float32)

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

    # the structured comparison (Python, per pair) only where it can matter: names alike at all,
    # or a shared contact point; other pairs with two names are "different"
    sim = np.fmax(np.fmax(f["name_token_sort"], f["name_jaro_winkler"]), f["name_parts"])
    worth = (sim >= NAME_GATE) | (f["email_exact"] == 1) | (f["phone_exact"] == 1)
    worth |= f["vat_distance"] == 0
    level = np.where(name_both, 0.0, np.nan).astype(np.float32)
    where = np.flatnonzero(worth & name_both)
    level[where] = _name_levels(left, right, li[where], ri[where])
    level[level < 0] = np.nan
    f["name_level"] = level
    same_email = f["email_exact"] == 1
    f["email_carriers"] = np.where(
        same_email,
        np.maximum(lc.carriers("email_key")[li], rc.carriers("email_key")[ri]),
        np.nan,
    ).astype(np.float32)
    left_1 = ((l1 == r1) | (l1 == r2)) & (l1 != 0)
    left_2 = ((l2 == r1) | (l2 == r2)) & (l2 != 0)
    carried = np.maximum(
        np.where(left_1, lc.carriers("phone1")[li], 0),
        np.where(left_2, lc.carriers("phone2")[li], 0),
    )
    same_phone = f["phone_exact"] == 1
    f["phone_carriers"] = np.where(same_phone, carried, np.nan).astype(np.float32)
    # a shared number lifts a name veto only when it is a mobile: looked up for those pairs only
    mobile = np.where(same_phone, 0.0, np.nan).astype(np.float32)
    for k in np.flatnonzero(same_phone & (f["name_level"] == 0)).tolist():
        row = int(li[k])
        number = left.phone1[row] if left_1[k] else left.phone2[row]
        mobile[k] = float(is_mobile_number(number))
    f["phone_mobile"] = mobile
    same_vat = f["vat_distance"] == 0
    f["vat_carriers"] = np.where(
        same_vat, np.maximum(lc.carriers("vat_key")[li], rc.carriers("vat_key")[ri]), np.nan
    ).astype(np.float32)
    vat_both = both("vat_key")
    f["vat_company"] = np.where(
        vat_both, lc.flags("vat_company")[li] | rc.flags("vat_company")[ri], np.nan
    ).astype(np.float32)
    f["both_company"] = (lc.flags("is_company")[li] & rc.flags("is_company")[ri]).astype(np.float32)
    f["subject_similarity"] = (
        _string_measure(
            left, right, "subject_key", li, ri, fuzz.token_set_ratio, both("subject_key")
        )
        / 100
    )
    lcr, rcr = lc.days("created")[li], rc.days("created")[ri]
    f["created_gap"] = np.where((lcr > 0) & (rcr > 0), np.abs(lcr - rcr), np.nan).astype(np.float32)
    return f


def feature_matrix(features):
    """Stack the feature dict into a ``(k, len(FEATURES))`` array in ``FEATURES`` order."""
    return np.stack([features[name] for name in FEATURES], axis=1)
