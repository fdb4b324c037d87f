"""Consultation figures for dashboards, the figures page and the Excel export.

``figures(user, areas, start, end)``: for each area (by pk), over the records ``user`` may view in the area's
subtree, for the local days ``start`` to ``end`` (both included): topics raised, supports given (附议), topics
discussed (votes closed at a meeting), decisions made, decisions done (the last follow-up task closed in the
period), participation (members present or by proxy / members expected, meetings held in the period), ratings
and satisfaction ((5 stars + 0.9 × 4 stars) / ratings, as the case engine counts it).
"""

from datetime import timedelta

from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q

from .models import AgendaItem, Attendance, Decision, Meeting, Presence, Rating, Support, Topic
from .queries import bounds
from .services import satisfaction


def figures(user, areas, start, end) -> dict[int, dict]:
    lo, hi = bounds(start, end + timedelta(days=1))
    topics = Topic.objects.visible_to(user)
    meetings = Meeting.objects.visible_to(user)
    decisions = Decision.objects.visible_to(user)
    out = {}
    for area in areas:
        here = subtree_q("area__path", area.path)
        mine = topics.filter(here)
        raised = mine.filter(created_at__gte=lo, created_at__lt=hi).count()
        supported = Support.objects.filter(topic__in=mine, at__gte=lo, at__lt=hi).count()
        held = meetings.filter(here)
        discussed = AgendaItem.objects.filter(meeting__in=held, decided_at__gte=lo, decided_at__lt=hi).count()
        ds = decisions.filter(here)
        decided = ds.filter(decided_at__gte=lo, decided_at__lt=hi).count()
        done = (ds.annotate(n=Count("tasks"), closed=Count("tasks", filter=Q(tasks__case__stage="closed")),
                            last=Max("tasks__case__closed_at"))
                .filter(n__gt=0, closed=F("n"), last__gte=lo, last__lt=hi).count())
        att = Attendance.objects.filter(meeting__in=held.filter(
            items__decided_at__gte=lo, items__decided_at__lt=hi).distinct()).aggregate(
            expected=Count("pk"), came=Count("pk", filter=Q(presence__in=(Presence.PRESENT, Presence.PROXY))))
        stars = list(Rating.objects.filter(decision__in=ds, at__gte=lo, at__lt=hi).values_list("stars", flat=True))
        out[area.pk] = {
            "raised": raised, "supported": supported, "discussed": discussed, "decided": decided, "done": done,
            "participation": att["came"] / att["expected"] if att["expected"] else None,
            "ratings": len(stars), "satisfaction": satisfaction(stars),
        }
    return out


FIGURES = FigureSet("consultation", _("Resident consultation"), compute=figures, figures=(
    Figure("raised", _("Topics raised")),
    Figure("supported", _("Supports given"), Unit.PERSON_TIMES),
    Figure("discussed", _("Topics discussed")),
    Figure("decided", _("Decisions made")),
    Figure("done", _("Decisions done")),
    Figure("participation", _("Members' participation"), Unit.RATE),
    Figure("ratings", _("Ratings")),
    Figure("satisfaction", _("Satisfaction"), Unit.RATE),
))
