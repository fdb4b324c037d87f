"""Excel exports: the station ledger (with the list's filters) and the check-ins of an area and period."""

from datetime import timedelta

from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.cases.stats_views import period
from lianxin.core import clock
from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import scoped
from lianxin.workdays.calendar import tz

from . import stats
from .forms import StationFilter
from .models import AMENITIES, CheckIn, Station
from .stats_views import chosen_area
from .views import filter_stations

STATION_COLUMNS = [
    Column("name", gettext_lazy("Name"), "名称", width=24),
    Column("kind", gettext_lazy("Kind"), "类型", width=22),
    Column("area_name", gettext_lazy("Area"), "区划", width=16),
    Column("area", gettext_lazy("Area code"), "区划代码", width=14, text=True),
    Column("org", gettext_lazy("Host organisation"), "承办单位", width=22),
    Column("address", gettext_lazy("Address"), "地址", width=28),
    Column("lng", gettext_lazy("Longitude (WGS-84)"), "经度", width=12),
    Column("lat", gettext_lazy("Latitude (WGS-84)"), "纬度", width=12),
    Column("hours", gettext_lazy("Opening hours"), "开放时间", width=40),
    Column("amenities", gettext_lazy("Amenities"), "服务设施", width=30),
    Column("phone", gettext_lazy("Service phone"), "服务电话", width=14, text=True),
    Column("active", gettext_lazy("In service"), "在用", width=8),
    Column("served", gettext_lazy("Person-times served"), "服务人次", width=10),
]

CHECKIN_COLUMNS = [
    Column("at", gettext_lazy("Time"), "时间", width=18),
    Column("station", gettext_lazy("Station"), "驿站", width=24),
    Column("area_name", gettext_lazy("Area"), "区划", width=16),
    Column("area", gettext_lazy("Area code"), "区划代码", width=14, text=True),
    Column("service", gettext_lazy("Service"), "服务", width=12),
    Column("identified", gettext_lazy("Signed-in worker"), "实名", width=10),
]


@scoped(Station, "view", kind="list")
def stations_export(request, qs):
    filters = StationFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = (filter_stations(qs, data).select_related("area", "org").annotate(served=Count("checkins"))
          .order_by("area__path", "name", "pk"))
    yes, no = _("yes"), _("no")
    rows = ([s.name, s.get_kind_display(), s.area.name, s.area.code, s.org.name if s.org_id else "", s.address,
             s.lng, s.lat, "; ".join(f"{d}: {t}" for d, t in s.hour_rows),
             "、".join(str(label) for key, label in AMENITIES if getattr(s, key)), s.public_phone,
             yes if s.active else no, s.served] for s in qs.iterator(chunk_size=500))
    return xlsx_response(write_workbook(STATION_COLUMNS, rows, title=_("Stations")), dated_name("stations"))


@scoped(CheckIn, "view", kind="list")
def checkins_export(request, qs):
    area, _tops = chosen_area(request)
    today = clock.now().astimezone(tz()).date()
    start, end = period(request, today)
    lo, hi = stats.bounds(start, end - timedelta(days=1))
    if (hi - lo).days > 3 * 366:
        raise Http404
    qs = (qs.filter(subtree_q("station__area__path", area.path), at__gte=lo, at__lt=hi)
          .select_related("station__area").order_by("at", "pk"))
    yes, no = _("yes"), _("no")
    rows = ([c.at.astimezone(tz()).strftime("%Y-%m-%d %H:%M"), c.station.name, c.station.area.name,
             c.station.area.code, c.get_service_display(), yes if c.user_id else no]
            for c in qs.iterator(chunk_size=2000))
    return xlsx_response(write_workbook(CHECKIN_COLUMNS, rows, title=_("Check-ins")), dated_name("station-checkins"))
