"""Notifications: an inbox row per recipient now, channel deliveries as background tasks after commit."""

from django.conf import settings
from django.db import transaction

from ..models import Delivery, Notification


def notify(recipients, *, kind: str, title: str, body: str = "", link: str = "", channels=("inapp",)) -> list:
    """Queue a message for each account; nothing is sent unless the surrounding transaction commits."""
    from .tasks import deliver

    for channel in channels:
        if channel not in settings.NOTIFY_CHANNELS:
            raise ValueError(f"unknown notification channel {channel!r}")
    users = {u.pk: u for u in recipients if u is not None}.values()
    # Two INSERTs whatever the number of recipients; each delivery's task is queued after commit.
    # robust: the work is committed by then; a failed enqueue is logged and the pending delivery is picked up by
    # retry_pending_deliveries. Callers queue their notify() after commit the same way, so that a committed move
    # never answers with an error because its notification could not be written.
    created = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, title=title[:200], body=body, link=link) for user in users])
    for delivery in Delivery.objects.bulk_create(
            [Delivery(notification=note, channel=channel) for note in created for channel in channels]):
        transaction.on_commit(lambda d=delivery.pk: deliver.enqueue(d), robust=True)
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
