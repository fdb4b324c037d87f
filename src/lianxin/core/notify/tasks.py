from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from ..logredact import redact
from ..models import Delivery, DeliveryStatus
from ..scheduler import periodic
from .channels import Undeliverable

MAX_ATTEMPTS = 5


def channel(name: str):
    return import_string(settings.NOTIFY_CHANNELS[name])()


@task()
def deliver(delivery_id: int) -> str:
    # Claim with a conditional update before sending, so two workers never send the same message twice:
    # the row is marked sent first and put back to pending if the channel fails. (A process killed
    # inside the gateway call leaves it marked sent: at most once, never twice.)
    delivery = (
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, attempts__lt=MAX_ATTEMPTS)
        .select_related("notification__recipient__person").first()
    )
    if delivery is None:
        return "skipped"
    attempts = delivery.attempts + 1
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), attempts=attempts, error="")
    if not claimed:
        return "skipped"
    try:
        channel(delivery.channel).send(delivery.notification)
    except Undeliverable as e:  # retrying cannot help (no number): failed at once, not five times
        Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, sent_at=None,
                                                       error=redact(str(e))[:300])
        return "undeliverable"
    except Exception as e:  # a gateway error must not lose the message: keep it pending for a retry
        status = DeliveryStatus.FAILED if attempts >= MAX_ATTEMPTS else DeliveryStatus.PENDING
        Delivery.objects.filter(pk=delivery.pk).update(status=status, sent_at=None, error=redact(str(e))[:300])
        return "failed"
    return "sent"


@periodic(every=timedelta(minutes=5))
@task()
def retry_pending_deliveries() -> int:
    """Periodic: re-enqueue deliveries left pending (a failed gateway call, a lost task)."""
    stale = timezone.now() - timedelta(minutes=2)
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, notification__created_at__lt=stale)
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        deliver.enqueue(pk)
    return len(ids)
