"""Each declared figure that lists its records equals both the count of those records and a count written here
from the models (path prefixes, plain date bounds: not the modules' code), for two areas and two periods; and
the station figures, which list no records, equal such counts too."""

from datetime import datetime, time, timedelta

import pytest

from lianxin.care.models import Retiree
from lianxin.cases.models import Case, CaseEvent
from lianxin.core import clock
from lianxin.core.modules import figure_sets
from lianxin.reports.periods import Period
from lianxin.stations import services as stations
from lianxin.stations.models import CheckIn, Station
from lianxin.workdays.calendar import tz

pytestmark = pytest.mark.django_db


def _bounds(p):
    return (datetime.combine(p.start, time.min, tzinfo=tz()),
            datetime.combine(p.end + timedelta(days=1), time.min, tzinfo=tz()))


def independent(code, area, p):
    lo, hi = _bounds(p)
    under = area.path
    if code == "cases.reported":
        return Case.objects.filter(area__path__startswith=under, created_at__gte=lo, created_at__lt=hi).count()
    if code == "cases.closed":
        return (CaseEvent.objects.filter(area_path__startswith=under, at__gte=lo, at__lt=hi, to_stage="closed",
                                         kind__in=["verify", "close_without_fix", "merge"])
                .values("case").distinct().count())
    if code == "care.retirees":
        return Retiree.objects.filter(person__area__path__startswith=under).exclude(status="deceased").count()
    if code == "care.ceremonies":
        return (Retiree.objects.filter(person__area__path__startswith=under, retirement_steps__item="ceremony",
                                       retirement_steps__done_on__range=(p.start, p.end)).distinct().count())
    if code == "stations.stations":
        return Station.objects.filter(area__path__startswith=under, created_at__lt=hi).count()
    if code == "stations.open_stations":
        return Station.objects.filter(area__path__startswith=under, created_at__lt=hi, active=True).count()
    if code == "stations.person_times":
        return CheckIn.objects.filter(station__area__path__startswith=under, at__gte=lo, at__lt=hi).count()
    if code == "stations.checkins_anonymous":
        return CheckIn.objects.filter(station__area__path__startswith=under, at__gte=lo, at__lt=hi,
                                      user__isnull=True).count()
    raise KeyError(code)


CHECKED = {"cases.reported", "cases.closed", "care.retirees", "care.ceremonies", "stations.stations",
           "stations.open_stations", "stations.person_times", "stations.checkins_anonymous"}


def test_figures_equal_independent_counts(world):
    # Check-ins last month too, so that the two periods differ.
    this_month = Period.containing("month", clock.today())
    last_month = this_month.previous()
    station = world.samples["stations.station"]["3708010102"]
    for i in range(3):
        stations.record_checkin(station, "rest", device=f"lm{i}",
                                at=datetime.combine(last_month.start + timedelta(days=i), time(10), tzinfo=tz()))
    user = world.users["county_staff"]  # sees the whole of county 甲县
    areas = [world.areas["370801"], world.areas["37080101"]]
    periods = [this_month, Period("range", last_month.start, this_month.end)]
    seen, nonzero = set(), 0
    for fs in figure_sets():
        for p in periods:
            values = fs.compute(user, areas, p.start, p.end)
            for area in areas:
                for f in fs.figures:
                    code = fs.code(f)
                    rows = fs.records_of(user, area, p.start, p.end, f.key)
                    if rows is not None:
                        assert rows.count() == values[area.pk][f.key], (code, area.code, p)
                    if code in CHECKED:
                        expected = independent(code, area, p)
                        assert values[area.pk][f.key] == expected, (code, area.code, p)
                        seen.add(code)
                        nonzero += expected > 0
    assert seen == CHECKED and nonzero >= 10
    # Every figure that lists records is among those counted independently here.
    listed = {fs.code(f) for fs in figure_sets() for f in fs.figures
              if fs.records_of(user, areas[0], this_month.start, this_month.end, f.key) is not None}
    assert listed <= CHECKED
