"""Stage clocks: due_at/warn_at are fixed when a stage starts, from the category's limits."""

from datetime import datetime

from django.db.models import Case as SqlCase
from django.db.models import CharField, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.core import configcache
from lianxin.workdays import calendar

from .models import CLOCK_OF_STAGE, DONE_STAGES, Category, TimeLimit, Urgency

# Used when neither the sub-category nor its class sets a limit (DOMAIN.md's ordinary 12345 defaults).
FALLBACK = {
    "accept": (1, "work_days"),
    "dispatch": (4, "work_hours"),
    "handle": (5, "work_days"),
    "verify": (1, "work_days"),
}


def find_limit(category: Category, urgency: str, clock: str, level: str) -> tuple[float, str, float]:
    """(amount, unit, warn_fraction): most specific first — level, then urgency, then the parent class."""
    cats = [category] + ([category.parent] if category.parent_id else [])
    by_category = configcache.get("time_limits", _load_limits)
    limits = [lim for cat in cats for lim in by_category.get((cat.pk, clock), ()) if lim.level in (level, "")]
    for cat in cats:
        for urg in (urgency, Urgency.NORMAL):
            for lvl in (level, ""):
                for lim in limits:
                    if lim.category_id == cat.pk and lim.urgency == urg and lim.level == lvl:
                        return float(lim.amount), lim.unit, float(lim.warn_fraction)
    amount, unit = FALLBACK[clock]
    return amount, unit, 0.25


def _load_limits() -> dict:
    """Every time limit by (category id, clock): a per-process snapshot (core.configcache)."""
    by_category = {}
    for lim in TimeLimit.objects.all():
        by_category.setdefault((lim.category_id, lim.stage), []).append(lim)
    return by_category


def start_clock(case, stage: str, now: datetime) -> None:
    """Set the case's stage and, for an open stage, its deadline and warning time."""
    case.stage = stage
    case.stage_started_at = now
    if stage in DONE_STAGES or stage not in CLOCK_OF_STAGE:
        case.due_at = case.warn_at = None
        return
    amount, unit, warn_fraction = find_limit(case.category, case.urgency, CLOCK_OF_STAGE[stage], case.level)
    case.due_at, case.warn_at = calendar.due_and_warn(now, amount, unit, warn_fraction)
    case.limit_working = unit in calendar.LimitUnit.WORKING


class Colour:
    BLUE = "blue"
    YELLOW = "yellow"
    RED = "red"
    PARKED = "parked"
    CLOSED_ON_TIME = "closed_on_time"
    CLOSED_LATE = "closed_late"
    DONE = "done"


def colour_expression(now: datetime):
    """The alert colour as SQL, derived from stored deadlines and ``now`` (never stored)."""
    return SqlCase(
        When(stage__in=DONE_STAGES, closed_late=True, then=Value(Colour.CLOSED_LATE)),
        When(stage="closed", then=Value(Colour.CLOSED_ON_TIME)),
        When(stage__in=DONE_STAGES, then=Value(Colour.DONE)),
        When(parked=True, then=Value(Colour.PARKED)),
        When(Q(due_at__lt=now), then=Value(Colour.RED)),
        When(Q(warn_at__lte=now), then=Value(Colour.YELLOW)),
        default=Value(Colour.BLUE),
        output_field=CharField(),
    )


def colour_q(colour: str, now: datetime) -> Q:
    """The rows of one colour as plain conditions (index-friendly), equal to filtering on colour_expression."""
    open_ = ~Q(stage__in=DONE_STAGES)
    not_red = Q(due_at__isnull=True) | Q(due_at__gte=now)
    conditions = {
        Colour.RED: open_ & Q(parked=False, due_at__lt=now),
        Colour.YELLOW: open_ & Q(parked=False, warn_at__lte=now) & not_red,
        Colour.BLUE: open_ & Q(parked=False) & not_red & (Q(warn_at__isnull=True) | Q(warn_at__gt=now)),
        Colour.PARKED: open_ & Q(parked=True),
        Colour.CLOSED_LATE: Q(stage__in=DONE_STAGES, closed_late=True),
        Colour.CLOSED_ON_TIME: Q(stage="closed", closed_late=False),
        Colour.DONE: Q(stage__in=DONE_STAGES, closed_late=False) & ~Q(stage="closed"),
    }
    return conditions.get(colour, Q(pk__in=[]))


def colour_of(case, now: datetime) -> str:
    if case.stage in DONE_STAGES:
        if case.closed_late:
            return Colour.CLOSED_LATE
        return Colour.CLOSED_ON_TIME if case.stage == "closed" else Colour.DONE
    if case.parked:
        return Colour.PARKED
    if case.due_at and now > case.due_at:
        return Colour.RED
    if case.warn_at and now >= case.warn_at:
        return Colour.YELLOW
    return Colour.BLUE


def duration_text(minutes: int) -> str:
    """A span as people say it: "45 minutes", "5 h 20 min", "3 days 4 h" (never "1723 minutes")."""
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        if rest and hours < 10:
            return _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
        return _("%(h)d h") % {"h": hours}
    days, rest = divmod(minutes, 24 * 60)
    hours = rest // 60
    if hours and days < 10:
        return ngettext("%(d)d day %(h)d h", "%(d)d days %(h)d h", days) % {"d": days, "h": hours}
    return ngettext("%(d)d day", "%(d)d days", days) % {"d": days}


def time_left(case, now: datetime) -> dict | None:
    """{"late", "text"} of the running stage clock; None when no clock runs (no deadline, parked, ended)."""
    if not case.due_at or case.parked or case.stage in DONE_STAGES:
        return None
    minutes = int((case.due_at - now).total_seconds() // 60)
    span = duration_text(abs(minutes))
    text = _("%(span)s overdue") if minutes < 0 else _("%(span)s left")
    return {"late": minutes < 0, "text": text % {"span": span}}
