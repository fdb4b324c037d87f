"""Finished task results are pruned after their keeping time; waiting, running and recent ones stay."""

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from lianxin.cases.tasks import tell_new_case
from lianxin.core import clock
from lianxin.core.housekeeping import prune_task_results
from lianxin.core.scheduler import PERIODIC

pytestmark = pytest.mark.django_db


def queued(status, age_days):
    result = tell_new_case.enqueue(0)
    finished = clock.now() - timedelta(days=age_days) if status in ("SUCCESSFUL", "FAILED") else None
    DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=finished)
    return result.id


def test_old_finished_results_go_and_the_rest_stay():
    gone = [queued("SUCCESSFUL", 15), queued("FAILED", 91)]
    kept = [queued("SUCCESSFUL", 13), queued("FAILED", 30), queued("READY", 0), queued("RUNNING", 0)]
    assert prune_task_results.call() == 2
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == set(kept)
    assert not DBTaskResult.objects.filter(pk__in=gone).exists()
    assert prune_task_results.module_path in PERIODIC
