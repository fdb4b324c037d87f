"""The case engine's declared figures (``CasesConfig.figures``): the handful of ``stats.compute`` indicators
that reports and briefings put beside the other modules'. Formulas are those of ``stats`` (docs/CASES.md).

Case statistics are counted by area from the events (``stats``), not per record the user may see, so an area
gets figures only if it lies inside the user's case grants (None otherwise: nothing is shown rather than
figures of records the user may not open). Records: the cases reported in the period and the cases closed in it.
"""

from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q
from lianxin.core.visibility import grant_paths
from lianxin.workdays.calendar import tz

from .models import Case, CaseEvent, Stage
from .stats import CLOSING, Scope, compute

KEYS = ("reported", "closed", "closed_on_time", "close_on_time_rate", "satisfaction_rate", "overdue_at_end")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz())


def _allowed(user, area) -> bool:
    if user.is_superuser:
        return True
    paths = grant_paths(user, Case._meta.label_lower, "view")[0]
    return any(area.path.startswith(p) for p in paths)


def figures(user, areas, start: date, end: date) -> dict[int, dict]:
    lo, hi = _midnight(start), _midnight(end + timedelta(days=1))
    out = {}
    for area in areas:
        if not _allowed(user, area):
            out[area.pk] = dict.fromkeys(KEYS)
            continue
        values = compute(lo, hi, Scope(area_path=area.path))
        out[area.pk] = {key: values[key] for key in KEYS}
    return out


def records(user, area, start: date, end: date, key: str):
    lo, hi = _midnight(start), _midnight(end + timedelta(days=1))
    cases = Case.objects.visible_to(user).filter(subtree_q("area__path", area.path))
    if key == "reported":
        return cases.filter(created_at__gte=lo, created_at__lt=hi)
    if key == "closed":
        closing = CaseEvent.objects.filter(kind__in=CLOSING, to_stage=Stage.CLOSED, at__gte=lo, at__lt=hi)
        return cases.filter(pk__in=closing.values("case_id"))
    return None


FIGURES = FigureSet("cases", _("Cases"), compute=figures, records=records, figures=(
    Figure("reported", _("Reported")),
    Figure("closed", _("Closed")),
    Figure("closed_on_time", _("Closed on time")),
    Figure("close_on_time_rate", _("On-time closing rate"), Unit.RATE),
    Figure("satisfaction_rate", _("Satisfaction rate"), Unit.RATE),
    Figure("overdue_at_end", _("Overdue at the end of the period")),
))
