"""Intake through the REST API: POST /api/cases/ with token auth and a unique Idempotency-Key per report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/intake.py \
        [--seconds 20] [--max-requests 4000] [--soak 10000] [--port 8765]

Starts gunicorn (2 sync workers, DEBUG off) on 127.0.0.1 against DATABASE_URL, issues an API key for a
resident account, then runs two phases — 2 and 16 concurrent clients (threads on http.client, one connection
per request as gunicorn's sync workers close them) — each bounded by --seconds and --max-requests, and prints
reports/s, p50 and p95, and the CPU each report cost the workers, PostgreSQL and the load client. Each
worker's RSS (ps) is printed after the warm-up; then, if --soak is given (default 10,000), 2 clients keep
posting until the workers have served that many requests in all (bounded by --soak-seconds), and the RSS is
printed again
with the growth per worker. The key is revoked and gunicorn stopped at the end. The clients run
on the same 2 cores as the server and the database, so the figures are a floor, not a ceiling.

--baseline serves bench/baseline_app.py instead (a bare Django view inserting one row) with the same
gunicorn, database and clients: the yardstick of the issue's target, measured on the machine at hand.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import socket
import subprocess  # noqa: S404
import sys
import threading
import time
import uuid
from pathlib import Path

from _common import load, pct, setup_django

ROOT = Path(__file__).resolve().parent.parent


def wait_ready(port: int, proc, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/schema/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer in time")


def cpu_seconds(pids) -> float:
    """User + system CPU seconds of local processes and of their children that ended (PostgreSQL's postmaster
    collects the backends that closed their connection meanwhile)."""
    total = 0.0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def postgres_pids() -> list[int]:
    out = subprocess.run(["ps", "-u", "postgres", "-o", "pid="], capture_output=True, text=True,  # noqa: S603, S607
                         check=False).stdout
    return [int(x) for x in out.split()]


def phase(port, key, points, clients: int, seconds: float, max_requests: int, workers=()) -> dict:
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sent = [0]
    stop = time.monotonic() + seconds

    def client(n):
        rng = random.Random(n)
        while time.monotonic() < stop:
            with lock:
                if sent[0] >= max_requests:
                    return
                sent[0] += 1
            lng, lat, cat = rng.choice(points)
            body = json.dumps({"category": cat, "title": "路边垃圾堆积（压测）", "lng": lng + rng.uniform(-1e-4, 1e-4),
                               "lat": lat + rng.uniform(-1e-4, 1e-4), "description": "bench"}).encode()
            headers = {"Authorization": f"Token {key}", "Idempotency-Key": uuid.uuid4().hex,
                       "Content-Type": "application/json"}
            t = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request("POST", "/api/cases/", body, headers)
                r = conn.getresponse()
                text = r.read()
            except OSError as e:
                status, text = 0, str(e).encode()
            else:
                status = r.status
            finally:
                conn.close()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                if status == 201:
                    latencies.append(ms)
                else:
                    errors.append(f"{status} {text[:200].decode(errors='replace')}")

    pg = postgres_pids()
    cpu0 = (cpu_seconds(workers), cpu_seconds(pg), time.process_time())
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    done = max(1, len(latencies) + len(errors))
    cpu = [(cpu_seconds(workers) - cpu0[0]) * 1000 / done, (cpu_seconds(pg) - cpu0[1]) * 1000 / done,
           (time.process_time() - cpu0[2]) * 1000 / done]
    return {"clients": clients, "ok": len(latencies), "errors": errors, "wall": wall,
            "rate": len(latencies) / wall, "p50": pct(latencies, 50), "p95": pct(latencies, 95),
            "max": max(latencies) if latencies else float("nan"), "cpu": cpu}


def show(r: dict) -> None:
    print(f"{r['clients']:>2} clients: {r['ok']:,} reports in {r['wall']:.1f} s = {r['rate']:.0f} reports/s, "
          f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, max {r['max']:.1f} ms, {len(r['errors'])} errors; {load()}")
    workers, pg, client = r["cpu"]
    print(f"   CPU per report: workers {workers:.2f} ms + PostgreSQL {pg:.2f} ms + load client {client:.2f} ms "
          f"= {workers + pg + client:.2f} ms (2 cores: at most {2000 / (workers + pg + client):.0f} reports/s)")
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
    parser.add_argument("--baseline", action="store_true", help="Serve bench/baseline_app.py (one bare INSERT).")
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
    env = {"LIANXIN_SECRET_KEY": secrets.token_urlsafe(50), **os.environ, "LIANXIN_DEBUG": "0",
           "LIANXIN_LOG_LEVEL": "WARNING",
           "PYTHONPATH": str(ROOT / ("bench" if args.baseline else "src"))}
    with socket.socket() as probe:  # another server on the port would be measured instead of ours
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            sys.exit(f"port {args.port} is in use: stop what listens there or pass --port")
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    app = "baseline_app:application" if args.baseline else "lianxin.wsgi:application"
    proc = subprocess.Popen(  # noqa: S603
        [gunicorn, app, "--bind", f"127.0.0.1:{args.port}", "--workers", "2",
         "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"],
        env=env, cwd=ROOT)
    served = 0
    try:
        wait_ready(args.port, proc)
        print(f"gunicorn pid {proc.pid}, 2 workers, DEBUG off, on {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}"
              f"{' — BASELINE: a bare view inserting one row' if args.baseline else ''}; {load()}")
        workers = [pid for pid, _rss in worker_rss(proc.pid)]
        warm = phase(args.port, key, points, 2, 3, 100, workers)  # warm-up: imports, connections
        served += warm["ok"] + len(warm["errors"])
        before = dict(worker_rss(proc.pid))
        print(f"after the warm-up ({served:,} requests): worker RSS {rss_text(before)}")
        for clients in (2, 16):
            r = phase(args.port, key, points, clients, args.seconds, args.max_requests, workers)
            served += r["ok"] + len(r["errors"])
            show(r)
        if args.soak and served < args.soak:
            r = phase(args.port, key, points, 2, args.soak_seconds, args.soak - served, workers)
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
