"""The learning figures page: an area (default: the top of the user's reach) and its sub-areas over a period,
items published by category, readers and effective reads by branch, assigned-study completion. No person is
ranked: figures go by area and branch only."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from lianxin.areas.models import Area
from lianxin.cases.stats_views import period
from lianxin.core import clock
from lianxin.core.figures import percent
from lianxin.core.visibility import grant_paths, scoped

from . import stats as figures_of
from .models import Read


def roots(user) -> list[Area]:
    visible = Area.objects.visible_to(user)
    if user.is_superuser:
        return list(visible.filter(parent__isnull=True))
    paths, _orgs = grant_paths(user, Read._meta.label_lower, "view")
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


def context(request):
    area, tops = chosen_area(request)
    start, end = period(request, clock.today())
    last = end - timedelta(days=1)
    children = list(Area.objects.visible_to(request.user).filter(parent=area).exclude(kind="grid")
                    .order_by("code")[:60])
    values = figures_of.figures(request.user, [area, *children], start, last)
    rows = [{"area": a, **values[a.pk], "study_percent": percent(values[a.pk]["study_rate"])}
            for a in [area, *children]]
    branches = figures_of.by_branch(request.user, area, start, last)
    for b in branches:
        b["study_percent"] = percent(b.get("study_rate"))
    return {"area": area, "tops": tops, "start": start, "end": end, "last": last, "rows": rows,
            "categories": figures_of.by_category(request.user, area, start, last), "branches": branches}


@scoped(Read, "view", kind="list", subset=True)
def stats(request, qs):
    ctx = context(request)
    ctx["query"] = request.GET.urlencode()
    return render(request, "learning/stats.html", ctx)
