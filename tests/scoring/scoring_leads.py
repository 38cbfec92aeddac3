"""Synthetic closed leads for the scoring tests: outcome driven by source, replies, visits and a tag."""

import numpy as np

SOURCES = ["Referral", "Website", "Cold call", "Fair"]
COUNTRIES = ["BE", "FR", "DE", "NL", "US"]


def make_leads(n=1200, seed=0, with_outcome_fields=True):
    rng = np.random.default_rng(seed)
    snaps, y = [], []
    for i in range(n):
        source = SOURCES[rng.integers(len(SOURCES))]
        replies = int(rng.poisson(1.5))
        visits = float(rng.exponential(4)) if rng.random() > 0.1 else None
        tags = ["vip"] if rng.random() < 0.2 else []
        if rng.random() < 0.3:
            tags.append("newsletter")
        z = (
            -1.2
            + {"Referral": 1.5, "Website": 0.3, "Cold call": -0.8, "Fair": 0.0}[source]
            + 0.5 * replies
            + (0.08 * visits if visits is not None else -0.3)
            + (0.9 if "vip" in tags else 0)
        )
        won = int(rng.random() < 1 / (1 + np.exp(-z)))
        snap = {
            "country": COUNTRIES[rng.integers(len(COUNTRIES))],
            "lang": rng.choice(["en", "fr", "nl"]),
            "source": source,
            "team": rng.choice(["Europe", "America"]),
            "email_quality": rng.choice(["correct", "incorrect", None]),
            "replies": replies,
            "website_visits": visits,
            "messages_in": int(rng.poisson(2)),
            "age_days": float(rng.integers(1, 200)),
            "tags": tags,
        }
        if with_outcome_fields:
            snap.update(
                {
                    "stage": "Won" if won else "Lost",
                    "probability": 100 if won else 0,
                    "date_closed": f"2025-01-{1 + i % 28:02d}",
                    "won_status": "won" if won else "lost",
                }
            )
        snaps.append(snap)
        y.append(won)
    return snaps, np.array(y)
