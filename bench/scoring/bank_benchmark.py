"""Accuracy benchmark of LeadScorer vs Odoo PLS on UCI bank marketing (time split, rolling origin, random split).

Run from the repository root:
    python3 bench/scoring/bank_benchmark.py [--data PATH] [--protocol all|time|rolling|random|inner]
``inner`` is model selection without the held-out block: the time split's training leads only (first 70 %),
their most recent 20 % held out, drift screen on vs off.
"""

import argparse
import os
import pathlib
import sys
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from crm_agent_scoring.engine.features import FeatureSpec  # noqa: E402
from crm_agent_scoring.engine.model import LeadScorer  # noqa: E402
from crm_agent_scoring.engine.validation import compare, rolling_origin, time_holdout  # noqa: E402


def load(path):
    data = pd.read_csv(path).drop(
        columns=["duration"]
    )  # duration is known only after the call: it leaks
    y = (data.pop("y") == "yes").astype(int).to_numpy()
    categorical = [c for c in data.columns if data[c].dtype == object]
    numeric = [c for c in data.columns if c not in categorical]
    spec = FeatureSpec(categorical=categorical, numeric=numeric, use_tags=False)
    return data.to_dict("records"), y, spec


def row(name, r):
    return (
        f"| {name} | {r['n']} | {r['won_rate']:.3f} | {r['auc']:.4f} | {r['brier']:.4f} | {r['log_loss']:.4f} "
        f"| {r['lift_top10']:.2f} |"
    )


HEADER = "| model | n | won rate | AUC | Brier | log loss | lift top 10% |\n|---|---|---|---|---|---|---|"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--data", default=str(ROOT.parent / "shared" / "data" / "bank-marketing-full.csv")
    )
    parser.add_argument(
        "--protocol", default="all", choices=["all", "time", "rolling", "random", "inner"]
    )
    parser.add_argument("--blocks", type=int, default=6)
    args = parser.parse_args()
    snaps, y, spec = load(args.data)
    print(f"rows={len(y)} won_rate={y.mean():.4f} loadavg={os.getloadavg()}")

    if args.protocol in ("all", "time"):
        t = time.perf_counter()
        r = time_holdout(snaps, y, holdout_fraction=0.3, spec=spec, scorer=LeadScorer(spec=spec))
        print(
            f"\n## Time split (first 70 % train, last 30 % held out)  [{time.perf_counter() - t:.1f}s, "
            f"loadavg {os.getloadavg()[0]:.2f}]\n{HEADER}\n{row('LeadScorer', r['ours'])}\n{row('Odoo PLS', r['pls'])}"
        )
        print(f"verdict: {r['verdict']}")
        print(
            "calibration (ours):",
            [
                (c["decile"], round(c["mean_predicted"], 3), round(c["observed_rate"], 3))
                for c in r["ours"]["calibration"]
            ],
        )
        print(
            "blend coef (trees, naive Bayes), intercept:",
            r["scorer"].blend_coef_,
            r["scorer"].blend_intercept_,
        )

    if args.protocol in ("all", "rolling"):
        t = time.perf_counter()
        r = rolling_origin(
            snaps,
            y,
            n_blocks=args.blocks,
            initial_fraction=0.4,
            scorer_factory=lambda: LeadScorer(spec=spec),
            spec=spec,
        )
        print(
            f"\n## Rolling origin ({args.blocks} blocks after the first 40 %)  [{time.perf_counter() - t:.1f}s, "
            f"loadavg {os.getloadavg()[0]:.2f}]"
        )
        print(
            "| block | train n | test rows | won rate | AUC ours | AUC PLS | Brier ours | Brier PLS | LL ours | LL PLS |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for i, b in enumerate(r["blocks"]):
            o, p = b["ours"], b["pls"]
            print(
                f"| {i + 1} | {b['train_n']} | {b['test_range'][0]}-{b['test_range'][1]} | {o['won_rate']:.3f} "
                f"| {o['auc']:.4f} | {p['auc']:.4f} | {o['brier']:.4f} | {p['brier']:.4f} | {o['log_loss']:.4f} | {p['log_loss']:.4f} |"
            )
        mo, mp = r["mean"]["ours"], r["mean"]["pls"]
        print(
            f"| mean | | | | {mo['auc']:.4f} | {mp['auc']:.4f} | {mo['brier']:.4f} | {mp['brier']:.4f} "
            f"| {mo['log_loss']:.4f} | {mp['log_loss']:.4f} |"
        )
        print(f"verdict: {r['verdict']}")

    if args.protocol == "inner":
        cut = int(len(y) * 0.7)
        print(
            f"\n## Inside the time split's training leads (first 70 %), last 20 % of them held out\n{HEADER}"
        )
        for min_auc in (0.5, None):
            r = time_holdout(
                snaps[:cut],
                y[:cut],
                holdout_fraction=0.2,
                spec=spec,
                scorer=LeadScorer(spec=spec, stability_min_auc=min_auc),
            )
            print(row(f"LeadScorer stability_min_auc={min_auc}", r["ours"]))
            print(f"  screened out: {sorted(r['scorer'].unstable_fields_)}")
        print(row("Odoo PLS", r["pls"]))

    if args.protocol in ("all", "random"):
        t = time.perf_counter()
        rng = np.random.default_rng(0)
        perm = rng.permutation(len(y))
        cut = int(len(y) * 0.7)
        train, test = perm[:cut], perm[cut:]
        r = compare(
            [snaps[i] for i in train],
            y[train],
            [snaps[i] for i in test],
            y[test],
            scorer=LeadScorer(spec=spec),
            spec=spec,
            auc_margin=0.05,
        )
        print(
            f"\n## Random split (70/30, seed 0)  [{time.perf_counter() - t:.1f}s, loadavg {os.getloadavg()[0]:.2f}]"
            f"\n{HEADER}\n{row('LeadScorer', r['ours'])}\n{row('Odoo PLS', r['pls'])}"
        )
        print(f"verdict (AUC margin 0.05): {r['verdict']}")


if __name__ == "__main__":
    main()
