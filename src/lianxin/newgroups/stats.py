"""This app's figures for the organisation department's dashboard (the interface workforce and stations share).

For each area, over the firms the user may view whose location is in the area's subtree:
- firms: firms in the ledger on ``end``;
- org_covered / org_rate: covered by an organisation (own or joint branch) on ``end`` (组织覆盖);
- work_covered / work_rate: an instructor assigned on ``end`` and a visit in the 92 days up to it (工作覆盖);
- meets_rule: firms meeting the coverage rule on ``end``;
- instructors: distinct instructors assigned at some time in [start, end];
- visits: instructor visits dated in [start, end];
- visits_due / visits_on_time: quarterly visit obligations whose grace window closed in [start, end], and how
  many of them were fulfilled;
- closeouts_opened / closeouts_closed: close-out items opened / closed in [start, end]; closeouts_open: still
  open on ``end``.
Rates are percentages with one decimal, None where there is nothing to divide by. Coverage on a past day is
recomputed from the coverage history, never stored.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q
from lianxin.duties.queries import compliance_of

from .models import CloseOutItem, FirmProfile, InstructorAssignment
from .services import VISIT_KIND, History, firm_visits, summarise


def _pct(rate) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _within(paths: list[str], path: str) -> bool:
    return any(path.startswith(p) for p in paths)


def figures(user, areas, start: date, end: date) -> dict[int, dict[str, int | float]]:
    return _compute(user, {a.pk: [a.path] for a in areas}, start, end)


def total(user, areas, start: date, end: date) -> dict[str, int | float]:
    """The figures over ``areas`` taken together (a table's total row): the same records as the areas' rows, so
    each count is the sum of theirs (instructors counted once), and each rate recomputed from the total counts."""
    areas = list(areas)
    return _compute(user, {None: [a.path for a in areas]}, start, end).get(None, {}) if areas else {}


def _compute(user, groups: dict, start: date, end: date) -> dict:
    """The figures of each group of areas (key: the subtrees' paths taken together)."""
    if not groups:
        return {}
    scope = Q(pk__in=[])
    for paths in groups.values():
        for path in paths:
            scope |= subtree_q("org__area__path", path)
    firms = FirmProfile.objects.visible_to(user).filter(scope)
    history = History(firms)
    states = history.as_of(end)
    paths = {pk: path for pk, (_i, path, _m, _s) in history.firms.items()}
    ids = list(paths)
    assignments = list(InstructorAssignment.objects.filter(firm_id__in=ids, started_on__lte=end)
                       .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
                       .values_list("firm_id", "instructor_id"))
    visits = list(firm_visits(firms).filter(done_on__gte=start, done_on__lte=end)
                  .values_list("subject_id", flat=True))
    closeouts = list(CloseOutItem.objects.filter(firm_id__in=ids).values_list("firm_id", "opened_on", "closed_on"))
    out = {}
    for key, group in groups.items():
        mine = [s for s in states if _within(group, s.area_path)]
        summary = summarise(mine)
        in_area = {pk for pk, path in paths.items() if _within(group, path)}
        due = compliance_of(FirmProfile.objects.filter(pk__in=in_area), kind=VISIT_KIND, start=start,
                            end=end + timedelta(days=1))
        out[key] = {
            "firms": summary["firms"], "org_covered": summary["org_covered"], "org_rate": _pct(summary["org_rate"]),
            "work_covered": summary["work_covered"], "work_rate": _pct(summary["work_rate"]),
            "meets_rule": summary["meets_rule"],
            "instructors": len({i for f, i in assignments if f in in_area}),
            "visits": sum(1 for f in visits if f in in_area),
            "visits_due": due["due"], "visits_on_time": due["fulfilled"],
            "closeouts_opened": sum(1 for f, o, _c in closeouts if f in in_area and start <= o <= end),
            "closeouts_closed": sum(1 for f, _o, c in closeouts if f in in_area and c and start <= c <= end),
            "closeouts_open": sum(1 for f, o, c in closeouts if f in in_area and o <= end and (c is None or c > end)),
        }
    return out


FIGURES = FigureSet("newgroups", _("Party coverage"), compute=figures, figures=(
    Figure("firms", _("Firms")),
    Figure("org_covered", _("Covered by an organisation")),
    Figure("org_rate", _("Organisation coverage (%)"), Unit.PERCENT),
    Figure("work_covered", _("Covered by work")),
    Figure("work_rate", _("Work coverage (%)"), Unit.PERCENT),
    Figure("meets_rule", _("Meeting the rule")),
    Figure("instructors", _("Instructors"), Unit.PEOPLE),
    Figure("visits", _("Instructor visits")),
    Figure("visits_due", _("Quarterly visits due")),
    Figure("visits_on_time", _("Quarterly visits done")),
    Figure("closeouts_opened", _("Close-out items opened")),
    Figure("closeouts_closed", _("Close-out items closed")),
    Figure("closeouts_open", _("Close-out items open at the end")),
))

# The dashboard's table groups its columns under these headings (every figure in exactly one group).
GROUPS = (
    (_("Firms and coverage"), ("firms", "org_covered", "org_rate", "work_covered", "work_rate", "meets_rule")),
    (_("Instructors and visits"), ("instructors", "visits", "visits_due", "visits_on_time")),
    (_("Close-out items"), ("closeouts_opened", "closeouts_closed", "closeouts_open")),
)
