"""Station figures for dashboards (the organisation department's, built by newgroups) and the stats page.

``figures(user, areas, start, end)``: for each area (by pk), over the records ``user`` may view anchored in
the area's subtree, for the days ``start`` to ``end`` both included (Asia/Shanghai):
stations registered by the end of the period, those of them in service, check-ins recorded in the period
by signed-in workers and anonymously, and person-times (every check-in is one).
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q
from lianxin.workdays.calendar import tz

from .models import CheckIn, Station


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] in days as [midnight of start, midnight after end) in local time."""
    return (datetime.combine(start, time.min, tzinfo=tz()),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz()))


def figures(user, areas, start: date, end: date) -> dict[int, dict[str, int | float]]:
    lo, hi = bounds(start, end)
    stations = Station.objects.visible_to(user).filter(created_at__lt=hi)
    checkins = CheckIn.objects.visible_to(user).filter(at__gte=lo, at__lt=hi)
    out = {}
    for area in areas:
        s = stations.filter(subtree_q("area__path", area.path)).aggregate(
            n=Count("pk"), active=Count("pk", filter=Q(active=True)))
        c = checkins.filter(subtree_q("station__area__path", area.path)).aggregate(
            n=Count("pk"), identified=Count("pk", filter=Q(user__isnull=False)))
        out[area.pk] = {
            "stations": s["n"], "open_stations": s["active"],
            "checkins_identified": c["identified"], "checkins_anonymous": c["n"] - c["identified"],
            "person_times": c["n"],
        }
    return out


FIGURES = FigureSet("stations", _("Rest stations"), compute=figures, figures=(
    Figure("stations", _("Stations")),
    Figure("open_stations", _("Stations in service")),
    Figure("checkins_identified", _("Check-ins by signed-in workers"), Unit.PERSON_TIMES),
    Figure("checkins_anonymous", _("Anonymous check-ins"), Unit.PERSON_TIMES),
    Figure("person_times", _("Person-times served"), Unit.PERSON_TIMES),
))
