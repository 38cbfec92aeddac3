"""Best time and channel to reach a contact, learned from what Odoo already records.

Pure Python. The Odoo layer turns ``mail.message`` (mails the contact wrote, our mails and the
delay to their reply), ``calendar.attendee`` (meetings accepted or declined) and done call
activities into :class:`Touch` rows, in the contact's own time zone. This module learns, per
contact:

* *when*: the 2-hour window of the day and the weekdays where the contact answers, from the
  moments they responded (a mail they wrote, a meeting they accepted, a call that reached them);
* *how*: the channel (e-mail, phone, meeting) with the best response rate.

Sparse contacts are shrunk toward their company, then their country or segment, then the whole
database (hierarchical shrinkage: at each level, the parent's estimate counts as ``prior_weight``
pseudo-observations), so a contact with two replies does not get a confident slot. Every
recommendation carries its evidence in words and a confidence (the share of the estimate that
rests on the contact's and its company's own history); below ``min_confidence`` it says "not
enough history" instead of guessing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median

CHANNELS = ("email", "phone", "meeting")
CHANNEL_LABELS = {"email": "e-mail", "phone": "phone", "meeting": "meeting"}
DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WINDOW_HOURS = 2
N_WINDOWS = 24 // WINDOW_HOURS
BUSINESS_HOURS = range(9, 17)  # 09:00-17:00: the "any business hour" baseline
LEVELS = ("contact", "company", "segment")


@dataclass(frozen=True)
class Touch:
    """One contact moment, in the contact's local time.

    ``responded`` is True for a moment the contact chose (a mail they wrote, a meeting they
    accepted, a call that reached them) and for one of our mails that got a reply; False for one
    of ours that got none or a meeting they declined. ``outbound`` marks our own mails and
    invitations (their time is when *we* sent them; ``delay_hours`` is the time to their reply)."""

    contact: object
    channel: str
    weekday: int  # 0 = Monday
    hour: int
    responded: bool = True
    outbound: bool = False
    delay_hours: float | None = None
    company: object = None
    segment: object = None  # the country or the customer segment


@dataclass(frozen=True)
class Recommendation:
    contact: object
    enough: bool
    confidence: float
    channel: str | None = None
    window_start: int | None = None  # local hour, the window is [start, start + 2h)
    days: tuple = ()  # weekdays, 0 = Monday
    evidence: str = ""
    window_share: float = 0.0  # expected share of their responses inside the window
    channel_rates: dict = field(default_factory=dict)

    @property
    def slot_label(self) -> str:
        if not self.enough:
            return ""
        return f"{days_label(self.days)} {hours_label(self.window_start)}"


def days_label(days) -> str:
    days = sorted(days)
    if not days:
        return ""
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAY_LABELS[days[0]]}-{DAY_LABELS[days[-1]]}"
    return ", ".join(DAY_LABELS[d] for d in days)


def hours_label(start: int) -> str:
    return f"{start:02d}:00-{(start + WINDOW_HOURS) % 24:02d}:00"


def _shrink(counts, total, parent, weight):
    """Dirichlet/Beta posterior mean: ``counts`` plus ``weight`` pseudo-counts spread as ``parent``."""
    return [(counts[i] + weight * parent[i]) / (total + weight) for i in range(len(parent))]


class BestTimeLearner:
    """Learn when and how each contact answers (scikit-learn style: ``fit`` returns ``self``).

    ``prior_weight`` is how many of its own observations a level needs before it outweighs its
    parent; ``min_confidence`` is the floor under which the learner says "not enough history";
    ``n_days`` is how many weekdays a recommendation names."""

    def __init__(self, prior_weight=5.0, min_confidence=0.5, n_days=3):
        self.prior_weight = prior_weight
        self.min_confidence = min_confidence
        self.n_days = n_days

    # -- fitting ------------------------------------------------------------

    def fit(self, touches):
        self.touches_ = [t for t in touches if _valid(t)]
        by = {level: defaultdict(list) for level in LEVELS}
        for t in self.touches_:
            by["contact"][t.contact].append(t)
            if t.company is not None:
                by["company"][t.company].append(t)
            if t.segment is not None:
                by["segment"][t.segment].append(t)
        self.by_ = by
        k = self.prior_weight
        # the database level: a flat prior over windows and days so that no slot is impossible
        hour_c, day_c, n = self._moment_counts(self.touches_)
        self.global_hours_ = _shrink(hour_c, n, [1 / N_WINDOWS] * N_WINDOWS, 1.0)
        self.global_days_ = _shrink(day_c, n, [1 / 7] * 7, 1.0)
        pos, tot = self._channel_counts(self.touches_)
        self.global_rates_ = {c: (pos[c] + 1) / (tot[c] + 2) for c in CHANNELS}
        self.global_counts_ = n
        self._cache = {}
        self.k_ = k
        return self

    @staticmethod
    def _moment_counts(touches):
        hours = [0] * N_WINDOWS
        days = [0] * 7
        n = 0
        for t in touches:
            if t.responded and not t.outbound:
                hours[t.hour // WINDOW_HOURS] += 1
                days[t.weekday] += 1
                n += 1
        return hours, days, n

    @staticmethod
    def _channel_counts(touches):
        pos, tot = Counter(), Counter()
        for t in touches:
            if t.outbound or t.channel != "email":
                tot[t.channel] += 1
                pos[t.channel] += bool(t.responded)
            else:
                # a mail the contact wrote on their own: a response on the e-mail channel
                tot[t.channel] += 1
                pos[t.channel] += 1
        return pos, tot

    def _level_estimate(self, level, key, parent):
        """(hours, days, rates, n_moments, n_touches) for one node, shrunk toward ``parent``."""
        cache_key = (level, key)
        if cache_key in self._cache:
            return self._cache[cache_key]
        touches = self.by_[level].get(key, []) if key is not None else []
        hour_c, day_c, n = self._moment_counts(touches)
        p_hours, p_days, p_rates = parent
        k = self.k_
        hours = _shrink(hour_c, n, p_hours, k)
        days = _shrink(day_c, n, p_days, k)
        pos, tot = self._channel_counts(touches)
        rates = {c: (pos[c] + k * p_rates[c]) / (tot[c] + k) for c in CHANNELS}
        result = (hours, days, rates, n, len(touches))
        self._cache[cache_key] = result
        return result

    def _chain(self, contact, company=None, segment=None):
        """The shrunk estimates from the database down to the contact."""
        contact_touches = self.by_["contact"].get(contact, [])
        if contact_touches:
            company = company if company is not None else contact_touches[0].company
            segment = segment if segment is not None else contact_touches[0].segment
        estimate = (self.global_hours_, self.global_days_, self.global_rates_)
        seg = self._level_estimate("segment", segment, estimate)
        comp = self._level_estimate("company", company, seg[:3])
        own = self._level_estimate("contact", contact, comp[:3])
        return own, comp, company

    # -- predicting ---------------------------------------------------------

    def confidence(self, contact, company=None):
        """Share of the estimate resting on the contact's own moments, and (half-weighted) on
        the rest of its company's: n / (n + k)."""
        own = self._moment_counts(self.by_["contact"].get(contact, []))[2]
        company_n = 0
        if company is not None:
            company_n = self._moment_counts(self.by_["company"].get(company, []))[2] - own
        n = own + 0.5 * max(company_n, 0)
        return n / (n + self.k_)

    def recommend(self, contact, company=None, segment=None) -> Recommendation:
        own, _comp, company = self._chain(contact, company, segment)
        hours, days, rates, _n, _nt = own
        confidence = round(self.confidence(contact, company), 2)
        if confidence < self.min_confidence:
            return Recommendation(
                contact,
                enough=False,
                confidence=confidence,
                evidence=self._not_enough_text(contact),
            )
        window = max(range(N_WINDOWS), key=lambda i: (hours[i], -i))
        # the busiest weekdays, at most n_days of them, and only those above a uniform week
        ranked_days = sorted(range(7), key=lambda d: (-days[d], d))[: self.n_days]
        best_days = tuple(sorted(d for d in ranked_days if days[d] > 1 / 7)) or (ranked_days[0],)
        channel = max(CHANNELS, key=lambda c: (rates[c], -CHANNELS.index(c)))
        start = window * WINDOW_HOURS
        rec = Recommendation(
            contact,
            enough=True,
            confidence=confidence,
            channel=channel,
            window_start=start,
            days=best_days,
            window_share=round(hours[window], 3),
            channel_rates={c: round(r, 3) for c, r in rates.items()},
        )
        return Recommendation(**{**rec.__dict__, "evidence": self._evidence(contact, rec)})

    def _not_enough_text(self, contact):
        n = self._moment_counts(self.by_["contact"].get(contact, []))[2]
        return f"Not enough history: {n} response(s) from this contact so far."

    def _evidence(self, contact, rec: Recommendation) -> str:
        """Say what the recommendation rests on, in words, from the contact's own touches."""
        touches = self.by_["contact"].get(contact, [])
        slot = f"{days_label(rec.days)} {hours_label(rec.window_start)} their time"
        sent = [
            t
            for t in touches
            if t.outbound
            and t.channel == "email"
            and t.weekday in rec.days
            and rec.window_start <= t.hour < rec.window_start + WINDOW_HOURS
        ]
        parts = []
        if sent:
            replied = [t for t in sent if t.responded]
            delays = [t.delay_hours for t in replied if t.delay_hours is not None]
            within = f" within {max(1, round(median(delays)))} h" if delays else ""
            parts.append(f"replied to {len(replied)} of {len(sent)} mails{within} when sent {slot}")
        moments = [t for t in touches if t.responded and not t.outbound]
        in_slot = [
            t
            for t in moments
            if t.weekday in rec.days
            and rec.window_start <= t.hour < rec.window_start + WINDOW_HOURS
        ]
        if moments:
            parts.append(f"{len(in_slot)} of their {len(moments)} responses fell on {slot}")
        if not parts:
            parts.append(f"their company's contacts mostly answer {slot}")
        rates = rec.channel_rates
        parts.append(
            f"best channel {CHANNEL_LABELS[rec.channel]} "
            f"({round(rates[rec.channel] * 100)}% response rate after shrinkage)"
        )
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + f". Confidence {round(rec.confidence * 100)}%."

    # -- baselines for the backtest --------------------------------------------

    def company_mode_window(self, company):
        """Baseline: the 2-hour window starting at the company's most common response hour."""
        touches = self.by_["company"].get(company) or self.touches_
        hours = Counter(t.hour for t in touches if t.responded and not t.outbound)
        if not hours:
            return 9
        return max(hours, key=lambda h: (hours[h], -h))


