"""The statistics page: the indicators of ``stats.compute`` for an area and a period, as tables and charts.

Figures come from case events only (stats.py). The tables carry every number, so the page works without
JavaScript; ECharts (vendored, loaded on this page only) draws the same numbers from a json_script.
"""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import grant_paths, scoped
from lianxin.workdays.calendar import tz

from .models import Case
from .stats import FIGURES, Scope, compute, months_between, stats_area

MAX_MONTHS = 24  # monthly bars: the last 24 months of a longer period
MAX_CHILDREN = 30  # sub-area bars
MAX_DAYS = 3 * 366  # the Excel export's limit too
RATE_SERIES = [
    ("handle_on_time_rate", gettext_lazy("On-time handling rate")),
    ("close_on_time_rate", gettext_lazy("On-time closing rate")),
    ("satisfaction_rate", gettext_lazy("Satisfaction rate")),
]


# ------------------------------------------------------------------ the area a user may see figures of


def case_area_paths(user) -> list[str] | None:
    """Area paths below which ``user`` may view cases (None: everywhere, for superusers)."""
    if user.is_superuser:
        return None
    return grant_paths(user, Case._meta.label_lower, "view")[0]


def case_area(request) -> Area:
    """The chosen area (``?area=``): visible to the user and inside a grant that may view cases.

    Default: the user's top visible area, or else the top area of their case grants. A chosen area out of
    scope answers 404 (stats.stats_area); a user without any case grant gets 403.
    """
    param = request.GET.get("area") or None
    paths = case_area_paths(request.user)
    try:
        area = stats_area(request.user, param)
    except PermissionDenied:
        area = None
    if area is not None and (paths is None or any(area.path.startswith(p) for p in paths)):
        return area
    if param:
        raise Http404
    visible = Area.objects.visible_to(request.user)
    area = visible.filter(path__in=paths or []).order_by("depth", "path").first()
    if area is None:
        raise PermissionDenied
    return area


def area_choices(user, chosen: Area) -> list[tuple[int, str]]:
    """The areas offered in the select (not grids), indented by depth; the chosen one always included."""
    visible = Area.objects.visible_to(user).exclude(kind="grid")
    paths = case_area_paths(user)
    if paths is not None:
        q = Q(pk__in=[])
        for p in paths:
            q |= subtree_q("path", p)
        visible = visible.filter(q)
    rows = list(visible.order_by("path").values_list("pk", "name", "depth")[:3000])
    if chosen.pk not in {pk for pk, _n, _d in rows}:
        rows.insert(0, (chosen.pk, chosen.name, chosen.depth))
    top = min((d for _p, _n, d in rows), default=0)
    return [(pk, "\u2003" * (d - top) + name) for pk, name, d in rows]


# ----------------------------------------------------------------------------------------- the period


def _first_of_month(d: date, back: int = 0) -> date:
    months = d.year * 12 + d.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def quick_periods(today: date) -> list[tuple[str, str, date, date]]:
    """(key, label, start, end) — ``end`` is exclusive, like the Excel export's ``end``."""
    tomorrow = today + timedelta(days=1)
    return [
        ("this_month", _("This month"), _first_of_month(today), tomorrow),
        ("last_month", _("Last month"), _first_of_month(today, 1), _first_of_month(today)),
        ("this_year", _("This year"), date(today.year, 1, 1), tomorrow),
        ("last_12", _("Last 12 months"), _first_of_month(today, 11), tomorrow),
    ]


def quick_links(today: date, params: dict, start: date, end: date) -> list[dict]:
    """The period buttons of a statistics page: {"key", "label", "url", "active"}, the shown period lit once
    (in December "this year" and "the last 12 months" are the same days)."""
    links, lit = [], False
    for key, label, a, b in quick_periods(today):
        active = not lit and (a, b) == (start, end)
        lit = lit or active
        links.append({"key": key, "label": label, "active": active,
                      "url": "?" + urlencode({**params, "start": a.isoformat(), "end": b.isoformat()})})
    return links


