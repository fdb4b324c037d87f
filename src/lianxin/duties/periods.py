"""Periods of a plan on the Asia/Shanghai calendar, and the moments derived from them.

A period is a half-open range of local dates [start, end). Month, quarter and year are calendar ones;
every-N-days periods count from the plan's start date; a one-off plan has one period from its start
date to its due date (inclusive). The first period of a plan starting mid-month (mid-quarter, mid-year)
is clipped to begin on the start date.

Moments (stored on the obligation when it is generated, like a case's due_at/warn_at):
- due_at: local midnight at the period's end, i.e. the end of its last day;
- warn_at: due_at minus the warning window: ``warn_days`` (default 7) or, for short periods, a quarter of
  the period, whichever is shorter;
- grace_until: due_at plus ``grace_days``; a log dated inside the period and entered by then still counts.
"""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from lianxin.workdays.calendar import tz

WARN_FRACTION = 0.25


class Frequency:
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    EVERY_N_DAYS = "every_n_days"
    ONCE = "once"


def local_date(moment: datetime) -> date:
    return moment.astimezone(tz()).date()


def midnight(day: date) -> datetime:
    """Local (Asia/Shanghai) start of ``day`` as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=tz())


def _calendar_period(frequency: str, day: date) -> tuple[date, date]:
    if frequency == Frequency.MONTHLY:
        start = day.replace(day=1)
        end = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    elif frequency == Frequency.QUARTERLY:
        first_month = (day.month - 1) // 3 * 3 + 1
        start = date(day.year, first_month, 1)
        end = date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    elif frequency == Frequency.YEARLY:
        start, end = date(day.year, 1, 1), date(day.year + 1, 1, 1)
    else:
        raise ValueError(f"not a calendar frequency: {frequency!r}")
    return start, end


def period_containing(plan, day: date) -> tuple[date, date] | None:
    """The plan's period that contains ``day``, or None (before the start, or outside a one-off's window)."""
    if day < plan.start_date:
        return None
    if plan.frequency == Frequency.ONCE:
        end = plan.due_date + timedelta(days=1)
        return (plan.start_date, end) if day < end else None
    if plan.frequency == Frequency.EVERY_N_DAYS:
        n = plan.every_days
        k = (day - plan.start_date).days // n
        start = plan.start_date + timedelta(days=k * n)
        return start, start + timedelta(days=n)
    start, end = _calendar_period(plan.frequency, day)
    return max(start, plan.start_date), end


def periods(plan, first: date, until: date) -> Iterator[tuple[date, date]]:
    """The plan's periods from the one containing ``first`` (or its first) while they start on or before
    ``until`` and, if the plan has an end date, on or before that."""
    last = until if plan.end_date is None else min(until, plan.end_date)
    current = period_containing(plan, max(first, plan.start_date))
    while current is not None and current[0] <= last:
        yield current
        if plan.frequency == Frequency.ONCE:
            return
        current = period_containing(plan, current[1])


def moments(start: date, end: date, warn_days: int, grace_days: int) -> tuple[datetime, datetime, datetime]:
    """(warn_at, due_at, grace_until) of the period [start, end)."""
    due_at = midnight(end)
    length = due_at - midnight(start)
    window = min(timedelta(days=warn_days), length * WARN_FRACTION)
    return due_at - window, due_at, due_at + timedelta(days=grace_days)
