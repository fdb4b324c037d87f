"""Figures of the village work (嘉祥 X1/X2), for any areas and period.

``figures(user, areas, start, end)``: for each area (by pk), over the records ``user`` may view in the area's
subtree, for the local days ``start`` to ``end`` (both included):

- households visited (distinct households with a visit dated in the period) and visits;
- must-visit coverage: must-visit households (active, in an active must-visit category) visited in the period /
  must-visit households (None without any);
- problems filed as cases from visit answers in the period, and of those the ones closed (solved) by now;
- villages (with a profile) meeting the collective-income target (100,000 yuan), and villages profiled;
- plans, industry projects and research reports dated in the period.
"""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q

from .models import INCOME_TARGET, AssistancePlan, Household, IndustryProject, ResearchReport, VillageProfile, Visit


def must_visit_households(qs):
    return qs.filter(active=True, categories__active=True).distinct()


def figures(user, areas, start: date, end: date) -> dict[int, dict[str, int | float | None]]:
    visits = Visit.objects.visible_to(user).filter(visited_on__gte=start, visited_on__lte=end)
    households = Household.objects.visible_to(user)
    profiles = VillageProfile.objects.visible_to(user)
    dossiers = {key: model.objects.visible_to(user).filter(start_on__gte=start, start_on__lte=end)
                for key, model in (("plans", AssistancePlan), ("projects", IndustryProject),
                                   ("reports", ResearchReport))}
    out = {}
    for area in areas:
        within = subtree_q("area__path", area.path)
        v = visits.filter(within).aggregate(n=Count("pk"), households=Count("household", distinct=True))
        must = must_visit_households(households.filter(within))
        must_n = must.count()
        covered = must.filter(visits__visited_on__gte=start, visits__visited_on__lte=end).distinct().count()
        cased = visits.filter(within, answers__case__isnull=False).aggregate(
            n=Count("answers__case", distinct=True),
            closed=Count("answers__case", distinct=True, filter=Q(answers__case__stage="closed")))
        p = profiles.filter(within).aggregate(n=Count("pk"), met=Count("pk", filter=Q(
            collective_income__gte=INCOME_TARGET)))
        row = {
            "households_visited": v["households"], "visits": v["n"],
            "must_visit_coverage": covered / must_n if must_n else None,
            "problems_filed": cased["n"], "problems_solved": cased["closed"],
            "villages": p["n"], "villages_income_target": p["met"],
        }
        for key, qs in dossiers.items():
            row[key] = qs.filter(within).count()
        out[area.pk] = row
    return out


FIGURES = FigureSet("villages", _("First secretaries in villages"), compute=figures, figures=(
    Figure("households_visited", _("Households visited"), Unit.HOUSEHOLDS),
    Figure("visits", _("Visits")),
    Figure("must_visit_coverage", _("Must-visit coverage"), Unit.RATE),
    Figure("problems_filed", _("Problems filed as cases from visits")),
    Figure("problems_solved", _("Problems solved (cases closed)")),
    Figure("villages", _("Villages profiled")),
    Figure("villages_income_target", _("Villages meeting the collective-income target")),
    Figure("plans", _("Assistance plans")),
    Figure("projects", _("Industry projects")),
    Figure("reports", _("Research reports")),
))
