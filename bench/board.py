"""The county dispatch board: CaseFilter + board_rows (was filter_cases + _board_rows), one county, stage and colour,
50 rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/board.py [--n 50]

Times the board's own code path directly (the queryset the @scoped view gets for a county staff account,
cases.filters.CaseFilter (whose validation reads the chosen area: one query more than filter_cases took),
board_rows, the Paginator's count and the first page of 50) and the whole view through
Django's test client (GET /cases/?stage=…&colour=…&area=…, template included). Prints p50/p95 and the
query count per request, and the plan of the page query.
"""

import argparse

from _common import load, setup_django, summary, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=50, help="Repetitions per filter (default 50).")
    args = parser.parse_args()
    setup_django()
    from django.core.paginator import Paginator
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lianxin.accounts.models import RoleGrant
    from lianxin.cases import views
    from lianxin.cases.filters import CaseFilter
    from lianxin.cases.models import Case

    _board_rows = getattr(views, "board_rows", None) or views._board_rows  # renamed on main
    from lianxin.core import clock

    grant = RoleGrant.objects.filter(role="county_staff", area__isnull=False).select_related("area", "user").first()
    user, county = grant.user, grant.area
    in_county = Case.objects.filter(area__path__startswith=county.path)
    print(f"county {county.code} {county.name}: {in_county.count():,} cases "
          f"({in_county.filter(stage__in=['reported', 'accepted', 'dispatched', 'handling', 'verifying']).count():,}"
          f" open) of {Case.objects.count():,}; as {user.username}; {load()}")
    filters = [
        {"open": True, "stage": "handling", "colour": "red"},
        {"open": True, "stage": "dispatched", "colour": "yellow"},
        {"open": True, "stage": "handling", "colour": "blue"},
        {"open": True},
    ]

    def filtered(f):
        data = {k: ("on" if v is True else v) for k, v in f.items()} | {"area": str(county.pk)}
        found = CaseFilter(data, Case.objects.visible_to(user, "view"), user=user, now=clock.now())
        assert found.is_valid(), found.errors
        return found.qs

    for f in filters:
        def page(data=f):
            p = Paginator(_board_rows(filtered(data)), 50).get_page(1)
            return list(p), p.paginator.count

        with CaptureQueriesContext(connection) as ctx:
            rows, total = page()
        queries = len(ctx.captured_queries)
        times = [timed(page)[0] for _ in range(args.n)]
        label = ", ".join(f"{k}={v}" for k, v in f.items())
        print(f"direct  [{label}] rows {len(rows)} of {total:,}, {queries} queries: {summary(times)}")

    # As Django's test runner does: keep the connection (and the captured queries) across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    for f in filters[:2]:
        params = {k: ("on" if v is True else v) for k, v in f.items()} | {"area": county.pk}
        seen = []
        with connection.execute_wrapper(lambda execute, sql, *a, seen=seen: seen.append(sql) or execute(sql, *a)):
            r = client.get("/cases/", params)
        assert r.status_code == 200, r.status_code
        times = [timed(lambda p=params: client.get("/cases/", p))[0] for _ in range(args.n)]
        label = ", ".join(f"{k}={v}" for k, v in f.items())
        print(f"view    [{label}] {len(seen)} queries (with session and grants): {summary(times)}")

    rows_qs = _board_rows(filtered(filters[0]))[:50]
    sql, sql_params = rows_qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, sql_params)
        plan = [r[0] for r in cur.fetchall()]
    print("plan of the page query [" + ", ".join(f"{k}={v}" for k, v in filters[0].items()) + "]:")
    print("\n".join("    " + line for line in plan))
    print(f"done; {load()}")


if __name__ == "__main__":
    main()
