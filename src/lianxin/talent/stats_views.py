"""The talent figures page: an area (default the top of the user's reach) and its sub-areas over a period,
the FigureSet's numbers in tables, with charts (ECharts, from a json_script) of the same numbers."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from lianxin.areas.models import Area
from lianxin.cases.stats_views import period, quick_links
from lianxin.core import clock
from lianxin.core.figures import Unit, percent
from lianxin.core.visibility import grant_paths, scoped

from . import stats as figures_of
from .models import Talent


def roots(user) -> list[Area]:
    visible = Area.objects.visible_to(user)
    if user.is_superuser:
        return list(visible.filter(parent__isnull=True))
    paths, _orgs = grant_paths(user, Talent._meta.label_lower, "view")
    return list(visible.filter(path__in=paths).order_by("path"))


def chosen_area(request):
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


def shown(figure, value):
    if value is None:
        return "—"
    if figure.unit == Unit.RATE:
        return f"{percent(value)}%"
    if figure.unit == Unit.YUAN:
        return f"{value:,.2f}"
    return value


@scoped(Talent, "view", kind="list", subset=True)
def stats(request, qs):
    area, tops = chosen_area(request)
    today = clock.today()
    start, end = period(request, today)
    last = end - timedelta(days=1)
    children = list(Area.objects.visible_to(request.user).filter(parent=area).order_by("code")[:40])
    values = figures_of.figures(request.user, [area, *children], start, last)
    figs = figures_of.FIGURES.figures
    mine = values[area.pk]
    tiers = [f for f in figs if f.key.startswith("tier_")]
    by_key = {f.key: f for f in figs}

    def group(key, title, *figure_keys):
        """Bars per sub-area, led by the area's own level (what is recorded on the area itself, e.g. the county's
        job fairs and apartments) when it has any, so that the bars add up to the area's figure."""
        own = {k: round(mine[k] - sum(values[c.pk][k] for c in children), 2) for k in figure_keys}
        if not children:
            lead = [(area.name, own)]
        else:
            lead = [(_("%(area)s (own level)") % {"area": area.name}, own)] if any(own.values()) else []
        columns = lead + [(c.name, values[c.pk]) for c in children]
        return {"id": f"chart-{key}", "title": str(title), "names": [name for name, _v in columns],
                "yuan": by_key[figure_keys[0]].unit == Unit.YUAN,
                "series": [{"name": str(by_key[k].label), "values": [v[k] for _n, v in columns]} for k in figure_keys]}

    chart = {
        "tiers": {"names": [str(f.label) for f in tiers], "values": [mine[f.key] for f in tiers]},
        # The figures side by side per sub-area; the tables below hold the same numbers.
        "groups": [
            group("intake", _("Talents and intake"), "talents", "talents_new"),
            group("demands", _("Demands open and filled"), "demand_open", "demand_filled", "registry_matches"),
            group("liaison", _("Leader liaison"), "liaison_due", "liaison_done"),
            group("events", _("Events and hires"), "events", "hires"),
            group("apartments", _("Apartments allocated and occupied"), "apartments_allocated",
                  "apartments_occupied"),
            group("subsidies", _("Subsidies (yuan)"), "subsidies_granted", "subsidies_paid"),
            group("loans", _("Policy loans (yuan)"), "loans"),  # hundreds of millions: its own scale
        ],
    }
    quick = quick_links(today, {"area": area.pk}, start, end)
    return render(request, "talent/stats.html", {
        "area": area, "areas": [(a.pk, a.name) for a in tops] + ([(area.pk, area.name)] if area not in tops else []),
        "start": start, "end": end, "last_day": last, "quick": quick,
        "total": [(f.label, shown(f, mine[f.key])) for f in figs],
        "labels": [f.label for f in figs],
        "children": [(c, [shown(f, values[c.pk][f.key]) for f in figs]) for c in children],
        "chart": chart,
    })
