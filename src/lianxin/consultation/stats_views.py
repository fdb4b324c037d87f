"""The consultation figures page (an area and its sub-areas over a period) and its Excel export, plus the
decisions ledger export."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area
from lianxin.cases.stats_views import period, quick_links
from lianxin.core import clock
from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.figures import Unit, percent
from lianxin.core.visibility import grant_paths, scoped

from . import stats
from .models import Council, Decision


def roots(user) -> list[Area]:
    visible = Area.objects.visible_to(user)
    if user.is_superuser:
        return list(visible.filter(parent__isnull=True))
    paths, _orgs = grant_paths(user, Council._meta.label_lower, "view")
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


def _shown(value, unit):
    if value is None:
        return "–"
    return f"{percent(value)}%" if unit == Unit.RATE else value


def _table(request):
    area, tops = chosen_area(request)
    start, end = period(request, clock.today())
    last = end - timedelta(days=1)
    children = list(Area.objects.visible_to(request.user).filter(parent=area, kind__in=("town", "community", "county"))
                    .order_by("code")[:80])
    values = stats.figures(request.user, [area, *children], start, last)
    figs = stats.FIGURES.figures
    rows = [(a, [_shown(values[a.pk][f.key], f.unit) for f in figs]) for a in children]
    total = [_shown(values[area.pk][f.key], f.unit) for f in figs]
    return area, tops, start, end, figs, rows, total


@scoped(Council, "view", kind="list", subset=True)
def figures_page(request, qs):
    area, tops, start, end, figs, rows, total = _table(request)
    quick = quick_links(clock.today(), {"area": area.pk}, start, end)
    return render(request, "consultation/stats.html", {
        "area": area, "tops": tops, "start": start, "end": end, "last_day": end - timedelta(days=1),
        "figures": figs, "rows": rows, "total": total, "quick": quick,
        "export_url": reverse("consultation:export") + f"?area={area.pk}&start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
    })


@scoped(Council, "view", kind="list", subset=True)
def export(request, qs):
    area, _tops, start, end, figs, rows, total = _table(request)
    columns = [Column("area", gettext_lazy("Area"), "区划", width=18),
               Column("code", gettext_lazy("Area code"), "区划代码", width=14, text=True)]
    columns += [Column(f.key, f.label, str(f.label), width=12) for f in figs]
    lines = [[a.name, a.code, *vals] for a, vals in rows] + [[area.name, area.code, *total]]
    decided = (Decision.objects.visible_to(request.user).filter(decided_at__isnull=False)
               .filter(area__path__startswith=area.path).select_related("topic", "area", "council")
               .order_by("decided_at"))
    ledger = [[d.area.name, d.council.name, d.topic.title, d.text, d.decided_at.strftime("%Y-%m-%d"),
               d.get_step_display() if d.major else ""] for d in decided.iterator(chunk_size=500)]
    extra = [(_("Decisions"), [_("Area"), _("Council"), _("Topic"), _("Decision"), _("Decided"),
                               _("Last step")], ledger, [16, 22, 30, 50, 12, 24])]
    return xlsx_response(write_workbook(columns, lines, title=_("Consultation figures"), extra_sheets=extra),
                         dated_name("consultation"))
