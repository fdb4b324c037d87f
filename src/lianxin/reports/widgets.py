"""The leaders' home page (county and city roles): red cases and overdue duties now,
the sub-areas with the most red cases, and a link to every module's figures on /reports/."""

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import OPEN_STAGES, Case
from lianxin.core import clock
from lianxin.core.trees import subtree_q
from lianxin.core.widgets import Widget, register_widget
from lianxin.duties import services as duties
from lianxin.duties.models import Obligation

from .forms import default_period
from .table import children_of, default_area

LEADERS = {"county_staff", "org_department", "administrator"}
BOTTOM = 3


def red_cases(user, area=None):
    qs = Case.objects.visible_to(user).filter(stage__in=OPEN_STAGES, parked=False, due_at__lt=clock.now())
    return qs.filter(subtree_q("area__path", area.path)) if area is not None else qs


def _red_by_subarea(user, area, children) -> tuple[int, list[tuple[str, int]]]:
    """The red cases under ``area`` and per child area, from one grouped query (a constant cost on the home page)."""
    counts = red_cases(user, area).order_by().values_list("area__path").annotate(n=Count("pk"))
    total, per_child = 0, {c.pk: 0 for c in children}
    for path, n in counts:
        total += n
        for c in children:
            if path.startswith(c.path):
                per_child[c.pk] += n
                break
    return total, [(c.name, per_child[c.pk]) for c in children]


def leaders(request) -> dict:
    """Cheap and bounded: red cases, overdue duties and the sub-areas with most red cases; every module's figures
    are one link away on /reports/ (computing them all here cost a query set per module)."""
    user = request.user
    area = default_area(user)
    if area is None:
        return {"area": None}
    period = default_period()
    total, per_child = _red_by_subarea(user, area, children_of(user, area))
    bottom = sorted(per_child, key=lambda r: (-r[1], r[0]))
    return {
        "area": area, "period": period,
        "red_cases": total, "red_url": reverse("cases:board") + "?colour=red&open=on",
        "overdue_duties": duties.overdue(Obligation.objects.visible_to(user).filter(
            subtree_q("area__path", area.path))).count(),
        "bottom": [r for r in bottom if r[1]][:BOTTOM],
        "reports_url": reverse("reports:figures"),
        "figures_url": reverse("reports:figures") + "?" + urlencode({"area": area.pk, **period.query()}),
        "screen_url": reverse("reports:screen"),
    }


register_widget(Widget("reports_leaders", _("At a glance"), LEADERS, leaders, "reports/widget_leaders.html"))
