"""``/healthz`` and ``/readyz``: what a load balancer and a monitor ask, answered from the database itself.

``/healthz`` is the process: 200 while it can reach its database (``status`` "ok", or "degraded" with the
``problems`` of the background work), 503 with ``status`` "down" when it cannot. Its body says how the database
answered, how old the newest worker heartbeat is (core.worker) and how long the queue is and how long its oldest
task has waited.

``/readyz`` is stricter: 503 unless the database answers, every migration is applied, a worker's heartbeat is
within the lease and the oldest waiting task has waited less than ``READY_MAX_LAG_SECONDS``.

Both are public and say nothing about the data: counts and ages only.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .visibility import public

_migrated = False  # once every migration is applied, this process does not ask again


def _database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as e:
        try:
            connection.close()
        except DatabaseError:
            pass
        return {"ok": False, "error": type(e).__name__}
    return {"ok": True, "latency_ms": round((time.monotonic() - started) * 1000, 1)}


def _unapplied_migrations() -> int:
    global _migrated
    if _migrated:
        return 0
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    n = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrated = n == 0
    return n


def _workers(now) -> dict:
    from .models import WorkerBeat

    lease = settings.WORKER_LEASE_SECONDS
    beats = list(WorkerBeat.objects.values_list("beat_at", "task_id"))
    fresh = [b for b in beats if (now - b[0]).total_seconds() <= lease]
    newest = max((b[0] for b in beats), default=None)
    return {"alive": len(fresh), "busy": sum(1 for b in fresh if b[1]), "lease_s": lease,
            "heartbeat_age_s": round((now - newest).total_seconds(), 1) if newest else None}


def _queue(now) -> dict:
    from django_tasks_db.models import DBTaskResult

    ready = DBTaskResult.objects.ready()
    oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
    return {"ready": ready.count(), "running": DBTaskResult.objects.running().count(),
            "lag_s": round(max((now - oldest).total_seconds(), 0), 1) if oldest else 0,
            "failed_last_hour": DBTaskResult.objects.failed().filter(finished_at__gte=now - timedelta(hours=1))
            .count()}


def _background_problems(workers: dict, queue: dict) -> list[str]:
    problems = []
    if not workers["alive"]:
        problems.append("no_worker")
    if queue["lag_s"] > settings.READY_MAX_LAG_SECONDS:
        problems.append("queue_lag")
    return problems


def _report(*, ready: bool) -> JsonResponse:
    now = timezone.now()
    body: dict = {"time": now.isoformat(), "database": _database()}
    if not body["database"]["ok"]:
        return JsonResponse({"status": "down", "problems": ["database"], **body}, status=503)
    try:
        body["workers"], body["queue"] = _workers(now), _queue(now)
        problems = _background_problems(body["workers"], body["queue"])
        if ready:
            body["migrations"] = {"unapplied": _unapplied_migrations()}
            if body["migrations"]["unapplied"]:
                problems.insert(0, "migrations")
    except DatabaseError as e:  # the database went away between the questions
        return JsonResponse({"status": "down", "problems": ["database"], **body,
                             "database": {"ok": False, "error": type(e).__name__}}, status=503)
    body = {"status": "degraded" if problems else "ok", "problems": problems, **body}
    return JsonResponse(body, status=503 if ready and problems else 200)


@public
@never_cache
def healthz(request):
    return _report(ready=False)


@public
@never_cache
def readyz(request):
    return _report(ready=True)
