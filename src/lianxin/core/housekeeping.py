"""Periodic clean-up of rows that only the machinery needs: finished background-task results.

Every report queues a task (its staff notification) and every delivery another, so django-tasks' result table
grows by a few rows per report. Successful results are kept two weeks, failed ones three months for diagnosis;
tasks still waiting or running are never touched."""

from datetime import time, timedelta

from django.db.models import Q
from django_tasks import task

from . import clock
from .scheduler import periodic

KEEP_SUCCESSFUL = timedelta(days=14)
KEEP_FAILED = timedelta(days=90)


@periodic(daily_at=time(3, 30))
@task()
def prune_task_results() -> int:
    from django_tasks_db.models import DBTaskResult

    now = clock.now()
    old = Q(status="SUCCESSFUL", finished_at__lt=now - KEEP_SUCCESSFUL) | Q(
        status="FAILED", finished_at__lt=now - KEEP_FAILED)
    return DBTaskResult.objects.finished().filter(old).delete()[0]
