"""Intake through the REST API: POST /api/cases/ with token auth and a unique Idempotency-Key per report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/intake.py \
        [--seconds 20] [--max-requests 4000] [--soak 10000] [--port 8765]

Starts gunicorn (2 sync workers, DEBUG off) on 127.0.0.1 against DATABASE_URL, issues an API key for a
resident account, then runs two phases — 2 and 16 concurrent clients (threads, keep-alive sessions) — each
bounded by --seconds and --max-requests, and prints reports/s, p50 and p95. Each worker's RSS (ps) is
printed after the warm-up; then, if --soak is given (default 10,000), 2 clients keep posting until the
workers have served that many requests in all (bounded by --soak-seconds), and the RSS is printed again
with the growth per worker. The key is revoked and gunicorn stopped at the end. The clients run
on the same 2 cores as the server and the database, so the figures are a floor, not a ceiling.
"""

import argparse
import os
import random
import signal
import subprocess  # noqa: S404
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from _common import load, pct, setup_django

ROOT = Path(__file__).resolve().parent.parent


def wait_ready(url: str, proc, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with code {proc.returncode}")
        try:
            requests.get(url + "/api/schema/", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer in time")


def phase(url, key, points, clients: int, seconds: float, max_requests: int) -> dict:
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sent = [0]
    stop = time.monotonic() + seconds

    def client(n):
        rng = random.Random(n)
        s = requests.Session()
        s.headers["Authorization"] = f"Token {key}"
        while time.monotonic() < stop:
            with lock:
                if sent[0] >= max_requests:
                    return
                sent[0] += 1
            lng, lat, cat = rng.choice(points)
            body = {"category": cat, "title": "路边垃圾堆积（压测）", "lng": lng + rng.uniform(-1e-4, 1e-4),
                    "lat": lat + rng.uniform(-1e-4, 1e-4), "description": "bench"}
            t = time.perf_counter()
            r = s.post(url + "/api/cases/", json=body, headers={"Idempotency-Key": uuid.uuid4().hex}, timeout=30)
            ms = (time.perf_counter() - t) * 1000
            with lock:
                if r.status_code == 201:
                    latencies.append(ms)
                else:
                    errors.append(f"{r.status_code} {r.text[:200]}")

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    return {"clients": clients, "ok": len(latencies), "errors": errors, "wall": wall,
            "rate": len(latencies) / wall, "p50": pct(latencies, 50), "p95": pct(latencies, 95),
            "max": max(latencies) if latencies else float("nan")}


def show(r: dict) -> None:
    print(f"{r['clients']:>2} clients: {r['ok']:,} reports in {r['wall']:.1f} s = {r['rate']:.0f} reports/s, "
          f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms, {len(r['errors'])} errors; {load()}")
    for e in r["errors"][:3]:
        print("   error:", e)


def worker_rss(master_pid: int) -> list[tuple[int, int]]:
    out = subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(master_pid)],  # noqa: S603, S607
                         capture_output=True, text=True, check=False).stdout
    return [tuple(int(x) for x in line.split()) for line in out.splitlines() if line.strip()]


def rss_text(rss: dict) -> str:
    total = sum(rss.values())
    return (", ".join(f"pid {p}: {kb / 1024:.1f} MiB" for p, kb in sorted(rss.items()))
            + f" (sum {total / 1024:.0f} MiB)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seconds", type=float, default=20, help="Length of each phase (default 20 s).")
    parser.add_argument("--max-requests", type=int, default=4000, help="Cap per phase (default 4000).")
    parser.add_argument("--soak", type=int, default=10000,
                        help="Keep posting until the workers served this many requests in all (0: skip).")
    parser.add_argument("--soak-seconds", type=float, default=900, help="Time cap of the soak (default 900 s).")
    args = parser.parse_args()
    setup_django()
    from lianxin.accounts.models import RoleGrant
    from lianxin.api.models import ApiKey
    from lianxin.areas.models import Area
    from lianxin.cases import queries

    grant = RoleGrant.objects.filter(role="resident").select_related("user").first()
    key_row, key = ApiKey.issue(owner=grant.user, name=f"bench-intake-{uuid.uuid4().hex[:6]}")
    cats = [c.full_code for c in queries.public_categories()]
    rng = random.Random(1)
    points = []
    for g in Area.objects.filter(kind="grid", min_lng__isnull=False):
        for _ in range(3):
            points.append(((g.min_lng + g.max_lng) / 2 + rng.uniform(-1e-3, 1e-3),
                           (g.min_lat + g.max_lat) / 2 + rng.uniform(-1e-3, 1e-3), rng.choice(cats)))
    env = {**os.environ, "LIANXIN_DEBUG": "0", "LIANXIN_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT / "src")}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(  # noqa: S603
        [gunicorn, "lianxin.wsgi:application", "--bind", f"127.0.0.1:{args.port}", "--workers", "2",
         "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"],
        env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{args.port}"
    served = 0
    try:
        wait_ready(url, proc)
        print(f"gunicorn pid {proc.pid}, 2 workers, DEBUG off, on {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}; "
              f"{load()}")
        warm = phase(url, key, points, 2, 3, 100)  # warm-up: imports, connections
        served += warm["ok"] + len(warm["errors"])
        before = dict(worker_rss(proc.pid))
        print(f"after the warm-up ({served:,} requests): worker RSS {rss_text(before)}")
        for clients in (2, 16):
            r = phase(url, key, points, clients, args.seconds, args.max_requests)
            served += r["ok"] + len(r["errors"])
            show(r)
        if args.soak and served < args.soak:
            r = phase(url, key, points, 2, args.soak_seconds, args.soak - served)
            served += r["ok"] + len(r["errors"])
            show(r)
        after = dict(worker_rss(proc.pid))
        print(f"after {served:,} requests in all: worker RSS {rss_text(after)}")
        grown = [f"pid {p}: {(after[p] - before[p]) / 1024:+.1f} MiB" for p in after if p in before]
        print("growth since the warm-up: " + (", ".join(grown) or "workers were replaced (no common pid)"))
        if args.soak and served < args.soak:
            print(f"NOTE: the soak stopped at the {args.soak_seconds:.0f} s cap before {args.soak:,} requests")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        key_row.revoke()
    print(f"gunicorn stopped; {load()}")


if __name__ == "__main__":
    main()
