"""Retired-cadre care's declared figures (``CareConfig.figures``), for reports and briefings.

For each area, over the retirees and duty obligations ``user`` may view in the area's subtree, for the local
days ``start`` to ``end`` (both included): living retirees (now), contacts and visits due in the period and
done (obligations whose period ends in it; open ones count as not done, as on the care statistics page), health
follow-ups done, per-person plan updates dated in the period, honour ceremonies held. Records: the retirees, and
those whose ceremony was held in the period.
"""

from datetime import date, timedelta

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q
from lianxin.duties import services as duties
from lianxin.duties.periods import midnight

from . import services
from .models import Retiree, RetirementItem
from .queries import care_obligations, far_after


def _retirees(user, area):
    return Retiree.objects.visible_to(user).exclude(status="deceased").filter(
        subtree_q("person__area__path", area.path))


def _ceremonies(user, area, start: date, end: date):
    return _retirees(user, area).filter(
        retirement_steps__item=RetirementItem.CEREMONY, retirement_steps__done_on__gte=start,
        retirement_steps__done_on__lte=end).distinct()


def figures(user, areas, start: date, end: date) -> dict[int, dict]:
    after = end + timedelta(days=1)
    moment = far_after(after)
    base = care_obligations(user).filter(due_at__gt=midnight(start), due_at__lte=midnight(after))
    out = {}
    for area in areas:
        obligations = base.filter(subtree_q("area__path", area.path))
        contact = duties.compliance(obligations, kind="contact", now=moment)
        visit = duties.compliance(obligations, kind="visit", now=moment)
        followup = duties.compliance(obligations, kind=services.FOLLOWUP, now=moment)
        retirees = _retirees(user, area)
        out[area.pk] = {
            "retirees": retirees.count(),
            "contacts_due": contact["due"], "contacts_done": contact["fulfilled"],
            "visits_due": visit["due"], "visits_done": visit["fulfilled"],
            "followups_done": followup["fulfilled"],
            "plan_updates": retirees.filter(plan_entries__on__gte=start, plan_entries__on__lte=end).aggregate(
                n=Count("plan_entries"))["n"],
            "ceremonies": _ceremonies(user, area, start, end).count(),
        }
    return out


def records(user, area, start: date, end: date, key: str):
    if key == "retirees":
        return _retirees(user, area).select_related("person")
    if key == "ceremonies":
        return _ceremonies(user, area, start, end).select_related("person")
    return None


FIGURES = FigureSet("care", _("Retired cadre care"), compute=figures, records=records, figures=(
    Figure("retirees", _("Retirees"), Unit.PEOPLE),
    Figure("contacts_due", _("Contacts due")),
    Figure("contacts_done", _("Contacts done")),
    Figure("visits_due", _("Visits due")),
    Figure("visits_done", _("Visits done")),
    Figure("followups_done", _("Health follow-ups done")),
    Figure("plan_updates", _("Plan updates")),
    Figure("ceremonies", _("Honour ceremonies"), Unit.PEOPLE),
))
