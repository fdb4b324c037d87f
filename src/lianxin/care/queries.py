"""Reads shared by the care pages and widgets (always through visible_to)."""

from datetime import date, datetime, timedelta

from lianxin.core import clock
from lianxin.core.clock import today
from lianxin.duties.models import Obligation
from lianxin.duties.periods import midnight
from lianxin.duties.queries import obligations_of, subjects_of
from lianxin.duties.status import Status, with_status

from .models import Retiree


def care_obligations(user):
    """Obligations of retiree duty plans that ``user`` may see."""
    return obligations_of(Retiree, qs=Obligation.objects.visible_to(user))


def my_obligations(user) -> list[Obligation]:
    """The user's open obligations whose period has started (due this month, or overdue), most urgent first,
    each with ``status`` (blue/yellow/red) and ``retiree``."""
    now = clock.now()
    qs = with_status(care_obligations(user).filter(owner=user, period_start__lte=today()), now)
    rows = list(qs.filter(status__in=Status.OPEN).select_related("plan").order_by("due_at", "pk"))
    retirees = subjects_of(rows, Retiree.objects.visible_to(user).select_related("person", "person__area"))
    out = []
    for o in rows:
        o.retiree = retirees.get(o.pk)
        if o.retiree is not None:
            out.append(o)
    order = {Status.RED: 0, Status.YELLOW: 1, Status.BLUE: 2}
    out.sort(key=lambda o: (order[o.status], o.due_at, o.pk))
    return out


PERIODS = ("month", "quarter", "year")


def period_bounds(kind: str, on: date) -> tuple[date, date]:
    """[start, end) of the month, quarter or year containing ``on``."""
    if kind == "year":
        return date(on.year, 1, 1), date(on.year + 1, 1, 1)
    months = 3 if kind == "quarter" else 1
    first_month = (on.month - 1) // months * months + 1
    start = date(on.year, first_month, 1)
    month = first_month + months
    end = date(on.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return start, end


def far_after(end: date) -> datetime:
    """A moment after every grace window of periods ending by ``end``: compliance then counts every obligation
    of the period, open ones as not (yet) done."""
    return max(clock.now(), midnight(end) + timedelta(days=400))
