"""Learning figures for dashboards and the figures page, computed from the records (never stored).

``figures(user, areas, start, end)``: for each area (by pk), over what ``user`` may view in the area's subtree,
for the local days ``start`` to ``end`` (both included): items published in the period by that area's levels,
distinct readers and effective reads of readers living there, and assigned study (owed: members' study duties
due in the period; done: those fulfilled by an effective read)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q
from lianxin.duties import queries as duty_queries
from lianxin.workdays.calendar import tz

from .models import Category, Item, Read, Status, StudyDuty


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time.min, tzinfo=tz()),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz()))


def published(user, lo, hi):
    return Item.objects.visible_to(user).filter(status__in=(Status.PUBLISHED, Status.WITHDRAWN),
                                                publish_at__gte=lo, publish_at__lt=hi)


def study_duties(user):
    return StudyDuty.objects.filter(assignment__in=_assignments(user))


def _assignments(user):
    from .models import StudyAssignment

    return StudyAssignment.objects.visible_to(user).values("pk")


def study_figures(studies, start: date, end: date) -> dict:
    obligations = duty_queries.obligations_of(studies, kind="study").filter(
        cancelled_at__isnull=True, period_start__lte=end, plan__due_date__gte=start, plan__due_date__lte=end)
    agg = obligations.aggregate(owed=Count("pk"), done=Count("pk", filter=Q(fulfilled_by__isnull=False)))
    owed, done = agg["owed"], agg["done"]
    return {"study_owed": owed, "study_done": done, "study_rate": round(done / owed, 4) if owed else None}


def figures(user, areas, start: date, end: date) -> dict[int, dict]:
    lo, hi = bounds(start, end)
    items = published(user, lo, hi)
    reads = Read.objects.visible_to(user).filter(day__gte=start, day__lte=end)
    studies = study_duties(user)
    out = {}
    for area in areas:
        r = reads.filter(subtree_q("area__path", area.path)).aggregate(
            n=Count("pk"), readers=Count("user", distinct=True))
        out[area.pk] = {
            "items_published": items.filter(subtree_q("area__path", area.path)).count(),
            "readers": r["readers"], "effective_reads": r["n"],
            **study_figures(studies.filter(subtree_q("person__area__path", area.path)), start, end),
        }
    return out


def by_category(user, area, start: date, end: date) -> list[tuple[Category, int]]:
    """Items published in the period under each top-level category (its subtree), in the area's subtree."""
    lo, hi = bounds(start, end)
    items = published(user, lo, hi).filter(subtree_q("area__path", area.path))
    counts = dict(items.values_list("category__path").annotate(n=Count("pk")))
    rows = []
    for top in Category.objects.filter(parent__isnull=True).order_by("position", "pk"):
        rows.append((top, sum(n for path, n in counts.items() if path.startswith(top.path))))
    return rows


def by_branch(user, area, start: date, end: date) -> list[dict]:
    """Readers and effective reads per organisation (branch) of readers living in the area, with study."""
    reads = Read.objects.visible_to(user).filter(subtree_q("area__path", area.path), day__gte=start, day__lte=end,
                                                 org__isnull=False)
    rows = {r["org"]: {"org": r["org__name"], "org_id": r["org"], "readers": r["readers"], "reads": r["n"]}
            for r in reads.values("org", "org__name").annotate(n=Count("pk"), readers=Count("user", distinct=True))}
    studies = study_duties(user).filter(subtree_q("person__area__path", area.path))
    for org_id, name in studies.values_list("org", "org__name").distinct():
        row = rows.setdefault(org_id, {"org": name, "org_id": org_id, "readers": 0, "reads": 0})
        row.update(study_figures(studies.filter(org_id=org_id), start, end))
    return sorted(rows.values(), key=lambda r: (-r["reads"], r["org"]))


FIGURES = FigureSet("learning", _("Learning library"), compute=figures, figures=(
    Figure("items_published", _("Items published")),
    Figure("readers", _("Readers"), Unit.PEOPLE),
    Figure("effective_reads", _("Effective reads"), Unit.PERSON_TIMES),
    Figure("study_owed", _("Assigned study owed"), Unit.PERSON_TIMES),
    Figure("study_done", _("Assigned study done"), Unit.PERSON_TIMES),
    Figure("study_rate", _("Assigned study completion"), Unit.RATE),
))
