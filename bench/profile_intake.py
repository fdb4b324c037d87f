"""One report through the REST API, in-process: the SQL it runs and, with --pyinstrument, where the time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/profile_intake.py \
        [--n 200] [--pyinstrument]

Uses Django's test client (DEBUG off, token auth, a fresh Idempotency-Key per report) against the bench
database, so it adds real cases. Prints the queries of one report after a warm-up, then the in-process
time and the CPU (this process's and its PostgreSQL backend's) per report over --n reports.
"""

import argparse
import os
import random
import time
import uuid

from _common import load, setup_django, summary


def backend_cpu(pid: int) -> float:
    """User + system CPU seconds of a local process (the PostgreSQL backend serving this connection)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200, help="Reports to time after the one profiled (default 200).")
    parser.add_argument("--pyinstrument", action="store_true", help="Profile the --n reports with pyinstrument.")
    parser.add_argument("--cprofile", action="store_true", help="Profile the --n reports with cProfile (CPU).")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lianxin.accounts.models import RoleGrant
    from lianxin.api.models import ApiKey
    from lianxin.areas.models import Area
    from lianxin.cases import queries

    grant = RoleGrant.objects.filter(role="resident").select_related("user").first()
    key_row, key = ApiKey.issue(owner=grant.user, name=f"bench-profile-{uuid.uuid4().hex[:6]}")
    cats = [c.full_code for c in queries.public_categories()]
    grids = list(Area.objects.filter(kind="grid", min_lng__isnull=False))
    rng = random.Random(2)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    def post():
        g = rng.choice(grids)
        body = {"category": rng.choice(cats), "title": "路边垃圾堆积（压测）", "description": "bench",
                "lng": (g.min_lng + g.max_lng) / 2 + rng.uniform(-1e-3, 1e-3),
                "lat": (g.min_lat + g.max_lat) / 2 + rng.uniform(-1e-3, 1e-3)}
        r = client.post("/api/cases/", body, content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
        assert r.status_code == 201, r.content[:300]

    try:
        for _ in range(5):
            post()
        with CaptureQueriesContext(connection) as ctx:
            post()
        print(f"one report: {len(ctx.captured_queries)} queries")
        for i, q in enumerate(ctx.captured_queries, 1):
            print(f"{i:>3} {float(q['time']) * 1000:6.2f} ms  {q['sql'][:160]}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        times = []
        cpu0, pg0 = time.process_time(), backend_cpu(backend)
        profiler = None
        if args.cprofile:
            import cProfile

            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        elif args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        for _ in range(args.n):
            t = time.perf_counter()
            post()
            times.append((time.perf_counter() - t) * 1000)
        if args.cprofile:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        elif profiler:
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        cpu, pg = (time.process_time() - cpu0) / args.n * 1000, (backend_cpu(backend) - pg0) / args.n * 1000
        print(f"in-process, one client: {summary(times)}; {load()}")
        print(f"CPU per report: Django {cpu:.2f} ms + PostgreSQL backend {pg:.2f} ms (commit waits not included)")
    finally:
        key_row.revoke()


if __name__ == "__main__":
    main()
