"""The case engine's own endpoints. The screens (dispatch board, case page, quick report) build on these."""

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lianxin.areas.models import Area
from lianxin.core.excel import Column, write_workbook, xlsx_response
from lianxin.core.treeviews import top_nodes
from lianxin.core.visibility import scoped
from lianxin.workdays.calendar import tz

from .models import Case
from .stats import FIGURES, Scope, compute


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise Http404(_("Dates are written YYYY-MM-DD.")) from e


def _months(start: date, end: date):
    cursor = start.replace(day=1)
    while cursor < end:
        nxt = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        yield max(cursor, start), min(nxt, end)
        cursor = nxt


def stats_area(request, area_pk: str | None) -> Area:
    """The area whose statistics are asked for: one the user may see (404 otherwise)."""
    visible = Area.objects.visible_to(request.user)
    if area_pk:
        area = visible.filter(pk=area_pk).first() if area_pk.isdigit() else None
        if area is None:
            raise Http404
        return area
    area = top_nodes(visible).first()
    if area is None:
        raise PermissionDenied
    return area


@scoped(Case, "view", kind="list")
def stats_export(request, qs):
    today = date.today()
    start = _day(request.GET.get("start"), date(today.year, 1, 1))
    end = _day(request.GET.get("end"), today)
    if end <= start or (end - start).days > 3 * 366:
        raise Http404(_("Choose a period of up to three years."))
    area = stats_area(request, request.GET.get("area"))
    zone = tz()

    def moment(d: date) -> datetime:
        return datetime.combine(d, time.min, tzinfo=zone)

    scope = Scope(area_path=area.path, case_type=request.GET.get("type") or None)
    periods = list(_months(start, end))
    results = [compute(moment(a), moment(b), scope) for a, b in periods]
    total = compute(moment(start), moment(end), scope)
    columns = [Column("figure", _("Figure"), width=28)]
    columns += [Column(f"m{i}", f"{a:%Y-%m}", width=12) for i, (a, _b) in enumerate(periods)]
    columns += [Column("total", _("Whole period"), width=14)]
    rows = [[str(label)] + [r[key] for r in results] + [total[key]] for key, label in FIGURES]
    content = write_workbook(columns, rows, title=_("Case statistics"))
    return xlsx_response(content, f"case-stats-{area.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx")