def _valid(t: Touch) -> bool:
    return (
        t.channel in CHANNELS
        and isinstance(t.weekday, int)
        and 0 <= t.weekday < 7
        and isinstance(t.hour, int)
        and 0 <= t.hour < 24
    )


def in_window(hour: int, start: int) -> bool:
    return (hour - start) % 24 < WINDOW_HOURS


def backtest(train, test, **params):
    """Hit rate of the recommended 2-hour window on held-out responses, against two baselines.

    For each response in ``test`` (a moment the contact chose), did the window recommended from
    ``train`` contain its hour? Baselines: the 2-hour window at the company's most common hour,
    and "any business hour" (a 2-hour window drawn at random within 09:00-17:00, whose expected
    hit rate is the share of responses in business hours times 2/8). Contacts the learner has not
    enough history for are counted apart (``coverage``) and scored on the company baseline, so
    that abstaining never inflates the hit rate. Also reports the channel hit rate."""
    learner = BestTimeLearner(**params).fit(train)
    responses = [t for t in test if _valid(t) and t.responded and not t.outbound]
    n = len(responses)
    if not n:
        return {"n": 0}
    hits = base_company = base_business = covered = channel_hits = channel_n = 0
    recs = {}
    for t in responses:
        if t.contact not in recs:
            recs[t.contact] = learner.recommend(t.contact, t.company, t.segment)
        rec = recs[t.contact]
        mode = learner.company_mode_window(t.company)
        base_company += in_window(t.hour, mode)
        base_business += (t.hour in BUSINESS_HOURS) * WINDOW_HOURS / len(BUSINESS_HOURS)
        if rec.enough:
            covered += 1
            hits += in_window(t.hour, rec.window_start)
            channel_n += 1
            channel_hits += rec.channel == t.channel
        else:
            hits += in_window(t.hour, mode)
    result = {
        "n": n,
        "coverage": covered / n,
        "hit_rate": hits / n,
        "company_mode_hit_rate": base_company / n,
        "business_hours_hit_rate": base_business / n,
        "channel_hit_rate": channel_hits / channel_n if channel_n else None,
    }
    result["lift_vs_company_mode"] = _ratio(result["hit_rate"], result["company_mode_hit_rate"])
    result["lift_vs_business_hours"] = _ratio(result["hit_rate"], result["business_hours_hit_rate"])
    return result


def _ratio(a, b):
    return a / b if b else None


def split_by_time(touches_with_time, holdout_fraction=0.25):
    """``[(timestamp, touch)]`` → (train, test): the last ``holdout_fraction`` of the history held out."""
    ordered = sorted(touches_with_time, key=lambda pair: pair[0])
    cut = int(len(ordered) * (1 - holdout_fraction))
    return [t for _ts, t in ordered[:cut]], [t for _ts, t in ordered[cut:]]


def next_slot(now_local, days, window_start):
    """The next start of the recommended window on one of ``days``, in the contact's local time
    (``now_local`` is a naive local datetime); ``None`` without a recommendation."""
    if not days or window_start is None:
        return None
    for ahead in range(8):
        day = now_local + timedelta(days=ahead)
        start = day.replace(hour=window_start, minute=0, second=0, microsecond=0)
        if day.weekday() in days and start >= now_local:
            return start
    return None
