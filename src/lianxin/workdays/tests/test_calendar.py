from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from lianxin.workdays.calendar import (
    add_working_minutes,
    due_and_warn,
    remaining_minutes,
    working_minutes_between,
)
from lianxin.workdays.models import CalendarDay, DayKind

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=SH)


def test_official_2026_schedule_is_seeded():
    assert CalendarDay.objects.get(date="2026-10-01").kind == DayKind.HOLIDAY
    assert CalendarDay.objects.get(date="2026-09-20").kind == DayKind.WORKDAY
    assert not CalendarDay.objects.filter(date__year=2026, provisional=True).exists()
    assert CalendarDay.objects.filter(date__year=2027, provisional=True).exists()


def test_four_working_hours_from_16h_before_national_day():
    # Wednesday 30 Sept is the last working day before 1–7 Oct: 1.5 h that day, 2.5 h on Thursday 8 Oct.
    due, warn = due_and_warn(at(2026, 9, 30, 16, 0), 4, "work_hours")
    assert due == at(2026, 10, 8, 11, 0)
    assert warn == at(2026, 10, 8, 10, 0)  # the last quarter (1 working hour) is the warning window


def test_make_up_working_day_on_a_sunday_counts():
    # Friday 18 Sept 16:00 → Saturday off → Sunday 20 Sept is a make-up working day.
    assert add_working_minutes(at(2026, 9, 18, 16, 0), 240) == at(2026, 9, 20, 11, 0)


def test_weekend_is_skipped():
    assert add_working_minutes(at(2026, 11, 27, 16, 0), 240) == at(2026, 11, 30, 11, 0)


def test_lunch_break_and_hours_outside_work():
    assert add_working_minutes(at(2026, 11, 26, 11, 0), 120) == at(2026, 11, 26, 14, 30)
    assert add_working_minutes(at(2026, 11, 26, 7, 0), 60) == at(2026, 11, 26, 9, 30)
    assert add_working_minutes(at(2026, 11, 26, 20, 0), 30) == at(2026, 11, 27, 9, 0)


def test_an_edited_holiday_changes_new_deadlines():
    CalendarDay.objects.create(date="2026-12-01", kind=DayKind.HOLIDAY, name="test")
    assert add_working_minutes(at(2026, 11, 30, 17, 0), 60) == at(2026, 12, 2, 9, 0)


def test_working_days_count_seven_and_a_half_hours():
    due, _warn = due_and_warn(at(2026, 11, 26, 16, 0), 1, "work_days")
    assert due == at(2026, 11, 27, 16, 0)  # the same clock time on the next working day


def test_natural_time_runs_across_midnight_and_holidays():
    due, warn = due_and_warn(at(2026, 9, 30, 23, 30), 2, "hours")
    assert due == at(2026, 10, 1, 1, 30)
    assert warn == at(2026, 10, 1, 1, 0)


def test_working_minutes_between_and_remaining():
    assert working_minutes_between(at(2026, 9, 30, 16, 0), at(2026, 10, 8, 11, 0)) == 240
    assert working_minutes_between(at(2026, 11, 27, 18, 0), at(2026, 11, 27, 19, 0)) == 0
    assert remaining_minutes(at(2026, 11, 26, 9, 0), at(2026, 11, 26, 10, 0), working=False) == 60
    assert remaining_minutes(at(2026, 11, 26, 11, 30), at(2026, 11, 26, 14, 0), working=True) == 60


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        due_and_warn(at(2026, 11, 26, 9, 0), 1, "fortnights")
