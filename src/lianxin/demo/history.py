"""The seed's messages are history: delivered back then, not sent when the demo's worker first starts.

Replaying a year through the services writes inbox rows with channel deliveries (SMS among them) and queues a
task per delivery and per new case; the worker would send all of them at its first start (some 1,500 SMS in its
log around the resident's login code). After the seed, ``settle_messages`` runs the other tasks the seed queued
(the new-case notices write inbox rows, as the worker would), marks every delivery the seed made as sent and
drops their queued deliver tasks. A deliver task left over would find its delivery sent and do nothing (the task
claims pending deliveries only). Whatever happens after the seed is delivered as usual.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lianxin.core.models import Delivery, DeliveryStatus
from lianxin.core.notify.tasks import deliver

ROUNDS = 3  # a task the seed queued may queue another; deliveries are the end of every chain


def settle_messages(*, since: datetime, after_delivery: int = 0) -> int:
    """Run the tasks queued since ``since`` other than deliveries, then mark the deliveries past the id
    ``after_delivery`` that are still pending as sent and drop their queued tasks. Returns how many were marked."""
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY, enqueued_at__gte=since)
    for _round in range(ROUNDS):
        rows = list(queued.exclude(task_path=deliver.module_path).order_by("enqueued_at", "pk"))
        if not rows:
            break
        for row in rows:
            # Its own transaction: the deliveries it makes queue their tasks on commit, before the drop below.
            with transaction.atomic():
                row.task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
                row.delete()
    with transaction.atomic():
        marked = Delivery.objects.filter(pk__gt=after_delivery, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now())
        queued.filter(task_path=deliver.module_path).delete()
    return marked
