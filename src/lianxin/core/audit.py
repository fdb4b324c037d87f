"""Audit trail: django-auditlog records every create/update/delete of registered models.

Requests get their actor from auditlog's middleware; services take ``actor=`` and wrap their writes in
``actor_context`` so commands, tasks and the seeder are attributed the same way.
"""

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog


@contextmanager
def actor_context(actor):
    try:
        current = auditlog_value.get()
    except LookupError:
        current = None
    # Even for the actor already in the context: auditlog's set_actor leaves its value behind after it
    # exits with its signal receiver gone, so "same actor, skip" would record the next writes anonymously.
    if actor is None:
        yield
        return
    try:
        with set_actor(actor):
            yield
    finally:
        # auditlog's context does not nest: give the enclosing request its actor back.
        if current is not None:
            auditlog_value.set(current)


def register(model, *, exclude=(), personal=()):
    """Audit ``model``; ``personal`` fields are recorded masked, never in clear."""
    auditlog.register(
        model,
        exclude_fields=list(exclude),
        mask_fields=list(personal),
        mask_callable="lianxin.core.pii.mask_any",
    )
    return model


def record_access(obj, *, actor, what: str) -> LogEntry:
    """An audit entry for reading something sensitive (e.g. revealing a full ID number)."""
    return LogEntry.objects.log_create(
        obj, action=LogEntry.Action.ACCESS, changes={"revealed": [what, ""]}, actor=actor, force_log=True,
    )


def history(obj):
    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp", "-pk")
