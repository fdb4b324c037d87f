"""Periods of reports: a month, a quarter, a year or any from–to, in local days (both ends included), with the
period before it (of the same length: the previous month, quarter, year or as many days) and the same period a
year earlier."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

KINDS = (("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year")), ("range", _("From–to")))
MAX_DAYS = 3 * 366


def _add_months(d: date, n: int) -> date:
    months = d.year * 12 + d.month - 1 + n
    return date(months // 12, months % 12 + 1, 1)


def _shift_year(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # included

    @classmethod
    def containing(cls, kind: str, on: date) -> "Period":
        if kind == "year":
            return cls(kind, date(on.year, 1, 1), date(on.year, 12, 31))
        months = 3 if kind == "quarter" else 1
        first = date(on.year, (on.month - 1) // months * months + 1, 1)
        return cls(kind, first, _add_months(first, months) - timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        if self.kind in ("month", "quarter", "year"):
            return Period.containing(self.kind, self.start - timedelta(days=1))
        return Period(self.kind, self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> "Period":
        if self.kind in ("month", "quarter", "year"):
            return Period.containing(self.kind, _shift_year(self.start, -1))
        return Period(self.kind, _shift_year(self.start, -1), _shift_year(self.end, -1))

    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def label_zh(self) -> str:
        """As a briefing writes it: 2026年11月, 2026年第四季度, 2026年, 2026年1月1日至3月31日."""
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        if self.kind == "year":
            return f"{self.start.year}年"
        s, e = self.start, self.end
        return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"

    def query(self) -> dict:
        if self.kind == "range":
            return {"period": "range", "start": self.start.isoformat(), "end": self.end.isoformat()}
        return {"period": self.kind, "on": self.start.isoformat()}
