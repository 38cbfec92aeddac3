"""Scale benchmark on generated noisy contacts: full pass, incremental pass, phone throughput.

Run from the repository root, one size per process (peak RSS is per process):
    python3 bench/hygiene/scale.py full 100000
    python3 bench/hygiene/scale.py full 1000000
    python3 bench/hygiene/scale.py full 1000000 crm   (CRM-like contacts of crm_contacts.py)
    python3 bench/hygiene/scale.py incremental 1000000 1000
    python3 bench/hygiene/scale.py phones 200000
"""

import sys
import time

import numpy as np
from common import load, machine, peak_rss_mb, prf  # noqa: I001
from contacts import generate, truth_pairs
from crm_contacts import generate as generate_crm
from crm_contacts import truth_pairs as crm_truth_pairs
from key_index import IncrementalFinder

from crm_agent_hygiene.engine import DuplicateFinder
from crm_agent_hygiene.engine.block import candidate_pairs
from crm_agent_hygiene.engine.normalise import RecordTable, _parse_phone_for_region, normalise_phone


def stamp(label, t0):
    dt = time.perf_counter() - t0
    cpu = (
        time.process_time()
    )  # cumulative CPU seconds of this process: shows how much the load stretched dt
    print(
        f"  {label}: {dt:.1f} s  ({load()}, peak RSS {peak_rss_mb():.0f} MB, process CPU so far {cpu:.0f} s)",
        flush=True,
    )
    return dt


def full(n, data="noisy"):
    if data == "crm":
        records = generate_crm(n)
        truth = crm_truth_pairs(records)
        for record in records:  # keep only what the matcher reads, as a CRM export would
            for key in ("entity", "company", "family", "given", "variant", "lang"):
                record.pop(key, None)
    else:
        records = generate(n)
        truth = truth_pairs(records)
    print(
        f"full pass, {n} contacts, {len(truth)} true duplicate pairs; generated, peak RSS {peak_rss_mb():.0f} MB",
        flush=True,
    )
    finder = DuplicateFinder()
    t_all = time.perf_counter()
    t0 = time.perf_counter()
    table = RecordTable.from_records(records)
    stamp("normalise", t0)
    t0 = time.perf_counter()
    pairs = candidate_pairs(table, finder.max_block_size, finder.window)
    stamp(f"block ({len(pairs)} candidate pairs, {len(pairs) / n:.1f} per record)", t0)
    t0 = time.perf_counter()
    result = finder.find(records, pairs=pairs, table=table)
    stamp(
        f"compare + classify + cluster ({len(result.matches)} matches, {len(result.clusters)} clusters, {len(result.conflicts)} conflicts)",
        t0,
    )
    total = stamp("TOTAL full pass (normalise + block + compare + classify + cluster)", t_all)
    predicted = {frozenset((m.left_id, m.right_id)) for m in result.matches}
    p, r, f, tp, fp, fn = prf(predicted, truth)
    # ids are the row numbers here; pair codes instead of a set of 20M frozensets (10 GB at 1M records)
    truth_codes = np.array([min(p) * n + max(p) for p in truth], dtype=np.int64)
    blocking_recall = np.isin(truth_codes, pairs[:, 0] * n + pairs[:, 1]).sum() / len(truth)
    print(
        f"  quality: precision {p:.4f} recall {r:.4f} F1 {f:.4f} (TP {tp}, FP {fp}, FN {fn}); blocking recall {blocking_recall:.4f}"
    )
    print(
        f"RESULT full {data} n={n} total={total:.1f}s peak_rss={peak_rss_mb():.0f}MB P={p:.4f} R={r:.4f} F1={f:.4f} {load()}"
    )


def incremental(n, k):
    records = generate(n)
    finder = IncrementalFinder()
    t0 = time.perf_counter()
    finder.fit_index(records)
    stamp(
        f"index build over {n} contacts (normalise + keys; done once, kept up to date by the caller)",
        t0,
    )
    rng_step = max(1, n // k)
    changed = [dict(records[i], name=records[i]["name"].upper()) for i in range(0, n, rng_step)][:k]
    t0 = time.perf_counter()
    result = finder.find_changed(changed)
    dt = stamp(
        f"incremental: {len(changed)} changed vs {n} ({result.candidates} candidate pairs, {len(result.matches)} matches)",
        t0,
    )
    print(
        f"RESULT incremental n={n} changed={len(changed)} time={dt:.2f}s peak_rss={peak_rss_mb():.0f}MB {load()}"
    )


def phones(m):
    records = generate(m, seed=7)
    raw = [
        (r["phone"], (r["country_code"], r["company_country_code"])) for r in records if r["phone"]
    ]
    distinct = len(set(raw))
    _parse_phone_for_region.cache_clear()
    t0, c0 = time.perf_counter(), time.process_time()
    valid = sum(normalise_phone(p, regions).valid for p, regions in raw)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    # per CPU-second too: on a shared machine the wall-clock rate mostly measures the other jobs
    print(
        f"RESULT phones cold cache: {len(raw)} numbers ({distinct} distinct), {valid} valid, {len(raw) / dt:,.0f} numbers/s, "
        f"{len(raw) / cpu:,.0f} numbers per CPU-second {load()}"
    )
    t0 = time.perf_counter()
    valid = sum(normalise_phone(p, regions).valid for p, regions in raw)
    dt = time.perf_counter() - t0
    print(f"RESULT phones warm cache (same numbers again): {len(raw) / dt:,.0f} numbers/s {load()}")


if __name__ == "__main__":
    print("# machine:", machine())
    mode = sys.argv[1]
    if mode == "full":
        full(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "noisy")
    elif mode == "incremental":
        incremental(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "phones":
        phones(int(sys.argv[2]))
