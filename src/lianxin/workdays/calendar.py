"""Working time on the Asia/Shanghai calendar (DOMAIN.md): 08:30–12:00 and 13:30–17:30, Monday to
Friday, with public holidays and make-up working days taken from CalendarDay rows.

Limits in working days count 7.5 working hours per day, so "1 working day" from 16:00 ends at 16:00
on the next working day; limits in natural time are plain durations.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

WORK_PERIODS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
MINUTES_PER_WORKDAY = sum(
    (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds // 60 for start, end in WORK_PERIODS
)
MAX_DAYS = 3660  # a limit never runs ten years; stops a misconfigured calendar from looping forever


def tz():
    return ZoneInfo(settings.TIME_ZONE)


@dataclass
class Calendar:
    """Exceptions loaded once for a computation: {date: is_workday}."""

    exceptions: dict

    @classmethod
    def load(cls) -> "Calendar":
        """All the calendar's exceptions (a few dozen rows a year): a per-process snapshot (core.configcache)."""
        from lianxin.core import configcache

        return cls(configcache.get("calendar", _load_exceptions))

    def is_workday(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5


def _load_exceptions() -> dict:
    from .models import CalendarDay, DayKind

    return {d: kind == DayKind.WORKDAY for d, kind in CalendarDay.objects.values_list("date", "kind")}


def _periods(day: date):
    zone = tz()
    for start, end in WORK_PERIODS:
        yield datetime.combine(day, start, tzinfo=zone), datetime.combine(day, end, tzinfo=zone)


def add_working_minutes(start: datetime, minutes: float, calendar: Calendar | None = None) -> datetime:
    """The moment when ``minutes`` of working time have passed after ``start``."""
    local = start.astimezone(tz())
    calendar = calendar or Calendar.load()
    remaining = timedelta(minutes=minutes)
    day = local.date()
    for _ in range(MAX_DAYS):
        if calendar.is_workday(day):
            for p_start, p_end in _periods(day):
                begin = max(p_start, local)
                if begin >= p_end:
                    continue
                available = p_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("working-time limit beyond the calendar's range")


def working_minutes_between(start: datetime, end: datetime, calendar: Calendar | None = None) -> float:
    """Working minutes from ``start`` to ``end`` (0 if end <= start)."""
    if end <= start:
        return 0.0
    zone = tz()
    start_l, end_l = start.astimezone(zone), end.astimezone(zone)
    calendar = calendar or Calendar.load()
    total = timedelta()
    day = start_l.date()
    while day <= end_l.date():
        if calendar.is_workday(day):
            for p_start, p_end in _periods(day):
                lo, hi = max(p_start, start_l), min(p_end, end_l)
                if hi > lo:
                    total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 60


class LimitUnit:
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"
    WORK_HOURS = "work_hours"
    WORK_DAYS = "work_days"

    NATURAL = {MINUTES: 1, HOURS: 60, DAYS: 1440}
    WORKING = {WORK_HOURS: 60, WORK_DAYS: MINUTES_PER_WORKDAY}


def limit_minutes(amount: float, unit: str) -> tuple[float, bool]:
    """(minutes, is_working_time) for a limit such as (4, "work_hours")."""
    if unit in LimitUnit.NATURAL:
        return amount * LimitUnit.NATURAL[unit], False
    if unit in LimitUnit.WORKING:
        return amount * LimitUnit.WORKING[unit], True
    raise ValueError(f"unknown limit unit {unit!r}")


def deadline(start: datetime, minutes: float, working: bool, calendar: Calendar | None = None) -> datetime:
    if working:
        return add_working_minutes(start, minutes, calendar)
    return start + timedelta(minutes=minutes)


def due_and_warn(start: datetime, amount: float, unit: str, warn_fraction: float = 0.25,
                 calendar: Calendar | None = None) -> tuple[datetime, datetime]:
    """Deadline and the start of its warning window (the last ``warn_fraction`` of the limit)."""
    minutes, working = limit_minutes(amount, unit)
    calendar = calendar or (Calendar.load() if working else None)
    due = deadline(start, minutes, working, calendar)
    warn = deadline(start, minutes * (1 - warn_fraction), working, calendar)
    return due, warn


def remaining_minutes(now: datetime, due: datetime, working: bool) -> float:
    """What is left of a running limit at ``now`` (for pausing a parked case's clock)."""
    if working:
        return working_minutes_between(now, due)
    return max((due - now).total_seconds() / 60, 0.0)
