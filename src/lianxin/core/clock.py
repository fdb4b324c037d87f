"""The time services read. Normally the real time; the demo generator replays a year of history by
setting it explicitly, through the same services the app uses."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_override: ContextVar[datetime | None] = ContextVar("lianxin_clock", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


def today() -> date:
    """The date in the city (settings.TIME_ZONE), not the server's: from 16:00 UTC China is a day ahead."""
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime):
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
