"""Shared helpers for the hygiene benchmarks: machine description, load, memory, pair metrics."""

import os
import platform
import resource
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(
                line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    ram = "?"
    try:
        with open("/proc/meminfo") as fh:
            ram = f"{int(fh.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import numpy
    import pandas
    import phonenumbers
    import rapidfuzz
    import recordlinkage

    versions = f"numpy {numpy.__version__}, pandas {pandas.__version__}, rapidfuzz {rapidfuzz.__version__}, phonenumbers {phonenumbers.__version__}, recordlinkage {recordlinkage.__version__}"
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"nproc {nproc}, CPU {cpu}, RAM {ram}, Python {platform.python_version()}; {versions}"


def load():
    return "load avg {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prf(predicted, truth):
    """Precision, recall, F1 of two sets of frozenset pairs."""
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp, len(predicted) - tp, len(truth) - tp


def cluster_pairs(clusters):
    out = set()
    for group in clusters:
        group = list(group)
        for a in range(len(group)):
            for b in range(a + 1, len(group)):
                out.add(frozenset((group[a], group[b])))
    return out
