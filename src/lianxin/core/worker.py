"""The task worker behind ``lianxin worker``: django_tasks_db's database worker with a lease and a backoff.

django_tasks_db marks a task RUNNING when a worker claims it and nothing ever puts it back: a worker killed in the
middle (``kill -9``, the machine rebooted, out of memory) left it RUNNING for good, and its effect (a notification,
an import) never happened. And any database error while claiming or saving a result ended the process.

Here every worker writes a heartbeat (``WorkerBeat``) every ``WORKER_LEASE_SECONDS / 4`` from a thread, so it beats
while a long task runs. At start and with every beat a worker looks for tasks RUNNING under a worker whose beat is
older than the lease (or gone) and puts them back in the queue: at-least-once. A task lost ``MAX_ATTEMPTS`` times is
failed instead (a task that kills its worker must not kill every worker in turn). The handlers are written to be run
again (a notification once per cause and recipient, an import all or nothing with its outcome in the same
transaction, deliveries claimed by a conditional update), so at-least-once has the effect of exactly once.

Database errors while claiming, beating or saving a result are logged and retried with an exponential backoff
(0.5 s doubling to 30 s) until the database is back; a task that failed on a connection error (the database went
away under it) is put back in the queue rather than failed.
"""

import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .models import WorkerBeat

logger = logging.getLogger("lianxin.worker")

MAX_ATTEMPTS = 3  # claims of one task; after that many lost runs it is failed
LOST = "lianxin.core.worker.WorkerLost"


def lease() -> timedelta:
    return timedelta(seconds=settings.WORKER_LEASE_SECONDS)


class Backoff:
    """Delays for retrying while the database is away: 0.5 s, 1 s, 2 s ... at most 30 s."""

    def __init__(self, first: float = 0.5, cap: float = 30.0):
        self.first, self.cap, self.delay, self.failures, self.since = first, cap, first, 0, None

    def failed(self) -> float:
        if self.since is None:
            self.since = time.monotonic()
        self.failures += 1
        delay, self.delay = self.delay, min(self.delay * 2, self.cap)
        return delay

    def recovered(self) -> float | None:
        """Seconds the outage lasted, or None if there was none."""
        if self.since is None:
            return None
        lasted = time.monotonic() - self.since
        self.delay, self.failures, self.since = self.first, 0, None
        return lasted


