"""Opening hours: one line per weekday (Monday first), each "closed", "24h" or ranges like "08:00-20:00",
"07:00-12:00, 14:00-22:00". A range whose end is not after its start runs past midnight ("20:00-02:00"
is open until 2 a.m. the next day). "Open now" is read in Asia/Shanghai from core.clock.now()."""

import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from lianxin.core import clock
from lianxin.workdays.calendar import tz

WEEKDAYS = [gettext_lazy("Monday"), gettext_lazy("Tuesday"), gettext_lazy("Wednesday"),
            gettext_lazy("Thursday"), gettext_lazy("Friday"), gettext_lazy("Saturday"), gettext_lazy("Sunday")]
CLOSED, ALL_DAY = "closed", "24h"
CLOSED_WORDS = {"closed", "休息", "关闭", "不开放", "-", ""}
ALL_DAY_WORDS = {"24h", "24", "全天", "00:00-24:00", "0:00-24:00"}
RANGE = re.compile(r"^(\d{1,2})[:：](\d{2})\s*[-–~—至到]\s*(\d{1,2})[:：](\d{2})$")
SPLIT = re.compile(r"[,，;；、\s]+")
DASH = re.compile(r"\s*([-–~—至到])\s*")

Range = tuple[int, int]  # minutes after midnight: start, end (end may be <= start: runs past midnight)


def parse_day(text: str) -> list[Range] | str:
    """One weekday's line: CLOSED, ALL_DAY or a list of (start, end) minutes. Raises ValidationError."""
    word = (text or "").strip().lower()
    if word in CLOSED_WORDS:
        return CLOSED
    if word in ALL_DAY_WORDS:
        return ALL_DAY
    ranges = []
    for part in SPLIT.split(DASH.sub(r"\1", word)):
        m = RANGE.match(part.strip())
        if not m:
            raise ValidationError(_("Write hours as 08:00-20:00 (several ranges separated by commas), "
                                    "24h, or closed: “%(text)s” is not understood.") % {"text": text[:40]})
        h1, m1, h2, m2 = (int(x) for x in m.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
            raise ValidationError(_("“%(text)s” is not a time of day.") % {"text": part})
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if start == end:
            raise ValidationError(_("A range must not start and end at the same time: “%(text)s”.")
                                  % {"text": part})
        ranges.append((start, end))
    return ranges


def normalise_day(text: str) -> str:
    """The canonical text of a weekday's line (what is stored)."""
    parsed = parse_day(text)
    if isinstance(parsed, str):
        return parsed
    return ", ".join(f"{_hm(s)}-{_hm(e)}" for s, e in parsed)


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day(hours: list[str], weekday: int) -> list[Range] | str:
    try:
        return parse_day(hours[weekday])
    except (IndexError, ValidationError):
        return CLOSED


def is_open(hours: list[str], moment: datetime | None = None) -> bool:
    """Whether a station with these weekly hours is open at ``moment`` (default now), local time."""
    local = (moment or clock.now()).astimezone(tz())
    minute = local.hour * 60 + local.minute
    weekday = local.weekday()
    today = _day(hours, weekday)
    if today == ALL_DAY:
        return True
    if today != CLOSED:
        for start, end in today:
            if start < end and start <= minute < end:
                return True
            if end <= start and minute >= start:  # the evening part of an overnight range
                return True
    yesterday = _day(hours, (weekday - 1) % 7)
    if isinstance(yesterday, list):
        for start, end in yesterday:
            if end <= start and minute < end:  # the early-morning tail of yesterday's overnight range
                return True
    return False


def always_open(hours: list[str]) -> bool:
    return all(_day(hours, d) == ALL_DAY for d in range(7))


def display_rows(hours: list[str]) -> list[tuple[object, str]]:
    """(weekday label, text) for the pages and the poster."""
    rows = []
    for d in range(7):
        parsed = _day(hours, d)
        if parsed == CLOSED:
            text = pgettext("opening hours", "Closed")
        elif parsed == ALL_DAY:
            text = _("Open 24 hours")
        else:
            text = ", ".join(f"{_hm(s)}–{_hm(e)}" + (_(" (next day)") if e <= s else "") for s, e in parsed)
        rows.append((WEEKDAYS[d], text))
    return rows

