"""The statistics page of the village work (the X1/X2 paragraph's figures for an area and its sub-areas over a
period) and its Excel export: the figures, and the visit ledger of the period."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area
from lianxin.cases.stats_views import period
from lianxin.core import clock
from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.figures import Unit, percent
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import grant_paths, scoped
from lianxin.workdays.calendar import tz

from .models import Visit
from .stats import FIGURES, figures


def chosen_area(request) -> Area:
    visible = Area.objects.visible_to(request.user)
    if request.user.is_superuser:
        tops = list(visible.filter(parent__isnull=True))
    else:
        paths, _orgs = grant_paths(request.user, Visit._meta.label_lower, "view")
        tops = list(visible.filter(path__in=paths).order_by("path"))
    if not tops:
        raise PermissionDenied
    param = request.GET.get("area") or ""
    if not param:
        return tops[0]
    area = visible.filter(pk=int(param)).first() if param.isdigit() and len(param) < 19 else None
    if area is None or not any(area.path.startswith(t.path) for t in tops):
        raise Http404
    return area


def _cells(values: dict) -> list:
    out = []
    for f in FIGURES.figures:
        v = values.get(f.key)
        out.append("—" if v is None else (f"{percent(v)}%" if f.unit == Unit.RATE else v))
    return out


def _table(request):
    area = chosen_area(request)
    start, end = period(request, clock.today())  # end exclusive
    children = list(Area.objects.visible_to(request.user).filter(parent=area).order_by("code")[:80])
    values = figures(request.user, [area, *children], start, end - timedelta(days=1))
    rows = [(a, _cells(values[a.pk])) for a in [area, *children]]
    return area, start, end, rows


@scoped(Visit, "view", kind="list", subset=True)
def stats(request, qs):
    area, start, end, rows = _table(request)
    return render(request, "villages/stats.html", {
        "area": area, "start": start, "end": end, "last": end - timedelta(days=1), "rows": rows,
        "headers": [f.label for f in FIGURES.figures], "ancestors": area.ancestors() if area.parent_id else [],
    })


VISIT_COLUMNS = [
    Column("visited_on", gettext_lazy("Visited on"), "走访日期", width=12),
    Column("village", gettext_lazy("Village"), "村", width=14),
    Column("household", gettext_lazy("Head of household"), "户主", width=12),
    Column("categories", gettext_lazy("Must-visit categories"), "五必访类别", width=20),
    Column("method", gettext_lazy("Method"), "方式", width=8),
    Column("visitor", gettext_lazy("Visitor"), "走访人", width=12),
    Column("answers", gettext_lazy("Answers"), "五必问", width=50),
    Column("cases", gettext_lazy("Cases filed"), "转办事项", width=18),
    Column("submitted_at", gettext_lazy("Submitted at"), "提交时间", width=18),
]


@scoped(Visit, "view", kind="list", subset=True)
def export(request, qs):
    area, start, end, rows = _table(request)
    visits = (qs.filter(subtree_q("area__path", area.path), visited_on__gte=start, visited_on__lt=end)
              .select_related("area", "household", "visitor__person")
              .prefetch_related("answers__question", "answers__case", "household__categories")
              .order_by("visited_on", "pk"))

    def visit_rows():
        for v in visits.iterator(chunk_size=1000):
            answers = list(v.answers.all())
            yield [v.visited_on, v.area.name, v.household.name, "、".join(c.name for c in v.household.categories.all()),
                   v.get_method_display(), str(v.visitor), "；".join(f"{a.question.name}：{a.text}" for a in answers),
                   " ".join(a.case.number for a in answers if a.case_id),
                   v.submitted_at.astimezone(tz()).strftime("%Y-%m-%d %H:%M")]

    headers = [_("Area"), *[str(f.label) for f in FIGURES.figures]]
    figure_rows = [[a.name, *c] for a, c in rows]
    content = write_workbook(VISIT_COLUMNS, visit_rows(), title=_("Visits"),
                             extra_sheets=[(_("Figures"), headers, figure_rows, [16] + [12] * len(FIGURES.figures))])
    return xlsx_response(content, dated_name("village-visits"))
