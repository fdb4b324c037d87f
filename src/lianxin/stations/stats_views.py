"""The station statistics page: an area (default: the top of the user's reach) and its sub-areas over a
period; person-times identified and anonymous, by month and by service, charts drawn like the case
statistics (ECharts from a json_script, the same numbers in tables below)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.areas.models import Area
from lianxin.cases.stats_views import period, quick_links
from lianxin.core import clock
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import grant_paths, scoped
from lianxin.workdays.calendar import tz

from . import stats as figures_of
from .models import CheckIn, Service, Station


def roots(user) -> list[Area]:
    """The areas a user's station statistics start from: where their station grants are."""
    visible = Area.objects.visible_to(user)
    if user.is_superuser:
        return list(visible.filter(parent__isnull=True))
    paths, _orgs = grant_paths(user, Station._meta.label_lower, "view")
    return list(visible.filter(path__in=paths).order_by("path"))


def chosen_area(request) -> tuple[Area, list[Area]]:
    tops = roots(request.user)
    if not tops:
        raise PermissionDenied
    param = request.GET.get("area") or ""
    if not param:
        return tops[0], tops
    area = Area.objects.visible_to(request.user).filter(pk=int(param)).first() \
        if param.isascii() and param.isdigit() and len(param) < 19 else None
    if area is None or not any(area.path.startswith(t.path) for t in tops):
        raise Http404
    return area, tops


@scoped(Station, "view", kind="list", subset=True)
def stats(request, qs):
    area, tops = chosen_area(request)
    today = clock.today()
    start, end = period(request, today)  # end exclusive
    last = end - timedelta(days=1)
    children = list(Area.objects.visible_to(request.user).filter(parent=area).order_by("code")[:60])
    values = figures_of.figures(request.user, [area, *children], start, last)
    lo, hi = figures_of.bounds(start, last)
    checkins = CheckIn.objects.visible_to(request.user).filter(subtree_q("station__area__path", area.path),
                                                               at__gte=lo, at__lt=hi)
    monthly = list(checkins.annotate(month=TruncMonth("at", tzinfo=tz())).values("month").order_by("month")
                   .annotate(n=Count("pk"), identified=Count("pk", filter=Q(user__isnull=False))))
    by_service = dict(checkins.order_by().values_list("service").annotate(n=Count("pk")))
    months = [(m["month"].strftime("%Y-%m"), m["identified"], m["n"] - m["identified"], m["n"]) for m in monthly]
    services = [(label, by_service.get(value, 0)) for value, label in Service.choices]
    child_rows = [(c, [values[c.pk][k] for k, _l in figures_of.FIGURES]) for c in children]
    chart = {
        "labels": {"identified": _("Signed-in workers"), "anonymous": _("Anonymous"),
                   "person_times": _("Person-times")},
        "months": [m[0] for m in months], "identified": [m[1] for m in months],
        "anonymous": [m[2] for m in months],
        "services": {"names": [str(s[0]) for s in services], "values": [s[1] for s in services]},
        "children": {"names": [c.name for c in children], "values": [values[c.pk]["person_times"]
                                                                     for c in children]},
    }
    quick = quick_links(today, {"area": area.pk}, start, end)
    return render(request, "stations/stats.html", {
        "area": area, "areas": [(a.pk, a.name) for a in tops] + ([(area.pk, area.name)] if area not in tops
                                                                   else []),
        "start": start, "end": end, "last_day": last, "quick": quick,
        "total": [(label, values[area.pk][key]) for key, label in figures_of.FIGURES], "key": values[area.pk],
        "months": months, "services": services, "children": child_rows, "figure_labels":
        [label for _k, label in figures_of.FIGURES], "chart": chart,
        "export_url": reverse("stations:checkins_export")
        + f"?area={area.pk}&start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
    })
