"""The city's date, not the server's: a UTC server is a day behind China from 16:00 to midnight UTC."""

from datetime import UTC, date, datetime

import time_machine

from lianxin.core import clock


def test_today_is_the_city_date_on_a_utc_server():
    with time_machine.travel(datetime(2026, 11, 27, 17, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2026, 11, 28)
    with time_machine.travel(datetime(2026, 11, 27, 15, 59, tzinfo=UTC), tick=False):
        assert clock.today() == date(2026, 11, 27)


def test_today_follows_the_replay_clock():
    with clock.at(datetime(2025, 12, 31, 16, 0, tzinfo=UTC)):
        assert clock.today() == date(2026, 1, 1)
