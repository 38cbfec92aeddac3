"""Classify stage: match probability from the compare features, Fellegi-Sunter style.

Each *comparison* (name, e-mail, phone, ...) turns the features of a pair into a discrete agreement
level ("different", "similar", "same", ...); each level carries a weight, the log2 Bayes factor
``log2(m/u)`` (how much more often that level is seen among true matches than among non-matches).
A pair's score is the prior log-odds plus the sum of its weights; a missing field weighs 0.
The probability is ``1 / (1 + 2 ** -score)``.

The default weights are hand-set for CRM contacts (no training data needed, fully deterministic):
strong positive evidence is a shared identifier, e-mail, phone or birth date; a clearly different
name or identifier is strong negative evidence, so a shared switchboard number or a shared company
domain never merges two different people on its own. ``fit`` re-estimates the weights from labelled
pairs (Laplace-smoothed counts) when a user has confirmed/rejected enough suggestions.

Person identity comes from person evidence. A switchboard number, a street, a company domain, a
generic mailbox (info@, sales@) or the company's VAT copied onto its contacts is *company* evidence:
it is recognised by the number of different people (name signatures) carrying it in the batch, or by
its field, and weighs little. Two clearly different person names (``name_agreement`` level
"different") veto a match whatever the company evidence says, unless a personal identifier agrees
(the same personal mailbox, the same mobile number carried by no one else). Two leads with a subject
(title) are only the same request when their subjects agree and they were created close together.
Company records (``is_company``) are compared on company evidence, with no veto.

The default threshold favours precision: a false merge costs more than a missed one.
"""

from dataclasses import dataclass

import numpy as np

from .compare import NAME_LEVELS

#: Levels of each comparison, lowest (disagreement) first. -1 in a level array means "missing".
LEVELS = {
    "name": NAME_LEVELS,
    "email": (
        "different",
        "another mailbox at the same company domain",
        "same local part",
        "same shared mailbox",
        "same e-mail",
    ),
    "phone": ("different", "same last 7 digits", "same shared number", "same number"),
    "company": ("different", "similar", "same"),
    "company_domain": ("different", "same"),
    "street": ("different", "similar", "same"),
    "city": ("different", "same"),
    "zip": ("different", "one character off", "same"),
    "state": ("different", "same"),
    "identifier": (
        "different",
        "two characters off",
        "one character off",
        "same company identifier",
        "same",
    ),
    "birth_date": ("different", "two digits off", "one digit off", "same"),
    "subject": ("different request", "same request"),
}

#: Default log2 Bayes factors per level (same order as ``LEVELS``).
DEFAULT_WEIGHTS = {
    "name": (-8.0, 1.5, 3.0, 5.0, 6.5),
    "email": (-1.0, -4.0, 1.0, 1.0, 9.0),
    "phone": (-1.5, 2.0, 1.0, 7.0),
    "company": (-1.0, 1.0, 2.0),
    "company_domain": (-0.5, 1.0),
    "street": (-2.0, 1.5, 3.0),
    "city": (-1.5, 1.5),
    "zip": (-1.5, 0.5, 2.5),
    "state": (-1.0, 0.3),
    "identifier": (-5.0, 0.0, 4.0, 1.0, 10.0),
    "birth_date": (-4.0, 0.0, 2.5, 6.5),
    "subject": (0.0, 0.5),
}
DEFAULT_PRIOR = -6.0  # log2 odds that a candidate pair is a match before looking at it
DEFAULT_THRESHOLD = 0.9
#: Highest score of a vetoed pair (probability 1 / (1 + 2**5) = 0.03).
VETO_SCORE = -5.0
#: A value carried by this many different people is a company's, not a person's.
SHARED_CARRIERS = 3
#: Two requests are the same when their subjects are this alike and made this many days apart at most.
SAME_REQUEST_SIMILARITY = 0.8
SAME_REQUEST_DAYS = 60
#: Company evidence (company name, domain, address, shared phone / mailbox / identifier) is one fact,
#: "same company", however many fields show it: for two persons its positive weights add up to this
#: at most.
COMPANY_EVIDENCE_CAP = 3.0
#: (comparison, levels that are company evidence; None = every level)
COMPANY_EVIDENCE = (
    ("company", None),
    ("company_domain", None),
    ("street", None),
    ("city", None),
    ("zip", None),
    ("state", None),
    ("phone", (2,)),
    ("email", (3,)),
    ("identifier", (3,)),
)


def _lv(missing, *conditions):
    """Level array: index of the last true condition (conditions are ordered weakest to strongest)."""
    level = np.zeros(len(missing), dtype=np.int8)
    for k, cond in enumerate(conditions, start=1):
        level[np.asarray(cond, dtype=bool)] = k
    level[missing] = -1
    return level