def _parse(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def period(request, today: date) -> tuple[date, date]:
    """``start``/``end`` (end exclusive, the export's parameters); default this year up to today included."""
    default = (date(today.year, 1, 1), today + timedelta(days=1))
    raw_start, raw_end = request.GET.get("start"), request.GET.get("end")
    if not raw_start and not raw_end:
        return default
    start, end = _parse(raw_start) or default[0], _parse(raw_end) or default[1]
    if (raw_start and _parse(raw_start) is None) or (raw_end and _parse(raw_end) is None):
        messages.error(request, _("Dates are written YYYY-MM-DD."))
        return default
    if end <= start or (end - start).days > MAX_DAYS:
        messages.error(request, _("Choose a period of up to three years."))
        return default
    return start, end


def moment(d: date, now: datetime) -> datetime:
    """Midnight at the start of ``d`` (local time), but never later than now: a period that runs into the
    future ends now, so "overdue at the end" means overdue today, not by some future midnight."""
    return min(datetime.combine(d, time.min, tzinfo=tz()), now)


# ------------------------------------------------------------------------------------------ the page


def _display(key: str, value) -> str:
    if value is None:
        return "—"
    if key.endswith("_rate"):
        return f"{value * 100:.1f}%"
    return str(value)


def _percent(value):
    return None if value is None else round(value * 100, 1)


def _chart_data(months, children) -> dict:
    return {
        "months": [label for label, _r in months],
        "monthly": {
            "reported": [r["reported"] for _l, r in months],
            "closed": [r["closed"] for _l, r in months],
            "overdue_at_end": [r["overdue_at_end"] for _l, r in months],
        },
        "rates": {key: [_percent(r[key]) for _l, r in months] for key, _label in RATE_SERIES},
        "children": {
            "names": [a.name for a, _r in children],
            "reported": [r["reported"] for _a, r in children],
            "closed": [r["closed"] for _a, r in children],
        },
        "labels": {
            "reported": _("Reported"), "closed": _("Closed"),
            "overdue_at_end": _("Overdue at the end of the month"),
            **{key: str(label) for key, label in RATE_SERIES},
            "percent": _("%"), "cases": _("Cases"),
        },
    }


# subset=True: the page shows figures, not the visible cases themselves (the permission matrix would
# otherwise look for a link to each visible case).
@scoped(Case, "view", kind="list", subset=True)
def stats_page(request, qs):
    area = case_area(request)
    now = clock.now()
    today = clock.today()
    start, end = period(request, today)
    case_type = request.GET.get("type") or None
    scope = Scope(area_path=area.path, case_type=case_type)
    total = compute(moment(start, now), moment(end, now), scope)

    periods = list(months_between(start, end))
    months_cut = len(periods) > MAX_MONTHS
    months = [(f"{a:%Y-%m}", compute(moment(a, now), moment(b, now), scope))
              for a, b in periods[-MAX_MONTHS:] if moment(a, now) < moment(b, now)]

    child_qs = Area.objects.visible_to(request.user).filter(parent=area).order_by("path")
    child_list = list(child_qs[:MAX_CHILDREN + 1])
    children_cut = len(child_list) > MAX_CHILDREN
    children = [(child, compute(moment(start, now), moment(end, now),
                                Scope(area_path=child.path, case_type=case_type)))
                for child in child_list[:MAX_CHILDREN]]

    params = {"area": area.pk, "start": start.isoformat(), "end": end.isoformat()}
    if case_type:
        params["type"] = case_type
    quick = quick_links(today, params, start, end)
    rate_keys = [key for key, _label in RATE_SERIES]
    return render(request, "cases/stats.html", {
        "area": area, "areas": area_choices(request.user, area), "start": start, "end": end,
        "last_day": end - timedelta(days=1), "quick": quick, "total": total,
        "figures": [(key, label, _display(key, total[key])) for key, label in FIGURES],
        "months": [(label, [_display(k, r[k]) for k in ("reported", "closed", "overdue_at_end", *rate_keys)])
                   for label, r in months],
        "months_cut": months_cut, "max_months": MAX_MONTHS,
        "rate_labels": [label for _key, label in RATE_SERIES],
        "children": [(child, [_display(k, r[k]) for k in ("reported", "closed", "overdue_at_end",
                                                            "close_on_time_rate")]) for child, r in children],
        "children_cut": children_cut, "max_children": MAX_CHILDREN,
        "chart": _chart_data(months, children),
        "export_url": reverse("cases:stats_export") + "?" + urlencode(params),
        "map_url": reverse("cases:map") + "?" + urlencode({"area": area.pk}),
    })
