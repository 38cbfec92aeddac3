"""Speed benchmark: train on 100,000 leads, score + explain 100,000 leads, rescore one lead; peak memory.

Run from the repository root:  python3 bench/scoring/speed_benchmark.py [--data PATH] [--rows 100000]
The bank data (45,211 rows) is resampled with replacement to --rows leads.
"""

import argparse
import os
import pathlib
import resource
import statistics
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "scoring"))

from bank_benchmark import load  # noqa: E402

from crm_agent_scoring.engine import storage  # noqa: E402
from crm_agent_scoring.engine.explain import explain  # noqa: E402
from crm_agent_scoring.engine.model import LeadScorer  # noqa: E402


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--data", default=str(ROOT.parent / "shared" / "data" / "bank-marketing-full.csv")
    )
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    snaps, y, spec = load(args.data)
    idx = np.sort(np.random.default_rng(0).integers(0, len(y), args.rows))  # keep time order
    snaps, y = [snaps[i] for i in idx], y[idx]
    print(f"rows={len(y)} peak_mb_after_load={peak_mb():.0f}")

    t = time.perf_counter()
    scorer = LeadScorer(spec=spec).fit(snaps, y)
    print(
        f"train {len(y)} leads: {time.perf_counter() - t:.1f} s  loadavg={os.getloadavg()[0]:.2f}  peak_mb={peak_mb():.0f}"
    )

    t = time.perf_counter()
    explanations = explain(scorer, snaps)
    print(
        f"score+explain {len(snaps)} leads: {time.perf_counter() - t:.1f} s  loadavg={os.getloadavg()[0]:.2f}  "
        f"peak_mb={peak_mb():.0f}  (first: {explanations[0]['score']} %, {explanations[0]['raising'][:1]})"
    )
    del explanations

    times = []
    for snap in snaps[:200]:
        t = time.perf_counter()
        explain(scorer, [snap])
        times.append(time.perf_counter() - t)
    print(
        f"rescore+explain one lead: median {1000 * statistics.median(times):.2f} ms, "
        f"p95 {1000 * sorted(times)[int(0.95 * len(times))]:.2f} ms, max {1000 * max(times):.2f} ms  "
        f"loadavg={os.getloadavg()[0]:.2f}"
    )

    t = time.perf_counter()
    data, digest = storage.dumps(scorer)
    storage.loads(data, digest)
    print(f"serialise+hash+load: {time.perf_counter() - t:.2f} s, {len(data) / 1024:.0f} KiB")
    print(f"peak memory (ru_maxrss): {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