def levels(features):
    """Agreement level per comparison: ``dict`` name -> ``int8`` array (``-1`` = missing)."""
    f = features
    with np.errstate(invalid="ignore"):
        # the structured agreement decides "different"; string similarity may lift the other
        # levels (heavy typos) and, for private persons only, a near-identical spelling
        sim = np.fmax(np.fmax(f["name_token_sort"], f["name_jaro_winkler"]), f["name_parts"])
        private = np.isnan(f["company_exact"]) & np.isnan(f["company_domain"])
        name = f["name_level"].copy()
        lift = np.where(sim >= 0.92, 3, np.where(sim >= 0.8, 2, 0)).astype(np.float32)
        name = np.where(name >= 1, np.fmax(name, lift), name)
        name = np.where((name == 0) & private & (sim >= 0.9), 2, name)
        name_different = name == 0
        company = f["both_company"] == 1
        # a value is a company's when many people carry it, or two people whose names disagree
        email_shared = (f["email_role"] == 1) | (f["email_carriers"] >= SHARED_CARRIERS)
        phone_shared = ~company & (
            (f["phone_carriers"] >= SHARED_CARRIERS)
            | ((f["phone_carriers"] >= 2) & name_different & (f["phone_mobile"] != 1))
        )
        vat_shared = ~company & (
            (f["vat_company"] == 1)
            | ((f["vat_carriers"] >= SHARED_CARRIERS) & ~private)
            | ((f["vat_carriers"] >= 2) & name_different & ~private)
        )
        same_email = f["email_exact"] == 1
        same_phone = f["phone_exact"] == 1
        same_vat = f["vat_distance"] == 0
        out = {
            "name": _lv(np.isnan(name), name >= 1, name >= 2, name >= 3, name >= 4),
            "email": _lv(
                np.isnan(f["email_exact"]),
                (f["email_domain"] == 1) & ~same_email & (f["email_company"] == 1),
                f["email_local"] >= 0.999,
                same_email & email_shared,
                same_email & ~email_shared,
            ),
            "phone": _lv(
                np.isnan(f["phone_exact"]),
                f["phone_suffix"] == 1,
                same_phone & phone_shared,
                same_phone & ~phone_shared,
            ),
            "company": _lv(
                np.isnan(f["company_exact"]),
                f["company_similarity"] >= 0.9,
                f["company_exact"] == 1,
            ),
            "company_domain": _lv(np.isnan(f["company_domain"]), f["company_domain"] == 1),
            "street": _lv(np.isnan(f["street"]), f["street"] >= 0.75, f["street"] >= 0.95),
            "city": _lv(np.isnan(f["city"]), f["city"] >= 0.9),
            "zip": _lv(np.isnan(f["zip_distance"]), f["zip_distance"] <= 1, f["zip_distance"] == 0),
            "state": _lv(np.isnan(f["state_exact"]), f["state_exact"] == 1),
            "identifier": _lv(
                np.isnan(f["vat_distance"]),
                f["vat_distance"] <= 2,
                f["vat_distance"] <= 1,
                same_vat & vat_shared,
                same_vat & ~vat_shared,
            ),
            "birth_date": _lv(
                np.isnan(f["birth_distance"]),
                f["birth_distance"] <= 2,
                f["birth_distance"] <= 1,
                f["birth_distance"] == 0,
            ),
            "subject": _lv(
                np.isnan(f["subject_similarity"]),
                (f["subject_similarity"] >= SAME_REQUEST_SIMILARITY)
                & ~(f["created_gap"] > SAME_REQUEST_DAYS),
            ),
        }
    return out


def vetoes(features, lv):
    """``(person, request)`` boolean arrays: pairs whose names say "two different people" with no
    personal identifier agreeing, and leads whose subjects say "two different requests"."""
    with np.errstate(invalid="ignore"):
        # an identifier is a person's own when nobody else carries it and no company is involved
        # (a contact of a company may carry the company's VAT)
        no_company = np.isnan(features["company_exact"]) & np.isnan(features["company_domain"])
        personal = (
            (lv["email"] == 4)
            | (
                (lv["phone"] == 3)
                & (features["phone_mobile"] == 1)
                & (features["phone_carriers"] < SHARED_CARRIERS)
            )
            | ((lv["identifier"] == 4) & no_company)
            | (lv["birth_date"] == 3)
            # a private person's own identifier or birth date, typed with one slip
            | (((lv["identifier"] == 2) | (lv["birth_date"] == 2)) & no_company)
        )
        person = (lv["name"] == 0) & (features["both_company"] != 1) & ~personal
    return person, lv["subject"] == 0


@dataclass
class Scores:
    """Classifier output for ``k`` pairs: total log2 score, probability, and the levels behind them."""

    score: np.ndarray
    probability: np.ndarray
    levels: dict
    weights: dict  # comparison -> float array of the weight each pair received
    person_veto: np.ndarray = None  # different people: names disagree, no personal identifier
    request_veto: np.ndarray = None  # different requests: lead subjects or dates disagree


