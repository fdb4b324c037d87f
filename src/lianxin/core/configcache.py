"""Per-process snapshots of configuration read by every report: categories, time limits, the calendar, areas'
ancestors. One query per snapshot and process instead of one per request.

Exact across processes: saving or deleting a watched model (``watch``) bumps the one ``ConfigStamp`` row in the
same transaction and drops this process's snapshots; other processes read the stamp at most once every
``CHECK_SECONDS`` and drop theirs when it moved. A snapshot remembers the stamp it was loaded under, so one
loaded inside a transaction that rolled back is dropped too. Writes that send no signals (``QuerySet.update``,
``bulk_create``) call ``changed()`` themselves.
"""

import threading
import time

from django.db import connection
from django.db.models.signals import post_delete, post_save

CHECK_SECONDS = 1.0

_lock = threading.Lock()
_snapshots: dict = {}  # name -> value
_state = {"stamp": None, "checked": 0.0}


def _read_stamp():
    from .models import ConfigStamp

    table = connection.ops.quote_name(ConfigStamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n FROM {table} WHERE id = 1")  # noqa: S608  (a fixed table name)
        row = cursor.fetchone()
    return row[0] if row else 0


def _fresh() -> None:
    now = time.monotonic()
    if now - _state["checked"] < CHECK_SECONDS and _state["stamp"] is not None:
        return
    stamp = _read_stamp()
    with _lock:
        if stamp != _state["stamp"]:
            _snapshots.clear()
            _state["stamp"] = stamp
        _state["checked"] = now


def get(name: str, load):
    """The snapshot ``name``, loaded with ``load()`` when missing or out of date. Its objects are shared: never
    change them (a memo dict that its user fills, as ``cases.services.common.ancestors`` does, is fine)."""
    _fresh()
    try:
        return _snapshots[name]
    except KeyError:
        value = load()
        with _lock:
            _snapshots[name] = value
        return value


def clear() -> None:
    """Forget every snapshot in this process (tests call this between tests: their rollbacks send no signal)."""
    with _lock:
        _snapshots.clear()
        _state["stamp"] = None


def changed(**_kwargs) -> None:
    """A watched model changed: every process reloads its snapshots (this one at once)."""
    from django.db.models import F

    from .models import ConfigStamp

    if not ConfigStamp.objects.filter(pk=1).update(n=F("n") + 1):
        ConfigStamp.objects.get_or_create(pk=1, defaults={"n": 1})  # a test database flushed it
    clear()


def watch(*models, receiver=changed) -> None:
    """Call ``receiver`` (by default ``changed``) whenever a row of ``models`` is saved or deleted."""
    tag = f"{receiver.__module__}.{receiver.__name__}"
    for model in models:
        post_save.connect(receiver, sender=model, dispatch_uid=f"{tag}-save-{model._meta.label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{tag}-delete-{model._meta.label}")
