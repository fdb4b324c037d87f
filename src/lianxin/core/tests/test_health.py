"""/healthz and /readyz tell the truth about the database, the workers and the queue (core.health)."""

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from lianxin.core import health
from lianxin.core.models import WorkerBeat
from lianxin.core.tests.test_worker import REPO

pytestmark = pytest.mark.django_db


@task()
def waiting() -> None:
    return None


def beat(ago: timedelta, task_id: str = "") -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id=f"w{ago.total_seconds()}", started_at=now - timedelta(hours=1),
                              beat_at=now - ago, task_id=task_id)


def get(client, path):
    response = client.get(path)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response.get("Cache-Control", "")
    return response.status_code, json.loads(response.content)


def test_all_well(client, settings):
    beat(timedelta(seconds=3), task_id="t1")
    beat(timedelta(minutes=30))  # a worker that stopped long ago
    waiting.enqueue()
    status, body = get(client, "/healthz")
    assert status == 200 and body["status"] == "ok" and body["problems"] == []
    assert body["database"]["ok"] is True and body["database"]["latency_ms"] >= 0
    assert body["workers"]["alive"] == 1 and body["workers"]["busy"] == 1
    assert 2 <= body["workers"]["heartbeat_age_s"] < 10
    assert body["queue"]["ready"] == 1 and body["queue"]["running"] == 0 and body["queue"]["lag_s"] < 10
    status, body = get(client, "/readyz")
    assert status == 200 and body["status"] == "ok" and body["migrations"] == {"unapplied": 0}


def test_no_worker_and_a_lagging_queue(client, settings):
    settings.READY_MAX_LAG_SECONDS = 60
    beat(timedelta(seconds=settings.WORKER_LEASE_SECONDS + 5))
    result = waiting.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=5))
    status, body = get(client, "/healthz")
    assert status == 200 and body["status"] == "degraded" and body["problems"] == ["no_worker", "queue_lag"]
    assert body["workers"]["alive"] == 0 and body["workers"]["heartbeat_age_s"] > settings.WORKER_LEASE_SECONDS
    assert 290 < body["queue"]["lag_s"] < 320
    status, body = get(client, "/readyz")
    assert status == 503 and body["problems"] == ["no_worker", "queue_lag"]


def test_unapplied_migrations_make_it_not_ready(client, monkeypatch):
    beat(timedelta(seconds=1))
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr("django.db.migrations.executor.MigrationExecutor.migration_plan", lambda self, targets: [1, 2])
    status, body = get(client, "/readyz")
    assert status == 503 and body["problems"] == ["migrations"] and body["migrations"] == {"unapplied": 2}


def test_with_the_database_down_both_answer_503_in_json():
    """A real process whose database does not answer (nothing listens on its port)."""
    code = ("import django, json; django.setup(); from django.test import Client; c = Client(); "
            "answers = (c.get('/healthz'), c.get('/readyz')); "
            "print(json.dumps([[r.status_code, json.loads(r.content)] for r in answers]))")
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/lianxin", "DJANGO_SETTINGS_MODULE":
           "lianxin.settings", "PYTHONPATH": str(REPO / "src"), "LIANXIN_DB_CONNECT_TIMEOUT": "2"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,  # noqa: S603
                         timeout=60)
    assert out.returncode == 0, out.stderr
    for status, body in json.loads(out.stdout.strip().splitlines()[-1]):
        assert status == 503
        assert body["status"] == "down" and body["problems"] == ["database"]
        assert body["database"] == {"ok": False, "error": "OperationalError"}


def test_kept_connections_are_checked_before_reuse(settings):
    """After a database restart a kept connection is dead: Django checks it at the start of a request and
    reconnects (CONN_HEALTH_CHECKS) instead of failing the request."""
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_json_logs_are_one_object_a_line_and_redacted():
    """LIANXIN_LOG_JSON=true in a real process: a log line with a phone number and an exception."""
    code = ("import django, logging; django.setup(); log = logging.getLogger('lianxin.test')\n"
            "log.warning('SMS to %s failed', '13912345678')\n"
            "try:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('boom')\n")
    env = {**os.environ, "LIANXIN_LOG_JSON": "true", "DJANGO_SETTINGS_MODULE": "lianxin.settings",
           "PYTHONPATH": str(REPO / "src")}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True,  # noqa: S603
                         timeout=60)
    lines = [json.loads(line) for line in out.stderr.splitlines() if line.startswith("{")]
    assert [(e["level"], e["logger"]) for e in lines] == [("WARNING", "lianxin.test"), ("ERROR", "lianxin.test")]
    assert "13912345678" not in out.stderr and "SMS to" in lines[0]["message"]
    assert "ZeroDivisionError" in lines[1]["exception"]