def close_connections() -> None:
    """Drop this thread's database connections (after an error they may be broken); never raises."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except Exception:  # noqa: S110 - a broken connection may fail to close; it is dropped either way
            pass


def _give_back(row: DBTaskResult, now: datetime, why: str, **match) -> bool:
    """Put a RUNNING task back in the queue, or fail it once it has been claimed MAX_ATTEMPTS times."""
    attempts = len(row.worker_ids or [])
    rows = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, **match)
    if attempts >= MAX_ATTEMPTS:
        done = rows.update(status=TaskResultStatus.FAILED, finished_at=now, return_value=None,
                           exception_class_path=LOST,
                           traceback=f"{why} ({attempts} attempts, the last by {row.worker_ids[-1]}); not run again\n")
        if done:
            logger.error("task %s (%s): %s; failed after %d attempts", row.pk, row.task_path, why, attempts)
        return bool(done)
    done = rows.update(status=TaskResultStatus.READY, started_at=None)
    if done:
        logger.warning("task %s (%s): %s; queued again (attempt %d of %d next)", row.pk, row.task_path, why,
                       attempts + 1, MAX_ATTEMPTS)
    return bool(done)


def requeue_abandoned(now: datetime | None = None) -> int:
    """Tasks RUNNING under a worker whose heartbeat is older than the lease (or gone): back in the queue."""
    now = now or timezone.now()
    alive = set(WorkerBeat.objects.filter(beat_at__gte=now - lease()).values_list("worker_id", flat=True))
    n = 0
    for row in DBTaskResult.objects.running().only("id", "task_path", "worker_ids", "started_at").order_by():
        owner = row.worker_ids[-1] if row.worker_ids else ""
        if owner in alive:
            continue
        n += _give_back(row, now, f"its worker {owner or '?'} stopped while running it", started_at=row.started_at)
    # Beats of workers gone for a day are only noise on /healthz.
    WorkerBeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()
    return n


class Heartbeat(threading.Thread):
    def __init__(self, worker: "LeaseWorker", every: float):
        super().__init__(name="lianxin-heartbeat", daemon=True)
        self.worker, self.every, self.stopping = worker, every, threading.Event()

    def run(self) -> None:
        backoff = Backoff()
        while not self.stopping.wait(self.every):
            try:
                self.worker.beat()
                requeue_abandoned()
            except DatabaseError as e:
                backoff.failed()
                logger.warning("heartbeat: database unavailable (%s); trying again in %.0f s", e, self.every)
                close_connections()
            else:
                backoff.recovered()
        close_connections()

    def stop(self) -> None:
        self.stopping.set()


class LeaseWorker(Worker):
    """django_tasks_db's Worker with a heartbeat lease, requeueing of lost tasks and retries through outages."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hostname, self.pid = socket.gethostname()[:200], os.getpid()
        self.started_at = timezone.now()
        self.current_task = ""
        self.heartbeat: Heartbeat | None = None
        self.backoff = Backoff()

    # --- heartbeat ------------------------------------------------------------------------------

    def beat(self) -> None:
        now = timezone.now()
        fields = {"beat_at": now, "task_id": self.current_task, "tasks_done": self._run_tasks,
                  "hostname": self.hostname, "pid": self.pid}
        if not WorkerBeat.objects.filter(worker_id=self.worker_id).update(**fields):
            WorkerBeat.objects.create(worker_id=self.worker_id, started_at=self.started_at, **fields)

    def _start(self) -> None:
        self.beat()
        n = requeue_abandoned()
        if n:
            logger.warning("%d task(s) left running by stopped workers queued again", n)

    # --- database outages -----------------------------------------------------------------------

    def database_down(self, error: Exception, doing: str) -> None:
        delay = self.backoff.failed()
        logger.warning("worker %s: database unavailable while %s (%s: %s); retrying in %.1f s", self.worker_id,
                       doing, type(error).__name__, str(error).strip().splitlines()[0] if str(error) else "",
                       delay)
        close_connections()
        time.sleep(delay)

    def database_up(self) -> None:
        lasted = self.backoff.recovered()
        if lasted is not None:
            logger.warning("worker %s: database back after %.1f s", self.worker_id, lasted)

    def until_database(self, fn, doing: str, *, while_running: bool = False):
        """Call ``fn`` until it gets through to the database (or, with ``while_running``, until the worker is
        asked to stop: then None)."""
        while True:
            try:
                result = fn()
            except DatabaseError as e:
                if while_running and not self.running:
                    logger.error("worker %s: stopping with the database still unavailable while %s", self.worker_id,
                                 doing)
                    return None
                self.database_down(e, doing)
            else:
                self.database_up()
                return result

    # --- the loop -------------------------------------------------------------------------------

    def claim_next(self) -> tuple[DBTaskResult | None, bool]:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)  # RUNNING: no other worker takes it
        except OperationalError as e:
            if is_locked_database_exception(e):  # SQLite busy: try again on the next pass
                return None, False
            raise
        return task_result, True

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s lease=%ss", self.worker_id, ",".join(self.queue_names),
                    settings.WORKER_LEASE_SECONDS)
        self.until_database(self._start, "starting")
        if not self.batch:
            self.heartbeat = Heartbeat(self, every=max(settings.WORKER_LEASE_SECONDS / 4, 0.2))
            self.heartbeat.start()
        try:
            while self.running:
                try:
                    close_old_connections()
                    if self.batch:
                        self.beat()
                    task_result, retrieved = self.claim_next()
                except DatabaseError as e:
                    self.database_down(e, "claiming a task")
                    continue
                self.database_up()
                if task_result is not None:
                    self.run_task(task_result)
                if self.batch and retrieved and task_result is None:
                    logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                try:
                    close_old_connections()
                except DatabaseError:
                    close_connections()
                if self.running and not task_result:
                    time.sleep(self.interval)
        finally:
            if self.heartbeat is not None:
                self.heartbeat.stop()
                self.heartbeat.join(timeout=5)
            try:  # a clean stop: the beat goes at once (a killed worker's beat just grows old)
                WorkerBeat.objects.filter(worker_id=self.worker_id).delete()
            except DatabaseError:
                close_connections()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        self.current_task = str(db_task_result.id)
        try:
            outcome = self._call(db_task_result)
            self._save(db_task_result, *outcome)
        finally:
            self.running_task = False
            self.current_task = ""
            self._run_tasks += 1

    def _call(self, db_task_result: DBTaskResult) -> tuple[str, object]:
        try:
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend = task.get_backend()
            task_started.send(sender=backend, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            return "ok", value
        except (SystemExit, KeyboardInterrupt):
            # Stopped by force in the middle: the next worker runs it again (its handler is safe to repeat).
            try:
                _give_back(db_task_result, timezone.now(), "the worker was stopped while running it")
            except DatabaseError:
                pass  # the lease puts it back
            raise
        except (OperationalError, InterfaceError) as e:
            # The database went away under the task: nothing of it was committed past its last transaction, and
            # its handler is safe to run again.
            close_connections()
            return "requeue", e
        except Exception as e:
            return "failed", e

    def _save(self, db_task_result: DBTaskResult, kind: str, value) -> None:
        doing = f"saving the result of task {db_task_result.id}"
        while True:
            try:
                if kind == "ok":
                    db_task_result.set_successful(value)
                elif kind == "failed":
                    db_task_result.set_failed(value)
                else:
                    _give_back(db_task_result, timezone.now(), f"the database failed under it ({value})")
                    return
            except DatabaseError as e:
                if not self.running:
                    logger.error("worker %s: stopping before the result of task %s could be saved; it stays RUNNING "
                                 "and runs again after the lease", self.worker_id, db_task_result.id)
                    return
                self.database_down(e, doing)
                continue
            except Exception as e:  # e.g. a return value that is not JSON: record that as the failure
                if kind == "failed":
                    logger.exception("task %s: its failure could not be recorded", db_task_result.id)
                    return
                kind, value = "failed", e
                continue
            self.database_up()
            break
        try:
            task_finished.send(sender=db_task_result.task.get_backend(), task_result=db_task_result.task_result)
        except Exception:
            logger.exception("task %s: a task_finished receiver failed", db_task_result.id)
