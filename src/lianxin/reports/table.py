"""The figures of every module for an area and a period, as one plain structure (JSON-serialisable).

Read from the app registry (``core.modules.figure_sets``): a module that declares figures appears here without
this app knowing it. The same structure is the figures page, its Excel workbook, and a briefing's frozen
snapshot. For the chosen area: the period, the period before and the same period a year earlier; for each
sub-area (not grids): the period. The chosen area's row is the total row (a rate is not a sum of rates; a count
over the area's subtree also counts records kept at the area itself).
"""

from django.utils import timezone

from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.core.figures import Unit
from lianxin.core.modules import figure_sets
from lianxin.core.treeviews import top_nodes

from .periods import Period


def visible_areas(user):
    """The areas a report may be asked for: visible to the user, grids aside (unless the user sees only grids)."""
    visible = Area.objects.visible_to(user)
    areas = visible.exclude(kind="grid")
    return areas if areas.exists() else visible


def default_area(user) -> Area | None:
    return top_nodes(visible_areas(user)).first()


def children_of(user, area) -> list[Area]:
    return list(Area.objects.visible_to(user).exclude(kind="grid").filter(parent=area).order_by("code"))


def change(now, before, unit):
    """now − before (in percentage points for a rate), None where either is missing."""
    if now is None or before is None:
        return None
    if unit == Unit.RATE:
        return round((now - before) * 100, 1)
    diff = now - before
    return round(diff, 1) if isinstance(diff, float) else diff


def _period(p: Period) -> dict:
    return {"kind": p.kind, "start": p.start.isoformat(), "end": p.end.isoformat(), "label": p.label(),
            "label_zh": p.label_zh()}


def collect(user, area: Area, period: Period, apps: list[str] | None = None) -> dict:
    """Every declared figure set (or those of ``apps``), computed for ``area`` and its sub-areas."""
    children = children_of(user, area)
    previous, year_before = period.previous(), period.year_before()
    sets = []
    for fs in figure_sets():
        if apps is not None and fs.app not in apps:
            continue
        now = fs.compute(user, [area, *children], period.start, period.end)
        before = fs.compute(user, [area], previous.start, previous.end).get(area.pk, {})
        last_year = fs.compute(user, [area], year_before.start, year_before.end).get(area.pk, {})
        keys = fs.keys()
        mine = now.get(area.pk, {})
        sets.append({
            "app": fs.app, "label": str(fs.label),
            "figures": [{"key": f.key, "label": str(f.label), "unit": str(f.unit),
                         "records": fs.records_of(user, area, period.start, period.end, f.key) is not None}
                        for f in fs.figures],
            "rows": [{"pk": c.pk, "name": c.name, "code": c.code,
                      "values": [now.get(c.pk, {}).get(k) for k in keys]} for c in children],
            "total": [mine.get(k) for k in keys],
            "previous": [before.get(k) for k in keys],
            "year_before": [last_year.get(k) for k in keys],
        })
    return {
        "area": {"pk": area.pk, "name": area.name, "code": area.code, "kind": area.kind},
        "period": _period(period), "previous": _period(previous), "year_before": _period(year_before),
        "as_of": timezone.localtime(clock.now()).isoformat(timespec="minutes"),
        "sets": sets,
    }


def ranked(figure_set: dict, key: str) -> list[tuple[str, object]]:
    """(sub-area name, value) by ``key``, highest first, sub-areas without a value left out."""
    index = [f["key"] for f in figure_set["figures"]].index(key)
    rows = [(r["name"], r["values"][index]) for r in figure_set["rows"] if r["values"][index] is not None]
    return sorted(rows, key=lambda r: (-r[1], r[0]))
