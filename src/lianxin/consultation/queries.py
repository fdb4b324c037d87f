"""Reads shared by the pages: rows that hang off a scoped record the view already holds, and the public page's
records (decided matters of one community, nothing personal)."""

from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Prefetch

from lianxin.workdays.calendar import tz

from .models import Decision, DecisionTask, Rating, Support


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end) in days as local midnights."""
    return datetime.combine(start, time.min, tzinfo=tz()), datetime.combine(end, time.min, tzinfo=tz())


def supported_by(user):
    return Exists(Support.objects.filter(topic=OuterRef("pk"), user=user))


def council_stars(council, lo, hi) -> list[int]:
    return list(Rating.objects.filter(decision__council=council, at__gte=lo, at__lt=hi).values_list("stars", flat=True))


def public_decisions(area):
    """Decisions of a community, published once made: what, by whom (units), how far, when done."""
    tasks = DecisionTask.objects.select_related("case__lead_org").only(
        "decision_id", "case__stage", "case__due_at", "case__closed_at", "case__lead_org__name", "case__title")
    return (Decision.objects.filter(area=area, decided_at__isnull=False)
            .select_related("topic", "council").only(
                "pk", "text", "decided_at", "objection_until", "major", "step", "topic__title", "council__name")
            .prefetch_related(Prefetch("tasks", queryset=tasks))
            .order_by("-decided_at", "-pk"))


def public_stars(area) -> list[int]:
    return list(Rating.objects.filter(decision__area=area).values_list("stars", flat=True))


def communities_with_decisions():
    from lianxin.areas.models import Area

    return (Area.objects.filter(kind="community", pk__in=Decision.objects.filter(decided_at__isnull=False)
                                .values("area_id")).order_by("path"))


def community(code: str):
    from lianxin.areas.models import Area

    return Area.objects.filter(kind="community", code=code).first()



def raise_areas(user, label: str = "consultation.topic", action: str = "add"):
    """Where ``user`` may raise a topic (or open a council): the communities within their grants, and the grid
    itself for a grant at a grid (a grid worker). Area names only; residents hold no area rights of their own."""
    from django.db.models import Q

    from lianxin.areas.models import Area
    from lianxin.core.trees import subtree_q
    from lianxin.core.visibility import grant_paths

    qs = Area.objects.filter(kind="community")
    if user.is_superuser:
        return qs.order_by("path")
    q = Q(pk__in=[])
    for p in grant_paths(user, label, action)[0]:
        q |= (Q(kind="community") & subtree_q("path", p)) | Q(path=p, kind="grid")
    return Area.objects.filter(q).order_by("path")


def units_for(user, area):
    """The units a decision's task may go to: the organisations ``user`` sees, and the departments and units
    anchored at the areas above the decision's community (town offices, county departments). Names only."""
    from django.db.models import Q

    from lianxin.orgs.models import Org

    above = [int(x) for x in area.path.strip("/").split("/") if x]
    return (Org.objects.filter(Q(pk__in=Org.objects.visible_to(user).values("pk")) | Q(area_id__in=above))
            .filter(is_active=True).order_by("name"))
