"""Periodic tasks. The task interface has no scheduler, so ``lianxin worker`` runs this loop beside the
task worker. State lives in the database (PeriodicRun) and each run is claimed with a conditional
update, so any number of worker processes enqueue each periodic task exactly once per period.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

logger = logging.getLogger("lianxin.scheduler")


@dataclass
class Periodic:
    name: str
    task: object
    every: timedelta | None = None
    daily_at: time | None = None  # local time in settings.TIME_ZONE

    def next_after(self, now: datetime) -> datetime:
        if self.every is not None:
            return now + self.every
        tz = ZoneInfo(settings.TIME_ZONE)
        local = now.astimezone(tz)
        candidate = datetime.combine(local.date(), self.daily_at, tzinfo=tz)
        if candidate <= local:
            candidate = datetime.combine(local.date() + timedelta(days=1), self.daily_at, tzinfo=tz)
        return candidate


PERIODIC: dict[str, Periodic] = {}
# Periodic work (deadline alerts, reminders, retries) goes ahead of a backlog of per-message deliveries (priority 0)
# but after imports someone is watching (10).
PERIODIC_PRIORITY = 5


def periodic(*, every: timedelta | None = None, daily_at: time | None = None):
    """Register a django-tasks Task to be enqueued on a schedule: ``@periodic(every=...)`` above ``@task``."""
    if (every is None) == (daily_at is None):
        raise ValueError("give exactly one of every= or daily_at=")

    def decorator(task_obj):
        name = task_obj.module_path
        PERIODIC[name] = Periodic(name=name, task=task_obj, every=every, daily_at=daily_at)
        return task_obj

    return decorator


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task that is due; return the names enqueued."""
    from .models import PeriodicRun

    now = now or timezone.now()
    enqueued = []
    for name, job in PERIODIC.items():
        run, _created = PeriodicRun.objects.get_or_create(name=name, defaults={"next_run_at": now})
        if run.next_run_at > now:
            continue
        with transaction.atomic():
            claimed = PeriodicRun.objects.filter(pk=run.pk, next_run_at=run.next_run_at).update(
                next_run_at=job.next_after(now), last_run_at=now
            )
            if claimed:
                task_obj = job.task
                if task_obj.priority < PERIODIC_PRIORITY:
                    task_obj = task_obj.using(priority=PERIODIC_PRIORITY)
                result = task_obj.enqueue()
                PeriodicRun.objects.filter(pk=run.pk).update(last_enqueued_id=str(result.id))
                enqueued.append(name)
    return enqueued


class SchedulerThread(threading.Thread):
    def __init__(self, interval: float = 10.0):
        super().__init__(name="lianxin-scheduler", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                for name in run_due():
                    logger.info("enqueued periodic task %s", name)
            except Exception:
                logger.exception("scheduler pass failed; retrying next interval")
            finally:
                close_old_connections()
            self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()
