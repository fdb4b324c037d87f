"""Read helpers over cases and duties for the problem-collector leaderboard and the statistics.

Cases are always read through ``Case.objects.visible_to(user)``; a worker's problems are the cases whose
reporter account belongs to a person with a worker profile.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef

from lianxin.areas.models import Area
from lianxin.cases.models import Case, CaseEvent, CloseResult, Stage
from lianxin.core.trees import subtree_q
from lianxin.workdays.calendar import tz


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time."""
    zone = tz()
    return datetime.combine(start, time.min, tzinfo=zone), datetime.combine(end + timedelta(days=1), time.min,
                                                                             tzinfo=zone)


def worker_cases(user, start: date, end: date, area_path: str | None = None):
    """Cases reported in [start, end] by workers, as far as ``user`` may see them."""
    a, b = bounds(start, end)
    qs = Case.objects.visible_to(user).filter(reporter__person__worker__isnull=False, created_at__gte=a,
                                              created_at__lt=b)
    if area_path:
        qs = qs.filter(subtree_q("area__path", area_path))
    return qs


def _county_id(path: str) -> int | None:
    parts = [p for p in path.strip("/").split("/") if p]
    return int(parts[1]) if len(parts) > 1 else None


def leaderboard(user, start: date, end: date, area_path: str | None = None) -> dict:
    """Reported / accepted / handled (closed as fixed) per worker, per firm and per county."""
    accepted = Exists(CaseEvent.objects.filter(case=OuterRef("pk"), kind="accept"))
    rows = (worker_cases(user, start, end, area_path).annotate(was_accepted=accepted)
            .values_list("reporter__person__worker", "reporter__person__name", "reporter__person__worker__org",
                         "reporter__person__worker__org__name", "area__path", "stage", "close_result",
                         "was_accepted"))
    workers = defaultdict(lambda: {"reported": 0, "accepted": 0, "handled": 0})
    firms = defaultdict(lambda: {"reported": 0, "accepted": 0, "handled": 0})
    counties = defaultdict(lambda: {"reported": 0, "accepted": 0, "handled": 0})
    names, firm_names = {}, {}
    for worker_id, name, firm_id, firm_name, path, stage, result, was_accepted in rows:
        handled = stage == Stage.CLOSED and result == CloseResult.FIXED
        names[worker_id], firm_names[firm_id] = (name, firm_id), firm_name
        for bucket in (workers[worker_id], firms[firm_id], counties[_county_id(path)]):
            bucket["reported"] += 1
            bucket["accepted"] += bool(was_accepted)
            bucket["handled"] += handled
    county_names = dict(Area.objects.filter(pk__in=[c for c in counties if c]).values_list("pk", "name"))

    def ranked(d, label):
        out = [{"pk": k, "name": label(k), **v} for k, v in d.items()]
        return sorted(out, key=lambda r: (-r["handled"], -r["reported"], str(r["name"])))

    return {
        "workers": [dict(r, firm=firm_names.get(names[r["pk"]][1], "")) for r in
                    ranked(workers, lambda k: names[k][0])],
        "firms": ranked(firms, lambda k: firm_names.get(k, "")),
        "counties": ranked(counties, lambda k: county_names.get(k, "")),
        "total": {key: sum(v[key] for v in workers.values()) for key in ("reported", "accepted", "handled")},
    }


def campaign_areas(campaign):
    """Where a campaign's deliveries may be logged: its area and the towns and communities below (names only)."""
    return (Area.objects.filter(subtree_q("path", campaign.area.path)).exclude(kind="grid")
            .order_by("path"))


def with_totals(campaigns):
    """Campaigns with their team size and delivery totals (subqueries: joining both would multiply sums)."""
    from django.db.models import Count, IntegerField, Subquery, Sum
    from django.db.models.functions import Coalesce

    from .models import Campaign, Delivery

    def total(expr):
        return Coalesce(Subquery(Delivery.objects.filter(campaign=OuterRef("pk")).values("campaign")
                                 .annotate(v=expr).values("v"), output_field=IntegerField()), 0)

    team = Coalesce(Subquery(Campaign.promoters.through.objects.filter(campaign=OuterRef("pk"))
                             .values("campaign").annotate(v=Count("pk")).values("v"),
                             output_field=IntegerField()), 0)
    return campaigns.annotate(households=total(Sum("households")), flyers=total(Sum("flyers")),
                              rounds=total(Count("pk")), team=team)


NEED_ROLES = ("resident", "community_staff", "town_staff", "county_staff", "administrator")


def need_areas(user):
    """Communities where the user may post a 双报到 need: below their own grants' areas (names only)."""
    from django.db.models import Q

    from lianxin.core.visibility import user_grants

    if user.is_superuser:
        return Area.objects.filter(kind="community").order_by("path")
    q = Q(pk__in=[])
    for g in user_grants(user):
        if g.area_id and g.role in NEED_ROLES:
            q |= subtree_q("path", g.area.path) if g.area.kind != "grid" else Q(pk=g.area.parent_id)
    return Area.objects.filter(kind="community").filter(q).order_by("path")


def community_by_code(text: str):
    """A community by its division code (or exact name): a directory lookup of public names, for choosing where a
    worker lives; whether the user may add the record there is checked on the record (ensure_created_in_scope)."""
    text = (text or "").strip()
    if not text:
        return None
    qs = Area.objects.filter(kind="community")
    return qs.filter(code=text).first() or qs.filter(name=text).first()
