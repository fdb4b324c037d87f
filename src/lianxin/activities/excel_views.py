"""Excel export of the activity ledger: every activity visible to the user in a period (?start=&end=, days,
both included; default this year) over an area or organisation subtree, with 应到 / 实到 / 请假."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core import clock
from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.visibility import scoped
from lianxin.workdays.calendar import tz

from .models import EXPECTED, Activity, Participation
from .views import _subtree

COLUMNS = [
    Column("date", gettext_lazy("Date"), "日期", width=16),
    Column("kind", gettext_lazy("Kind"), "类型", width=26),
    Column("title", gettext_lazy("Title"), "名称", width=30),
    Column("organiser", gettext_lazy("Organiser"), "组织单位", width=26),
    Column("area", gettext_lazy("Area"), "区划", width=16),
    Column("place", gettext_lazy("Place"), "地点", width=20),
    Column("theme", gettext_lazy("Theme"), "主题", width=24),
    Column("status", gettext_lazy("Status"), "状态", width=10),
    Column("expected", gettext_lazy("Expected"), "应到", width=8),
    Column("attended", gettext_lazy("Present"), "实到", width=8),
    Column("excused", gettext_lazy("Excused"), "请假", width=8),
]


def _day(raw: str | None, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@scoped(Activity, "view", kind="list")
def ledger(request, qs):
    today = clock.today()
    start = _day(request.GET.get("start"), date(today.year, 1, 1))
    end = _day(request.GET.get("end"), date(today.year, 12, 31))
    if end < start or (end - start).days > 3 * 366:
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    qs, _area, _org = _subtree(request, qs)
    lo = datetime.combine(start, time.min, tzinfo=tz())
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz())
    qs = (qs.filter(starts_at__gte=lo, starts_at__lt=hi).select_related("org", "area", "theme")
          .annotate(expected=Count("participants", filter=Q(participants__status__in=EXPECTED)),
                    attended=Count("participants", filter=Q(participants__status=Participation.ATTENDED)),
                    excused=Count("participants", filter=Q(participants__status=Participation.EXCUSED)))
          .order_by("starts_at", "pk"))
    rows = ([a.starts_at.astimezone(tz()).strftime("%Y-%m-%d %H:%M"), a.get_kind_display(), a.title,
             a.org.name if a.org_id else a.area.name, a.area.name, a.place, a.theme.title if a.theme_id else "",
             a.get_status_display(), a.expected, a.attended, a.excused] for a in qs.iterator(chunk_size=1000))
    return xlsx_response(write_workbook(COLUMNS, rows, title=_("Activities")), dated_name("activities"))
