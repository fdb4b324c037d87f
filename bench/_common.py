"""Shared helpers of the bench scripts: Django set-up, percentiles, and the machine's load."""

import os
import statistics
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def setup_django():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL bench database, e.g. "
                 "postgres://postgres@127.0.0.1:5432/lianxin_bench")
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()


def load() -> str:
    """The 1/5/15-minute load averages (other people's tests run on this machine too)."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def pct(values, p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def summary(ms: list[float]) -> str:
    return (f"n={len(ms)}  p50 {pct(ms, 50):.1f} ms  p95 {pct(ms, 95):.1f} ms  max {max(ms):.1f} ms  "
            f"mean {statistics.fmean(ms):.1f} ms")


def timed(fn):
    t = time.perf_counter()
    result = fn()
    return (time.perf_counter() - t) * 1000, result
