"""Best time and channel: learning, shrinkage and the backtest on synthetic histories."""

import random
from datetime import datetime

import pytest

from crm_agent_scoring.engine.timing import (
    BestTimeLearner,
    Touch,
    backtest,
    days_label,
    in_window,
    next_slot,
    split_by_time,
)


def _replies(contact, company, weekday, hour, n, channel="email", segment="BE"):
    return [Touch(contact, channel, weekday, hour, company=company, segment=segment)] * n


def test_a_regular_contact_gets_its_own_slot_and_evidence():
    touches = []
    for day in (1, 2, 3):  # Tue-Thu at 09:xx
        touches += _replies("ann", "acme", day, 9, 4)
    # our mails sent Tue-Thu 09:00-11:00: 5 of 6 answered, in 3 h
    touches += [Touch("ann", "email", 2, 10, True, True, 3.0, "acme", "BE") for _ in range(5)] + [
        Touch("ann", "email", 2, 10, False, True, None, "acme", "BE")
    ]
    rec = BestTimeLearner(prior_weight=5).fit(touches).recommend("ann")
    assert rec.enough
    assert rec.window_start == 8  # the 08:00-10:00 window holds 09:xx
    assert rec.days == (1, 2, 3)
    assert rec.slot_label == "Tue-Thu 08:00-10:00"
    assert rec.channel == "email"
    # 12 own responses, k = 5: 12 / 17
    assert rec.confidence == pytest.approx(round(12 / 17, 2))
    assert "12 of their 12 responses fell on Tue-Thu 08:00-10:00" in rec.evidence


def test_evidence_counts_replies_to_our_mails_sent_in_the_slot():
    touches = _replies("bo", "acme", 1, 10, 10)
    touches += [Touch("bo", "email", 1, 11, True, True, 2.5, "acme")] * 5
    touches += [Touch("bo", "email", 1, 10, False, True, None, "acme")]
    rec = BestTimeLearner().fit(touches).recommend("bo")
    assert rec.window_start == 10
    assert rec.days == (1,)
    assert rec.evidence.startswith("Replied to 5 of 6 mails within 2 h when sent Tue 10:00-12:00")


def test_a_sparse_contact_is_shrunk_toward_its_company():
    touches = []
    # the company answers at 14:xx on Mondays, many contacts
    for i in range(20):
        touches += _replies(f"c{i}", "acme", 0, 14, 2)
    # our contact answered twice, at 08:xx on Friday
    touches += _replies("new", "acme", 4, 8, 2)
    rec = BestTimeLearner(prior_weight=5, min_confidence=0.5).fit(touches).recommend("new")
    # 2 own + half of 40 company moments: 22 / 27, enough; but the company's slot wins
    assert rec.enough
    assert rec.window_start == 14
    assert 0 in rec.days


def test_a_contact_with_two_replies_and_no_company_gets_no_slot():
    touches = _replies("solo", None, 4, 8, 2) + _replies("other", "x", 0, 14, 50)
    rec = BestTimeLearner(prior_weight=5, min_confidence=0.5).fit(touches).recommend("solo")
    assert not rec.enough
    assert rec.confidence == pytest.approx(round(2 / 7, 2))
    assert rec.evidence.startswith("Not enough history: 2 response(s)")
    assert rec.slot_label == ""


def test_more_own_history_moves_the_slot_away_from_the_company():
    base = []
    for i in range(10):
        base += _replies(f"c{i}", "acme", 0, 14, 2)
    few = BestTimeLearner().fit(base + _replies("me", "acme", 4, 8, 2)).recommend("me")
    many = BestTimeLearner().fit(base + _replies("me", "acme", 4, 8, 30)).recommend("me")
    assert few.window_start == 14
    assert many.window_start == 8
    assert many.confidence > few.confidence


def test_channel_follows_the_shrunk_response_rate():
    touches = _replies("p", "acme", 1, 10, 8)
    # phone answers every time, our mails mostly not
    touches += [Touch("p", "phone", 1, 10, True, True, None, "acme")] * 8
    touches += [Touch("p", "email", 1, 10, False, True, None, "acme")] * 20
    rec = BestTimeLearner().fit(touches).recommend("p")
    assert rec.channel == "phone"
    assert rec.channel_rates["phone"] > rec.channel_rates["email"]


def test_bad_touches_are_skipped():
    touches = _replies("a", "c", 1, 9, 10) + [Touch("a", "fax", 1, 9), Touch("a", "email", 9, 9)]
    learner = BestTimeLearner().fit(touches)
    assert len(learner.touches_) == 10


def test_labels_and_windows():
    assert days_label((1, 2, 3)) == "Tue-Thu"
    assert days_label((0, 4)) == "Mon, Fri"
    assert in_window(23, 22) and in_window(22, 22) and not in_window(0, 22)


def test_next_slot_is_the_next_start_on_a_recommended_day():
    monday_noon = datetime(2026, 11, 30, 12, 0)
    assert next_slot(monday_noon, (1, 2, 3), 10) == datetime(2026, 12, 1, 10, 0)
    assert next_slot(monday_noon, (0,), 14) == datetime(2026, 11, 30, 14, 0)
    assert next_slot(monday_noon, (0,), 8) == datetime(2026, 12, 7, 8, 0)
    assert next_slot(monday_noon, (), 8) is None


def _history(seed=3, n_companies=30, per_company=6, days=120):
    """Contacts with a personal habit (hour, weekdays), a company habit, and noise."""
    rng = random.Random(seed)
    rows = []
    for c in range(n_companies):
        company_hour = rng.choice((9, 10, 14, 16))
        for p in range(per_company):
            own = rng.random() < 0.6
            hour = rng.choice((8, 11, 13, 17, 19)) if own else company_hour
            days_ = rng.sample(range(5), 2)
            for _ in range(rng.randint(3, 25)):
                ts = rng.uniform(0, days)
                if rng.random() < 0.75:
                    h, d = min(23, max(0, int(rng.gauss(hour, 0.6)))), rng.choice(days_)
                else:
                    h, d = rng.randint(7, 20), rng.randint(0, 6)
                rows.append((ts, Touch(f"{c}-{p}", "email", d, h, company=c, segment=c % 3)))
    return rows


def test_backtest_beats_both_baselines_on_habitual_contacts():
    train, test = split_by_time(_history(), holdout_fraction=0.25)
    result = backtest(train, test)
    assert result["n"] == len(test)
    assert result["hit_rate"] > result["company_mode_hit_rate"]
    assert result["hit_rate"] > result["business_hours_hit_rate"]
    assert result["lift_vs_business_hours"] > 1


def test_backtest_on_random_behaviour_shows_no_lift():
    rng = random.Random(5)
    rows = [
        (rng.random(), Touch(i % 40, "email", rng.randint(0, 6), rng.randint(0, 23), company=i % 7))
        for i in range(4000)
    ]
    train, test = split_by_time(rows)
    result = backtest(train, test)
    # 2 hours out of 24 at random: about 1/12, whatever the learner says
    assert result["hit_rate"] == pytest.approx(1 / 12, abs=0.03)
