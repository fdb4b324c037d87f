"""County statistics over 12 months: stats.compute(start, end, Scope(area_path=county)).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/stats.py [--n 3]

stats.compute counts whole past days from the EventTally rollup (months, then days), the hours at either end
from the events, and the cases open at the end with one index probe each. The first call after a bulk load
counts every past day into the rollup (timed separately; --rebuild forgets and recounts it first). Also
times the monthly export shape (12 monthly computes + the whole period) once with --export.
"""

import argparse
from datetime import timedelta

from _common import load, setup_django, summary, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3, help="Repetitions (default 3).")
    parser.add_argument("--county", help="County code (default: the county with the most cases).")
    parser.add_argument("--export", action="store_true", help="Also time 12 monthly computes + the total.")
    parser.add_argument("--rebuild", action="store_true", help="Recount the rollup from the events first (timed).")
    args = parser.parse_args()
    setup_django()
    from django.db.models import Count

    from lianxin.areas.models import Area
    from lianxin.cases import stats
    from lianxin.cases.models import CaseEvent, EventTally
    from lianxin.core import clock

    counties = Area.objects.filter(kind="county")
    if args.county:
        county = counties.get(code=args.county)
    else:
        sizes = {c.pk: 0 for c in counties}
        by_path = {c.path: c for c in counties}
        for path, n in CaseEvent.objects.filter(kind="report").values("area_path").annotate(n=Count("id")) \
                .values_list("area_path", "n"):
            for p, c in by_path.items():
                if path.startswith(p):
                    sizes[c.pk] += n
        county = counties.get(pk=max(sizes, key=sizes.get))
    end = clock.now()
    start = end - timedelta(days=365)
    scope = stats.Scope(area_path=county.path)
    events = CaseEvent.objects.filter(area_path__startswith=county.path)
    print(f"county {county.code} {county.name}: {events.filter(kind='report').count():,} cases, "
          f"{events.count():,} events ({events.filter(at__gte=start, at__lt=end).count():,} in the 12 months); "
          f"{load()}")
    if args.rebuild:
        ms, _ = timed(stats.rebuild_tallies)
        print(f"rebuild_tallies (every past day from {CaseEvent.objects.count():,} events): {ms / 1000:.1f} s; "
              f"{load()}")
    ms, _ = timed(lambda: stats.compute(start, end, scope))
    print(f"first call (counts the days not yet in the rollup): {ms:.0f} ms; "
          f"rollup {EventTally.objects.count():,} rows")
    times = []
    for _ in range(args.n):
        ms, result = timed(lambda: stats.compute(start, end, scope))
        times.append(ms)
    print(f"stats.compute 12 months: {summary(times)}")
    print("  " + ", ".join(f"{k}={result[k]}" for k in ("reported", "accepted", "closed", "close_rate",
                                                       "overdue_at_end", "satisfaction_rate")))
    if args.export:
        def export():
            cursor = start
            while cursor < end:
                nxt = min(cursor + timedelta(days=30), end)
                stats.compute(cursor, nxt, scope)
                cursor = nxt
            stats.compute(start, end, scope)

        ms, _ = timed(export)
        print(f"monthly export shape (13 computes): {ms / 1000:.1f} s")
    print(f"done; {load()}")


if __name__ == "__main__":
    main()
