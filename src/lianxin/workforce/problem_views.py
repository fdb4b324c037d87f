"""The problem collectors' leaderboard per period and county."""

from django.shortcuts import render

from lianxin.core.visibility import scoped

from . import queries
from .filters import counties
from .forms import PeriodForm
from .models import Worker


@scoped(Worker, "view", kind="list", subset=True)
def problems(request, qs):
    form = PeriodForm(request.GET or None, counties=counties(request.user))
    start, end = form.period()
    county = form.cleaned_data.get("county") if form.is_valid() else None
    board = queries.leaderboard(request.user, start, end, county.path if county else None)
    linkable = set(qs.filter(pk__in=[r["pk"] for r in board["workers"]]).values_list("pk", flat=True))
    for r in board["workers"]:
        r["linkable"] = r["pk"] in linkable
    query = request.GET.urlencode()
    return render(request, "workforce/problems.html", {"form": form, "board": board, "start": start, "end": end,
                                                       "query": query})
