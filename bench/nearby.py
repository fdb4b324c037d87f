"""The duplicate search of the quick report: queries.nearby_open_cases at points near open cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/nearby.py [--n 300]

Half the points sit a few metres from a random open case (same category: the search finds it), half are
random points inside random grids with a random category (mostly nothing found). Prints p50/p95, the
query count per call, and the plan of one search.
"""

import argparse
import random

from _common import load, setup_django, summary, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300, help="Searches (default 300).")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lianxin.areas.models import Area
    from lianxin.cases import queries
    from lianxin.cases.models import OPEN_STAGES, Case, Category

    rng = random.Random(args.seed)
    open_cases = list(Case.objects.filter(stage__in=OPEN_STAGES, lng__isnull=False)
                      .values_list("lng", "lat", "category_id")[:20000])
    grids = list(Area.objects.filter(kind="grid", min_lng__isnull=False))
    cats = {c.pk: c for c in Category.objects.filter(parent__isnull=False)}
    public = queries.public_categories()
    print(f"{Case.objects.count():,} cases, {Case.objects.filter(stage__in=OPEN_STAGES).count():,} open; {load()}")
    points = []
    for i in range(args.n):
        if i % 2 == 0 and open_cases:
            lng, lat, cat = rng.choice(open_cases)
            points.append((lng + rng.uniform(-2e-4, 2e-4), lat + rng.uniform(-2e-4, 2e-4), cats[cat]))
        else:
            g = rng.choice(grids)
            points.append((rng.uniform(g.min_lng, g.max_lng), rng.uniform(g.min_lat, g.max_lat), rng.choice(public)))
    with CaptureQueriesContext(connection) as ctx:
        queries.nearby_open_cases(*points[0])
    found, times = 0, []
    for p in points:
        ms, rows = timed(lambda p=p: queries.nearby_open_cases(*p))
        times.append(ms)
        found += bool(rows)
    print(f"nearby_open_cases: {len(ctx.captured_queries)} query per call, {found} of {len(points)} searches "
          f"found a case: {summary(times)}")
    lng, lat, cat = points[0]
    min_lng, min_lat, max_lng, max_lat = queries.bbox(lng, lat, cat.duplicate_radius_m)
    qs = (Case.objects.filter(lng__gte=min_lng, lng__lte=max_lng, lat__gte=min_lat, lat__lte=max_lat,
                              category=cat, stage__in=OPEN_STAGES, merged_into__isnull=True)
          .values("pk", "number", "title", "stage", "lng", "lat")[:500])
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        print("plan:\n" + "\n".join("    " + r[0] for r in cur.fetchall()))
    print(f"done; {load()}")


if __name__ == "__main__":
    main()
