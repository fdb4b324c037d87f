"""Periods on the Asia/Shanghai calendar (no database)."""

import datetime as dt
from types import SimpleNamespace

import pytest

from lianxin.duties.periods import Frequency, moments, period_containing, periods

from .conftest import at

D = dt.date
NEW_YEAR = D(2026, 1, 1)


def plan(frequency, start=NEW_YEAR, **kw):
    kw.setdefault("every_days", None)
    kw.setdefault("due_date", None)
    kw.setdefault("end_date", None)
    return SimpleNamespace(frequency=frequency, start_date=start, **kw)


@pytest.mark.parametrize("frequency, day, want", [
    (Frequency.MONTHLY, D(2026, 3, 31), (D(2026, 3, 1), D(2026, 4, 1))),
    (Frequency.MONTHLY, D(2026, 4, 1), (D(2026, 4, 1), D(2026, 5, 1))),
    (Frequency.MONTHLY, D(2026, 12, 31), (D(2026, 12, 1), D(2027, 1, 1))),
    (Frequency.MONTHLY, D(2028, 2, 29), (D(2028, 2, 1), D(2028, 3, 1))),
    (Frequency.QUARTERLY, D(2026, 3, 31), (D(2026, 1, 1), D(2026, 4, 1))),
    (Frequency.QUARTERLY, D(2026, 4, 1), (D(2026, 4, 1), D(2026, 7, 1))),
    (Frequency.QUARTERLY, D(2026, 9, 30), (D(2026, 7, 1), D(2026, 10, 1))),
    (Frequency.QUARTERLY, D(2026, 12, 31), (D(2026, 10, 1), D(2027, 1, 1))),
    (Frequency.YEARLY, D(2026, 12, 31), (D(2026, 1, 1), D(2027, 1, 1))),
    (Frequency.YEARLY, D(2027, 1, 1), (D(2027, 1, 1), D(2028, 1, 1))),
])
def test_calendar_periods(frequency, day, want):
    assert period_containing(plan(frequency), day) == want


def test_first_period_is_clipped_to_the_start_and_nothing_before_it():
    p = plan(Frequency.QUARTERLY, start=D(2026, 2, 15))
    assert period_containing(p, D(2026, 2, 14)) is None
    assert period_containing(p, D(2026, 3, 1)) == (D(2026, 2, 15), D(2026, 4, 1))
    assert period_containing(p, D(2026, 4, 2)) == (D(2026, 4, 1), D(2026, 7, 1))


def test_every_n_days_counts_from_the_start():
    p = plan(Frequency.EVERY_N_DAYS, start=D(2026, 3, 5), every_days=10)
    assert list(periods(p, D(2026, 1, 1), D(2026, 3, 31))) == [
        (D(2026, 3, 5), D(2026, 3, 15)), (D(2026, 3, 15), D(2026, 3, 25)), (D(2026, 3, 25), D(2026, 4, 4))]
    assert period_containing(p, D(2026, 4, 4)) == (D(2026, 4, 4), D(2026, 4, 14))


def test_one_off_period_runs_to_its_due_date_inclusive():
    p = plan(Frequency.ONCE, start=D(2026, 2, 1), due_date=D(2026, 2, 16))
    assert list(periods(p, D(2026, 1, 1), D(2027, 1, 1))) == [(D(2026, 2, 1), D(2026, 2, 17))]
    assert period_containing(p, D(2026, 2, 17)) is None


def test_periods_stop_at_until_and_end_date():
    p = plan(Frequency.MONTHLY, end_date=D(2026, 3, 10))
    assert [s for s, _e in periods(p, D(2026, 1, 1), D(2026, 12, 31))] == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)]
    assert [s for s, _e in periods(plan(Frequency.MONTHLY), D(2026, 2, 10), D(2026, 4, 1))] == [
        D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)]


def test_moments_are_local_midnights_with_a_shorter_window_for_short_periods():
    warn, due, grace = moments(D(2026, 3, 1), D(2026, 4, 1), warn_days=7, grace_days=5)
    assert due == at(2026, 4, 1, 0) and warn == at(2026, 3, 25, 0) and grace == at(2026, 4, 6, 0)
    assert due.astimezone(dt.UTC) == dt.datetime(2026, 3, 31, 16, 0, tzinfo=dt.UTC)
    warn, due, _grace = moments(D(2026, 3, 5), D(2026, 3, 9), warn_days=7, grace_days=0)
    assert due - warn == dt.timedelta(days=1)  # a quarter of a 4-day period
