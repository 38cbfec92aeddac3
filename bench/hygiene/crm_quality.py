"""Dedup quality on labelled CRM-like contacts (``crm_contacts.py``), per category.

Run from bench/hygiene: python3 crm_quality.py [records] [seed ...]
    python3 crm_quality.py 20000 1 2 3

Prints precision / recall / F1 of the matched pairs (threshold 0.9), recall per kind of true
duplicate, false pairs per kind of trap (colleagues, relatives in family firms, namesakes), and the
precision of the pairs at confidence >= 0.8 (what conditional autonomy would act on).
"""

import sys
import time
from collections import Counter

from common import load, machine, peak_rss_mb, prf  # noqa: I001
from crm_contacts import generate, pair_category, truth_pairs

from crm_agent_hygiene.engine import DuplicateFinder


def run(n, seed):
    records = generate(n, seed=seed)
    truth = truth_pairs(records)
    t0 = time.perf_counter()
    result = DuplicateFinder(threshold=0.5).find(records)
    dt = time.perf_counter() - t0
    by_id = {r["id"]: r for r in records}
    scored = {frozenset((m.left_id, m.right_id)): m.probability for m in result.matches}
    rows = {}
    for label, floor in (("confidence >= 0.9 (proposed)", 0.9), ("confidence >= 0.8", 0.8)):
        predicted = {pair for pair, p in scored.items() if p >= floor}
        rows[label] = prf(predicted, truth)
    predicted = {pair for pair, p in scored.items() if p >= 0.9}
    found = Counter()
    total = Counter()
    for pair in truth:
        a, b = (by_id[i] for i in sorted(pair))
        category = pair_category(a, b)
        total[category] += 1
        found[category] += pair in predicted
    false = Counter(pair_category(*(by_id[i] for i in sorted(pair))) for pair in predicted - truth)
    return records, result, dt, rows, found, total, false


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    seeds = [int(s) for s in sys.argv[2:]] or [1]
    print("# machine:", machine())
    found, total, false = Counter(), Counter(), Counter()
    sums = {}
    for seed in seeds:
        records, result, dt, rows, f, t, fa = run(n, seed)
        found.update(f)
        total.update(t)
        false.update(fa)
        entities = len({r["entity"] for r in records})
        print(
            f"seed {seed}: {len(records)} records, {entities} people ({len(records) / entities:.2f} rows "
            f"each), {result.candidates} candidate pairs, {dt:.1f} s, {load()}"
        )
        for label, (p, r, f1, tp, fp, fn) in rows.items():
            print(
                f"  {label}: precision {p:.4f} recall {r:.4f} F1 {f1:.4f} (TP {tp}, FP {fp}, FN {fn})"
            )
            acc = sums.setdefault(label, [0, 0, 0])
            acc[0] += tp
            acc[1] += fp
            acc[2] += fn
    print("\n| pairs | precision | recall | F1 | TP | FP | FN |\n|---|---|---|---|---|---|---|")
    for label, (tp, fp, fn) in sums.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"| {label} | {p:.4f} | {r:.4f} | {f1:.4f} | {tp} | {fp} | {fn} |")
    print("\n| true duplicates by variation | pairs | found | recall |\n|---|---|---|---|")
    for category in sorted(total):
        print(
            f"| {category} | {total[category]} | {found[category]} | {found[category] / total[category]:.4f} |"
        )
    print("\n| false pairs proposed (>= 0.9) by kind | count |\n|---|---|")
    for category in (
        "colleagues",
        "relatives (same family, same company)",
        "namesakes",
        "other people",
    ):
        print(f"| {category} | {false[category]} |")
    print(f"\npeak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
