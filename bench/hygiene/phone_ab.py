"""Phone normalisation A/B on a shared machine: an older commit's ``normalise_phone`` against the
working tree's, alternated, on the same numbers as ``scale.py phones``; rates per CPU-second too.

    python3 bench/hygiene/phone_ab.py b89d96d 200000
"""

import importlib.util
import os
import subprocess
import sys
import tempfile
import time

from common import ROOT, load  # noqa: I001
from contacts import generate

from crm_agent_hygiene.engine import normalise as current


def module_at(rev):
    source = subprocess.run(
        ["git", "show", f"{rev}:crm_agent_hygiene/engine/normalise.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(source)
    spec = importlib.util.spec_from_file_location(f"normalise_{rev}", fh.name)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.unlink(fh.name)
    return module


def clear_caches(module):
    for name in ("_parse_phone_cached", "_parse_phone_for_region"):
        cache_clear = getattr(getattr(module, name, None), "cache_clear", None)
        if cache_clear:
            cache_clear()


def main(rev, m):
    base = module_at(rev)
    records = generate(m, seed=7)
    raw = [
        (r["phone"], (r["country_code"], r["company_country_code"])) for r in records if r["phone"]
    ]
    for name, module in ((rev, base), ("working tree", current)) * 2:
        clear_caches(base)
        clear_caches(current)
        t0, c0 = time.perf_counter(), time.process_time()
        valid = sum(module.normalise_phone(p, regions).valid for p, regions in raw)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"{name}: {len(raw)} numbers, {valid} valid, {len(raw) / dt:,.0f}/s wall, {len(raw) / cpu:,.0f} per CPU-second, {load()}",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
