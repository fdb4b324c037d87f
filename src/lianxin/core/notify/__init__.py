"""Notifications: an inbox row per recipient now, channel deliveries as background tasks after commit."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from ..models import Delivery, Notification


class Message:
    """A notification text written in each recipient's language: a lazy msgid (gettext_lazy, or ngettext_lazy
    with a named number) and its parameters, which may themselves be lazy labels."""

    def __init__(self, text, **params):
        self.text, self.params = text, params

    def render(self, language: str) -> str:
        with translation.override(language):
            if not self.params:
                return str(self.text)
            return str(self.text % {k: str(v) if isinstance(v, Promise) else v for k, v in self.params.items()})


def language_of(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _text(value, language: str) -> str:
    if isinstance(value, Message):
        return value.render(language)
    if isinstance(value, Promise):
        with translation.override(language):
            return str(value)
    return value


def notify(recipients, *, kind: str, title, body="", link: str = "", channels=("inapp",), cause: str = "") -> list:
    """Queue a message for each account; nothing is sent unless the surrounding transaction commits.

    ``title`` and ``body`` are a Message or a lazy string to be written in each recipient's language (plain text is
    stored as it is). ``cause`` (e.g. ``"case.new:12"``) makes it once per cause and recipient: a background task
    run again after its worker died skips the accounts that have the message already (and a unique constraint
    holds it)."""
    from .tasks import deliver

    for channel in channels:
        if channel not in settings.NOTIFY_CHANNELS:
            raise ValueError(f"unknown notification channel {channel!r}")
    users = {u.pk: u for u in recipients if u is not None}
    if cause and users:
        for pk in Notification.objects.filter(cause=cause, recipient__in=list(users)).values_list("recipient_id",
                                                                                                  flat=True):
            users.pop(pk, None)
    users = users.values()
    # Two INSERTs whatever the number of recipients; each delivery's task is queued after commit.
    # robust: the work is committed by then; a failed enqueue is logged and the pending delivery is picked up by
    # retry_pending_deliveries. Callers queue their notify() after commit the same way, so that a committed move
    # never answers with an error because its notification could not be written.
    created = Notification.objects.bulk_create(
        [Notification(recipient=user, kind=kind, title=_text(title, language_of(user))[:200],
                      body=_text(body, language_of(user)), link=link, cause=cause[:80]) for user in users])
    for delivery in Delivery.objects.bulk_create(
            [Delivery(notification=note, channel=channel) for note in created for channel in channels]):
        transaction.on_commit(lambda d=delivery.pk: deliver.enqueue(d), robust=True)
    return created


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
