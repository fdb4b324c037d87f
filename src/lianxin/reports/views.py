"""The figures page: every module's declared figures for an area and a period, side by side; the records
behind a figure; the page as an Excel workbook (a sheet per module)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lianxin.areas.models import Area
from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.figures import RATES, shown
from lianxin.core.modules import figure_sets
from lianxin.core.visibility import scoped

from .forms import ReportForm, default_period
from .periods import Period
from .table import change, collect, default_area, visible_areas


def chosen(request):
    """(form, area, period) of the request: the user's top area and this month unless asked otherwise."""
    form = ReportForm(request.GET or None, user=request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    area = data.get("area") or default_area(request.user)
    if area is None:
        raise PermissionDenied
    period = data.get("the_period") or default_period()
    if not form.is_bound:  # the select and the period show what the page shows
        form = ReportForm(user=request.user, initial={"area": area, "period": period.kind, "on": period.start})
    return form, area, period


def records_url(app: str, key: str, area_pk: int, period: Period) -> str:
    query = {"figure": f"{app}.{key}", "area": area_pk, "start": period.start.isoformat(),
             "end": period.end.isoformat()}
    return reverse("reports:records") + "?" + urlencode(query)


def decorate(report: dict, period: Period, previous: Period, year_before: Period) -> list[dict]:
    """The page's view of a report: shown values, changes and record links."""
    out = []
    for s in report["sets"]:
        figs = s["figures"]

        def cells(values, area_pk, p, figs=figs, s=s):
            return [{"value": v, "text": shown(v, f["unit"]),
                     "url": records_url(s["app"], f["key"], area_pk, p) if f["records"] and v is not None else None}
                    for f, v in zip(figs, values, strict=True)]

        def cell(f, v, area_pk, p):
            return cells([v], area_pk, p, figs=[f])[0]

        summary = []
        for i, f in enumerate(figs):
            now, before, last_year = s["total"][i], s["previous"][i], s["year_before"][i]
            summary.append({
                "key": f["key"], "label": f["label"], "rate": f["unit"] in RATES,
                "now": cell(f, now, report["area"]["pk"], period),
                "previous": cell(f, before, report["area"]["pk"], previous),
                "year_before": cell(f, last_year, report["area"]["pk"], year_before),
                "vs_previous": change(now, before, f["unit"]), "vs_year_before": change(now, last_year, f["unit"]),
            })
        out.append({**s, "summary": summary,
                     "table": [{"name": r["name"], "code": r["code"], "pk": r["pk"],
                                "cells": cells(r["values"], r["pk"], period)} for r in s["rows"]],
                     "total_cells": cells(s["total"], report["area"]["pk"], period)})
    return out


def charts(report: dict) -> dict:
    """For the page's script: per module, its count figures by sub-area (bars) and each rate (a line)."""
    out = []
    for s in report["sets"]:
        if not s["rows"]:
            continue
        series = [{"name": f["label"], "rate": f["unit"] in RATES,
                   "data": [r["values"][i] if f["unit"] != "rate" or r["values"][i] is None
                            else round(r["values"][i] * 100, 1) for r in s["rows"]]}
                  for i, f in enumerate(s["figures"])]
        out.append({"app": s["app"], "areas": [r["name"] for r in s["rows"]], "series": series[:6]})
    return {"charts": out}


@scoped(Area, "view", kind="list", subset=True)
def figures(request, qs):
    form, area, period = chosen(request)
    report = collect(request.user, area, period)
    previous, year_before = period.previous(), period.year_before()
    query = urlencode({"area": area.pk, **period.query()})
    return render(request, "reports/figures.html", {
        "form": form, "area": area, "period": period, "previous": previous, "year_before": year_before,
        "report": report, "sets": decorate(report, period, previous, year_before), "chart": charts(report),
        "period_query": urlencode(period.query()),
        "export_url": reverse("reports:export") + "?" + query,
        "briefing_url": reverse("reports:briefing_new") + "?" + query,
    })


@scoped(Area, "view", kind="list", subset=True)
def export(request, qs):
    _form, area, period = chosen(request)
    report = collect(request.user, area, period)
    columns = [Column("module", _("Module"), width=18), Column("figure", _("Figure"), width=28),
               Column("now", period.label(), width=14), Column("previous", _("Last period"), width=14),
               Column("year_before", _("Same period last year"), width=18)]
    summary = [[s["label"], f["label"], *(shown(s[k][i], f["unit"]) if f["unit"] in RATES else s[k][i]
                                          for k in ("total", "previous", "year_before"))]
               for s in report["sets"] for i, f in enumerate(s["figures"])]
    sheets = []
    for s in report["sets"]:
        headers = [_("Area"), *(f["label"] for f in s["figures"])]
        rows = [[r["name"], *r["values"]] for r in s["rows"]] + [[_("Total") + f" · {area.name}", *s["total"]]]
        sheets.append((s["label"], headers, rows, [18] + [14] * len(s["figures"])))
    title = f"{area.name} {period.label()}"
    return xlsx_response(write_workbook(columns, summary, title=title, extra_sheets=sheets),
                         dated_name(f"figures-{area.code}"))


@scoped(Area, "view", kind="list", subset=True)
def records(request, qs):
    """The records behind one figure of one area and period, as the declaring module lists them (scoped)."""
    code = request.GET.get("figure", "")
    app, _dot, key = code.partition(".")
    context = {"figure": None, "page": None}
    if code:
        figure_set = next((fs for fs in figure_sets() if fs.app == app), None)
        figure = figure_set.figure(key) if figure_set else None
        area = visible_areas(request.user).filter(pk=request.GET.get("area") or 0).first() \
            if (request.GET.get("area") or "").isdigit() else None
        form = ReportForm({"period": "range", "start": request.GET.get("start"), "end": request.GET.get("end")},
                          user=request.user)
        if figure is None or area is None or not form.is_valid():
            raise Http404
        period = form.cleaned_data["the_period"]
        rows = figure_set.records_of(request.user, area, period.start, period.end, key)
        if rows is None:
            raise Http404
        page = Paginator(rows.order_by("-pk") if not rows.ordered else rows, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"figure": figure, "figure_set": figure_set, "area": area, "period": period, "page": page,
                   "query": query.urlencode(),
                   "back_url": reverse("reports:figures") + "?" + urlencode({"area": area.pk, **period.query()})}
    return render(request, "reports/records.html", context)


SCREEN_REFRESH = 300  # seconds


@scoped(Area, "view", kind="list", subset=True)
def screen(request, qs):
    """The big screen (1920×1080) of the organisation department's hall: this month, refreshed every five
    minutes by the page itself (a meta refresh: no script needed)."""
    from .widgets import red_cases

    _form, area, period = chosen(request)
    report = collect(request.user, area, period)
    return render(request, "reports/screen.html", {
        "area": area, "period": period, "report": report, "refresh": SCREEN_REFRESH,
        "sets": decorate(report, period, period.previous(), period.year_before()), "chart": charts(report),
        "red_cases": red_cases(request.user, area).count(),
    })