class FellegiSunter:
    """Log-likelihood-ratio classifier over ``levels``; weights in ``weights_`` (log2 m/u per level)."""

    def __init__(self, weights=None, prior=DEFAULT_PRIOR, threshold=DEFAULT_THRESHOLD):
        self.weights = weights
        self.prior = prior
        self.threshold = threshold
        self.weights_ = {k: tuple(v) for k, v in (weights or DEFAULT_WEIGHTS).items()}

    def fit(self, features, labels, smoothing=1.0):
        """Estimate weights from labelled pairs (``labels`` 1 = same entity); returns ``self``."""
        labels = np.asarray(labels, dtype=bool)
        lv = levels(features)
        fitted = {}
        for comparison, names in LEVELS.items():
            level = lv[comparison]
            weights = []
            for k in range(len(names)):
                m = (np.sum((level == k) & labels) + smoothing) / (
                    np.sum((level >= 0) & labels) + smoothing * len(names)
                )
                u = (np.sum((level == k) & ~labels) + smoothing) / (
                    np.sum((level >= 0) & ~labels) + smoothing * len(names)
                )
                weights.append(float(np.log2(m / u)))
            fitted[comparison] = tuple(weights)
        self.weights_ = fitted
        n_match = max(int(labels.sum()), 1)
        self.prior = float(np.log2(n_match / max(len(labels) - n_match, 1)))
        return self

    def score(self, features):
        lv = levels(features)
        k = len(next(iter(features.values()))) if features else 0
        total = np.full(k, self.prior, dtype=np.float64)
        received = {}
        for comparison, level in lv.items():
            table = np.asarray(
                (*self.weights_[comparison], 0.0), dtype=np.float64
            )  # index -1 -> 0.0
            w = table[level.astype(np.int64)]
            received[comparison] = w
            total += w
        company = np.zeros(k, dtype=np.float64)
        for comparison, company_levels in COMPANY_EVIDENCE:
            w = np.maximum(received[comparison], 0.0)
            if company_levels is not None:
                w = np.where(np.isin(lv[comparison], company_levels), w, 0.0)
            company += w
        # only when both persons name a company: a private person's address is their own
        at_company = (features["both_company"] != 1) & (
            (lv["company"] >= 0) | (lv["company_domain"] >= 0)
        )
        total -= np.where(at_company, np.maximum(company - COMPANY_EVIDENCE_CAP, 0.0), 0.0)
        person, request = vetoes(features, lv)
        total = np.where(person | request, np.minimum(total, VETO_SCORE), total)
        probability = 1.0 / (1.0 + np.exp2(-np.clip(total, -60, 60)))
        return Scores(total, probability, lv, received, person, request)

    def predict_proba(self, features):
        return self.score(features).probability

    def predict(self, features):
        return self.predict_proba(features) >= self.threshold


def explain(scores, features, k, left, right, li, ri, min_weight=0.25):
    """Human-readable reasons for pair ``k`` (row ``li`` of ``left`` vs row ``ri`` of ``right``).

    Strongest evidence first, e.g. ``["same phone +44 20 7946 0958", "names 94 % alike",
    "same company domain acme.com", "different birth date"]``.
    """
    from .normalise import _format_international

    reasons = []
    if scores.person_veto is not None and scores.person_veto[k]:
        reasons.append(
            (99.0, "different people: the names disagree and no personal e-mail or mobile agrees")
        )
    if scores.request_veto is not None and scores.request_veto[k]:
        reasons.append((98.0, "different requests: the subjects or creation dates disagree"))
    for comparison in LEVELS:
        level = int(scores.levels[comparison][k])
        weight = float(scores.weights[comparison][k])
        if level < 0 or abs(weight) < min_weight:
            continue
        label = LEVELS[comparison][level]
        text = None
        if comparison == "name":
            if label == "identical":
                text = f"same name {left.name[li]}"
            elif label == "different":
                text = f"different names ({left.name[li]} / {right.name[ri]})"
            else:
                text = f"names {label} ({left.name[li]} / {right.name[ri]})"
        elif comparison == "phone":
            shared = set(left.phones(li)) & set(right.phones(ri))
            if shared:
                numbers = ", ".join(_format_international(p) for p in sorted(shared))
                text = (
                    f"same shared phone {numbers} (several people use it)"
                    if label == "same shared number"
                    else f"same phone {numbers}"
                )
            elif label != "different":
                text = "phones end with the same 7 digits"
        elif comparison == "email":
            if label in ("same e-mail", "same shared mailbox"):
                text = f"{label} {left.email_key[li]}"
            elif label == "same local part":
                text = f"same e-mail local part {left.email_local[li]}@"
        elif comparison == "company_domain" and label == "same":
            text = f"same company domain {left.company_domain[li]}"
        elif comparison == "company" and label != "different":
            text = (
                f"same company {left.company_key[li]}"
                if label == "same"
                else f"companies alike ({left.company_key[li]} / {right.company_key[ri]})"
            )
        elif comparison == "zip" and label == "same":
            text = f"same zip {left.zip_key[li]}"
        elif comparison == "identifier" and label == "same":
            text = f"same VAT/identifier {left.vat_key[li]}"
        elif comparison == "identifier" and label == "same company identifier":
            text = f"same company VAT/identifier {left.vat_key[li]} (company evidence)"
        if text is None:
            pretty = comparison.replace("_", " ")
            text = f"different {pretty}" if label == "different" else f"{pretty}: {label}"
        reasons.append((weight, text))
    reasons.sort(key=lambda item: -abs(item[0]))
    return [text for _weight, text in reasons]
