"""An obligation's status, derived from its stored moments and now: in SQL for lists and in Python.

In order: cancelled (plan ended) → fulfilled → paused (plan paused, not counted as missed) → missed (past
the grace window, now > grace_until) → red (overdue: the period has ended, now >= due_at) → yellow (due
soon: now >= warn_at) → blue (open). At exactly grace_until a log may still be entered in time, so the
obligation is red, not yet missed.
"""

from datetime import datetime

from django.db.models import Case, CharField, Q, Value, When


class Status:
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"
    MISSED = "missed"
    FULFILLED = "fulfilled"
    PAUSED = "paused"
    CANCELLED = "cancelled"

    OPEN = (BLUE, YELLOW, RED)
    OVERDUE = (RED, MISSED)


def status_expression(now: datetime):
    return Case(
        When(cancelled_at__isnull=False, then=Value(Status.CANCELLED)),
        When(fulfilled_by__isnull=False, then=Value(Status.FULFILLED)),
        When(paused=True, then=Value(Status.PAUSED)),
        When(Q(grace_until__lt=now), then=Value(Status.MISSED)),
        When(Q(due_at__lte=now), then=Value(Status.RED)),
        When(Q(warn_at__lte=now), then=Value(Status.YELLOW)),
        default=Value(Status.BLUE),
        output_field=CharField(),
    )


def status_of(obligation, now: datetime) -> str:
    if obligation.cancelled_at is not None:
        return Status.CANCELLED
    if obligation.fulfilled_by_id is not None:
        return Status.FULFILLED
    if obligation.paused:
        return Status.PAUSED
    if now > obligation.grace_until:
        return Status.MISSED
    if now >= obligation.due_at:
        return Status.RED
    if now >= obligation.warn_at:
        return Status.YELLOW
    return Status.BLUE


def with_status(queryset, now: datetime):
    return queryset.annotate(status=status_expression(now))
