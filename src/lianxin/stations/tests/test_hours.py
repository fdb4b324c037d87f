from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lianxin.stations import hours
from lianxin.workdays.calendar import tz


def at(day, hh, mm=0):
    # 2026-11-23 is a Monday
    return datetime(2026, 11, 23 + day, hh, mm, tzinfo=tz())


WEEK = ["08:00-20:00", "08:00-20:00", "08:00-20:00", "08:00-20:00", "20:00-02:00", "closed", "24h"]


@pytest.mark.parametrize("moment,expected", [
    (at(0, 7, 59), False), (at(0, 8, 0), True), (at(0, 19, 59), True), (at(0, 20, 0), False),
    (at(4, 19, 59), False), (at(4, 23, 30), True),  # Friday's overnight range starts at 20:00
    (at(5, 1, 59), True), (at(5, 2, 0), False),  # ... and runs into closed Saturday until 02:00
    (at(5, 12, 0), False),  # Saturday closed
    (at(6, 0, 0), True), (at(6, 23, 59), True),  # Sunday 24h
    (at(7, 0, 30), False),  # Monday 00:30: Sunday's 24h does not spill over, Monday opens at 8
])
def test_open_now_across_midnight_and_closed_days(moment, expected):
    assert hours.is_open(WEEK, moment) is expected


def test_open_now_reads_shanghai_time():
    # 00:30 UTC on a Monday is 08:30 in Shanghai: open; 23:30 UTC on Sunday is 07:30 Monday there: closed
    assert hours.is_open(WEEK, datetime(2026, 11, 23, 0, 30, tzinfo=UTC)) is True
    assert hours.is_open(WEEK, datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) is False


def test_open_now_follows_the_clock():
    from lianxin.core import clock

    with clock.at(at(5, 12)):
        assert hours.is_open(WEEK) is False
    with clock.at(at(6, 12)):
        assert hours.is_open(WEEK) is True


def test_parse_and_normalise():
    assert hours.normalise_day(" 7:00 - 12:00，14:00-22:00 ") == "07:00-12:00, 14:00-22:00"
    assert hours.normalise_day("全天") == "24h"
    assert hours.normalise_day("休息") == "closed"
    assert hours.normalise_day("20:00-02:00") == "20:00-02:00"
    for bad in ("8-20", "25:00-26:00", "08:00-08:00", "sometimes"):
        with pytest.raises(ValidationError):
            hours.normalise_day(bad)


def test_display_marks_next_day():
    with translation.override("en"):
        rows = {str(d): t for d, t in hours.display_rows(WEEK)}
    assert rows["Friday"] == "20:00–02:00 (next day)"
    assert rows["Saturday"] == "Closed" and rows["Sunday"] == "Open 24 hours"
