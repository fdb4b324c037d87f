"""Figures of this module for the organisation department's dashboard (lianxin.newgroups).

``figures(user, areas, start, end)`` gives, per area (by pk), figures over what ``user`` may view in the area's
subtree for the period [start, end]. Counts of people and registrations are those active at any time in the
period; service, delivery and case figures count what happened in it (from case events, duty obligations and
delivery logs, never a copy).
"""

from datetime import date

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Case, CaseEvent, CloseResult, Stage
from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q
from lianxin.duties import services as duties
from lianxin.duties.models import Obligation

from .models import Campaign, Delivery, Registration, RegKind, Worker
from .queries import bounds
from .types import FEEDBACK_KIND, SERVICE


def _active(qs, start: date, end: date, since: str, until: str):
    return qs.filter(**{f"{since}__lte": end}).filter(Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__gte": start}))


def figures(user, areas, start: date, end: date) -> dict[int, dict[str, int | float]]:
    a, b = bounds(start, end)
    workers = Worker.objects.visible_to(user).filter(created_at__lt=b)
    regs = _active(Registration.objects.visible_to(user), start, end, "registered_on", "ended_on")
    cases = Case.objects.visible_to(user)
    service_events = CaseEvent.objects.filter(case__type=SERVICE, case__in=cases.filter(type=SERVICE), at__gte=a,
                                              at__lt=b)
    worker_cases = cases.filter(reporter__person__worker__isnull=False)
    handled = worker_cases.filter(stage=Stage.CLOSED, close_result=CloseResult.FIXED, closed_at__gte=a,
                                  closed_at__lt=b)
    obligations = Obligation.objects.visible_to(user).filter(plan__kind=FEEDBACK_KIND)
    campaigns = Campaign.objects.visible_to(user).filter(starts_on__lte=end, ends_on__gte=start)
    deliveries = Delivery.objects.visible_to(user).filter(done_on__gte=start, done_on__lte=end)
    out = {}
    for area in areas:
        path = area.path
        mine = workers.filter(subtree_q("area__path", path))
        w = mine.aggregate(
            workers=Count("pk", distinct=True),
            party_workers=Count("pk", filter=Q(person__is_party_member=True), distinct=True),
            collectors=Count("pk", filter=Q(is_collector=True), distinct=True),
            promoters=Count("pk", filter=Q(is_promoter=True), distinct=True))
        w["grid_workers"] = _active(mine.filter(grid_links__isnull=False), a, b, "grid_links__started_at",
                                    "grid_links__ended_at").values("pk").distinct().count()
        r = regs.filter(subtree_q("area__path", path)).aggregate(
            org_registrations=Count("pk", filter=Q(kind=RegKind.ORG)),
            member_registrations=Count("pk", filter=Q(kind=RegKind.MEMBER)))
        ev = service_events.filter(subtree_q("area_path", path))
        comp = duties.compliance(obligations, area=path, start=start, end=_next(end))
        d = deliveries.filter(subtree_q("area__path", path)).aggregate(households=Sum("households"),
                                                                         flyers=Sum("flyers"))
        mine_cases = worker_cases.filter(subtree_q("area__path", path))
        out[area.pk] = {
            **w, **r,
            "services_taken": ev.filter(kind="handler_accept").values("case_id").distinct().count(),
            "services_completed": ev.filter(kind="verify", data__passed=True).values("case_id").distinct().count(),
            "feedback_due": comp["due"], "feedback_done": comp["fulfilled"],
            "feedback_rate": comp["rate"] if comp["rate"] is not None else 0.0,
            "campaigns": campaigns.filter(subtree_q("area__path", path)).count(),
            "households": d["households"] or 0, "flyers": d["flyers"] or 0,
            "problems_reported": mine_cases.filter(created_at__gte=a, created_at__lt=b).count(),
            "problems_handled": handled.filter(subtree_q("area__path", path)).count(),
            "appeals_handled": handled.filter(subtree_q("area__path", path), type="appeal").count(),
        }
    return out


def _next(day: date) -> date:
    from datetime import timedelta

    return day + timedelta(days=1)


FIGURES = FigureSet("workforce", _("Workers and double registration"), compute=figures, figures=(
    Figure("workers", _("Workers"), Unit.PEOPLE),
    Figure("party_workers", _("Party-member workers"), Unit.PEOPLE),
    Figure("grid_workers", _("Part-time grid workers"), Unit.PEOPLE),
    Figure("collectors", _("Problem collectors"), Unit.PEOPLE),
    Figure("promoters", _("Policy promoters"), Unit.PEOPLE),
    Figure("org_registrations", _("Units registered with communities")),
    Figure("member_registrations", _("Party members registered with communities"), Unit.PEOPLE),
    Figure("services_taken", _("Service requests taken")),
    Figure("services_completed", _("Service requests completed")),
    Figure("feedback_due", _("Quarterly feedback due")),
    Figure("feedback_done", _("Quarterly feedback given")),
    Figure("feedback_rate", _("Feedback compliance"), Unit.RATE),
    Figure("campaigns", _("Policy campaigns")),
    Figure("households", _("Households reached by promoters"), Unit.HOUSEHOLDS),
    Figure("flyers", _("Flyers delivered with parcels")),
    Figure("problems_reported", _("Problems reported by workers")),
    Figure("problems_handled", _("Problems reported by workers and handled")),
    Figure("appeals_handled", _("Workers' appeals handled")),
))
