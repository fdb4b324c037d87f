"""The periodic-task scheduler and the ``lianxin worker`` process."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from lianxin import testclock
from lianxin.core import scheduler
from lianxin.core.models import PeriodicRun
from lianxin.core.scheduler import Periodic, periodic, run_due

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPO = Path(__file__).resolve().parents[4]
TASKS = DBTaskResult._meta.db_table


@task()
def tick() -> str:
    return "tick"


@task()
def tock() -> str:
    return "tock"


@pytest.fixture
def only_test_jobs(monkeypatch):
    """A schedule holding just the jobs a test registers (the real registry is left as it was)."""
    jobs: dict[str, Periodic] = {}
    monkeypatch.setattr(scheduler, "PERIODIC", jobs)
    return jobs


def queued(task_obj) -> int:
    return DBTaskResult.objects.filter(task_path=task_obj.module_path).count()


# --- the schedule -------------------------------------------------------------------------------

def test_the_retry_task_is_registered():
    from lianxin.core.notify.tasks import retry_pending_deliveries

    job = scheduler.PERIODIC[retry_pending_deliveries.module_path]
    assert job.every == timedelta(minutes=5)
    assert job.task is retry_pending_deliveries


def test_periodic_needs_exactly_one_schedule():
    with pytest.raises(ValueError):
        periodic()
    with pytest.raises(ValueError):
        periodic(every=timedelta(minutes=1), daily_at=dtime(2, 0))


def test_periodic_decorator_registers(only_test_jobs):
    assert periodic(daily_at=dtime(3, 30))(tock) is tock
    assert only_test_jobs[tock.module_path].daily_at == dtime(3, 30)


@pytest.mark.django_db
def test_run_due_enqueues_once_per_period(only_test_jobs):
    only_test_jobs[tick.module_path] = Periodic(name=tick.module_path, task=tick, every=timedelta(minutes=10))
    start = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert run_due() == [tick.module_path]  # first pass: due at once
        assert queued(tick) == 1
        run = PeriodicRun.objects.get(name=tick.module_path)
        assert run.next_run_at == start + timedelta(minutes=10)
        assert run.last_run_at == start
        assert run.last_enqueued_id == str(DBTaskResult.objects.get().id)
        assert DBTaskResult.objects.get().priority == scheduler.PERIODIC_PRIORITY  # ahead of queued deliveries

        assert run_due() == []  # same instant
        clock.shift(timedelta(minutes=9, seconds=59))
        assert run_due() == []
        assert queued(tick) == 1

        clock.shift(timedelta(seconds=1))
        assert run_due() == [tick.module_path]
        assert queued(tick) == 2

        # a worker that was down for an hour catches up with one run, not six
        clock.shift(timedelta(hours=1))
        assert run_due() == [tick.module_path]
        assert run_due() == []
        assert queued(tick) == 3
        assert PeriodicRun.objects.get().next_run_at == start + timedelta(minutes=80)


@pytest.mark.django_db
def test_two_passes_at_the_same_time_enqueue_once(only_test_jobs):
    only_test_jobs[tick.module_path] = Periodic(name=tick.module_path, task=tick, every=timedelta(minutes=5))
    only_test_jobs[tock.module_path] = Periodic(name=tock.module_path, task=tock, every=timedelta(hours=1))
    now = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    first = run_due(now)
    second = run_due(now)
    assert sorted(first) == sorted([tick.module_path, tock.module_path])
    assert second == []
    assert queued(tick) == 1 and queued(tock) == 1


@pytest.mark.django_db
def test_concurrent_passes_claim_once(only_test_jobs, monkeypatch):
    """Two workers read the same due row; only the one whose conditional update lands enqueues."""
    only_test_jobs[tick.module_path] = Periodic(name=tick.module_path, task=tick, every=timedelta(minutes=5))
    now = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
    PeriodicRun.objects.create(name=tick.module_path, next_run_at=now - timedelta(minutes=1))
    original = PeriodicRun.objects.get_or_create
    other_worker = []

    def get_or_create_then_lose_the_race(**kwargs):
        row = original(**kwargs)  # this worker has read the due row...
        if not other_worker:
            other_worker.append(None)
            other_worker[0] = run_due(now)  # ...and another worker claims it meanwhile
        return row

    monkeypatch.setattr(PeriodicRun.objects, "get_or_create", get_or_create_then_lose_the_race)
    assert run_due(now) == []
    assert other_worker == [[tick.module_path]]
    assert queued(tick) == 1


def test_daily_at_is_in_asia_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    job = Periodic(name="x", task=None, daily_at=dtime(2, 0))
    # 01:00 in Shanghai (17:00 UTC the day before): today 02:00 local
    now = datetime(2025, 3, 1, 1, 0, tzinfo=SHANGHAI)
    nxt = job.next_after(now)
    assert nxt == datetime(2025, 3, 1, 2, 0, tzinfo=SHANGHAI)
    assert nxt.astimezone(UTC) == datetime(2025, 2, 28, 18, 0, tzinfo=UTC)
    # exactly 02:00: tomorrow
    assert job.next_after(datetime(2025, 3, 1, 2, 0, tzinfo=SHANGHAI)) == datetime(2025, 3, 2, 2, 0, tzinfo=SHANGHAI)
    # 17:30 UTC is already 01:30 the next day in Shanghai
    assert job.next_after(datetime(2025, 3, 1, 17, 30, tzinfo=UTC)) == datetime(2025, 3, 2, 2, 0, tzinfo=SHANGHAI)
    # 19:00 UTC is 03:00 in Shanghai: the next 02:00 is the day after
    assert job.next_after(datetime(2025, 3, 1, 19, 0, tzinfo=UTC)) == datetime(2025, 3, 3, 2, 0, tzinfo=SHANGHAI)
    # across a month and year end
    assert job.next_after(datetime(2025, 12, 31, 23, 0, tzinfo=SHANGHAI)) == datetime(2026, 1, 1, 2, 0,
                                                                                        tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_daily_task_runs_once_a_day(only_test_jobs):
    only_test_jobs[tock.module_path] = Periodic(name=tock.module_path, task=tock, daily_at=dtime(2, 0))
    with time_machine.travel(datetime(2025, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False) as clock:
        assert run_due() == [tock.module_path]  # never run before: at once
        assert PeriodicRun.objects.get().next_run_at == datetime(2025, 6, 2, 2, 0, tzinfo=SHANGHAI)
        clock.move_to(datetime(2025, 6, 2, 1, 59, tzinfo=SHANGHAI))
        assert run_due() == []
        clock.move_to(datetime(2025, 6, 2, 2, 0, 5, tzinfo=SHANGHAI))
        assert run_due() == [tock.module_path]
        assert run_due() == []
        assert PeriodicRun.objects.get().next_run_at == datetime(2025, 6, 3, 2, 0, tzinfo=SHANGHAI)
    assert queued(tock) == 2


def test_scheduler_thread_runs_passes_until_stopped(monkeypatch):
    """The thread itself, in-process (the real process test is below)."""
    calls = []

    def recording_run_due():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database briefly unavailable")  # a failed pass must not kill the thread
        return []

    monkeypatch.setattr(scheduler, "run_due", recording_run_due)
    thread = scheduler.SchedulerThread(interval=0.05)
    thread.start()
    deadline = time.monotonic() + 5
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    thread.stop()
    thread.join(timeout=5)
    assert len(calls) >= 3
    assert not thread.is_alive()


# --- the real process ---------------------------------------------------------------------------

def make_stale_delivery() -> int:
    """A pending in-app delivery whose task was lost 10 minutes ago (the retry task must pick it up)."""
    from django.utils import timezone

    from lianxin.accounts.models import User
    from lianxin.core.models import Delivery, Notification

    user = User.objects.create(username="worker-test")
    note = Notification.objects.create(recipient=user, kind="test", title="lost")
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    return Delivery.objects.create(notification=note, channel="inapp").pk


SQLITE_SETUP = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('migrate', verbosity=0); "
    "from lianxin.core.tests.test_worker import make_stale_delivery; make_stale_delivery()"
)


def _env(database_url: str, var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "LIANXIN_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "lianxin.settings",
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")]),
        "PYTHONUNBUFFERED": "1",
    })
    return testclock.child_env(env)


class Reader:
    """Plain SQL against the worker's database, whichever it is."""

    def __init__(self, sqlite_path: Path | None):
        self.sqlite_path = sqlite_path

    def rows(self, sql: str) -> list[tuple]:
        if self.sqlite_path:
            with sqlite3.connect(self.sqlite_path) as db:
                return db.execute(sql).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_worker_process_runs_periodic_tasks_and_stops_on_sigterm(tmp_path):
    from lianxin.core.notify.tasks import deliver, retry_pending_deliveries

    var_dir = tmp_path / "var"
    var_dir.mkdir()
    if connection.vendor == "sqlite":
        db_path = var_dir / "worker.sqlite3"
        env = _env(f"sqlite:///{db_path}", var_dir)
        subprocess.run([sys.executable, "-c", SQLITE_SETUP], env=env, cwd=REPO, check=True, timeout=60)  # noqa: S603
        reader = Reader(db_path)
    else:
        assert connection.vendor == "postgresql"
        s = connection.settings_dict
        assert s["NAME"].startswith("test_")
        url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        env = _env(url, var_dir)
        if s.get("PASSWORD"):
            env["PGPASSWORD"] = s["PASSWORD"]
        make_stale_delivery()
        reader = Reader(None)
    assert reader.rows("SELECT COUNT(*) FROM core_periodicrun") == [(0,)]

    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "lianxin.cli", "worker", "--interval", "0.2", "--schedule-interval", "0.2"],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        retry_path = retry_pending_deliveries.module_path
        deadline = time.monotonic() + 60  # a loaded 2-core machine starts Django slowly
        done = False
        while time.monotonic() < deadline and proc.poll() is None:
            runs = reader.rows(f"SELECT name, last_enqueued_id FROM core_periodicrun WHERE name = '{retry_path}'")  # noqa: S608
            statuses = dict(reader.rows(f"SELECT task_path, status FROM {TASKS}"))  # noqa: S608
            delivery = reader.rows("SELECT status, attempts FROM core_delivery")
            # the task rows are read before the delivery row: the worker may run the delivery in between,
            # so wait for both rows to say it is done
            if (runs and statuses.get(retry_path) == statuses.get(deliver.module_path) == "SUCCESSFUL"
                    and delivery == [("sent", 1)]):
                done = True
                break
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()
        assert done, (runs, statuses, delivery)
        # the scheduler enqueued the retry task by itself; the worker ran it; it re-enqueued the lost
        # delivery, and the worker sent that too
        (result,) = reader.rows(
            f"SELECT id, status FROM {TASKS} WHERE task_path = '{retry_path}'"  # noqa: S608
        )
        assert str(result[0]).replace("-", "") == runs[0][1].replace("-", "")
        # the worker lives on the test's clock (testclock.child_env), not the real date
        (enqueued,) = reader.rows(f"SELECT enqueued_at FROM {TASKS} WHERE task_path = '{retry_path}'")[0]  # noqa: S608
        enqueued = enqueued if isinstance(enqueued, datetime) else datetime.fromisoformat(enqueued)
        assert abs(enqueued.replace(tzinfo=enqueued.tzinfo or UTC) - timezone.now()) < timedelta(minutes=2)
        # not due again for 5 minutes: a few more scheduler passes enqueue nothing more
        time.sleep(0.6)
        assert reader.rows(
            f"SELECT COUNT(*) FROM {TASKS} WHERE task_path = '{retry_path}'"  # noqa: S608
        ) == [(1,)]
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail(f"worker did not stop within 10 s of SIGTERM\n{out}\n{err}")
    assert proc.returncode == 0, (out, err)
    assert "lianxin worker: running tasks and the scheduler" in out
    assert "stopping" in out
    assert "lianxin worker: stopped" in out, (out, err)
