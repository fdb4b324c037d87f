"""Talent figures for dashboards and the figures page.

``figures(user, areas, start, end)``: for each area (by pk), over the records ``user`` may view in the area's
subtree, for the local days ``start`` to ``end`` both included: talents registered by the end (and by tier),
brought in during the period, the demand pool (people still needed in open lines, hires filling lines),
liaison compliance (yearly contacts whose grace window closed in the period, the duty engine's rule), events
and hires, apartments allocated and occupied, subsidies granted and paid and loans arranged (yuan).
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from lianxin.core.figures import Figure, FigureSet, Unit
from lianxin.core.trees import subtree_q
from lianxin.duties import services as duties
from lianxin.duties.models import Obligation
from lianxin.workdays.calendar import tz

from .models import Apartment, Demand, DemandStatus, Hire, Loan, RecruitmentEvent, Subsidy, Talent, Tenancy
from .seed import TIERS

CONTACT = "expert_contact"


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time.min, tzinfo=tz()),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz()))


def yuan(fen) -> float:
    return round(int(fen or 0) / 100, 2)


def figures(user, areas, start: date, end: date) -> dict[int, dict]:
    lo, hi = bounds(start, end)
    talents = Talent.objects.visible_to(user).filter(created_at__lt=hi, active=True)
    demands = Demand.objects.visible_to(user)
    hires = Hire.objects.visible_to(user)
    events = RecruitmentEvent.objects.visible_to(user).filter(held_on__gte=start, held_on__lte=end)
    units = Apartment.objects.visible_to(user)
    subsidies = Subsidy.objects.visible_to(user)
    loans = Loan.objects.visible_to(user).filter(arranged_on__gte=start, arranged_on__lte=end)
    contacts = Obligation.objects.visible_to(user)
    out = {}
    for area in areas:
        t = talents.filter(subtree_q("person__area__path", area.path))
        tiers = dict(t.order_by().values_list("tier__code").annotate(n=Count("pk")))
        row = {"talents": t.count(),
               "talents_new": t.filter(intake_date__gte=start, intake_date__lte=end).count()}
        for code, *_rest in TIERS:
            row[f"tier_{code}"] = tiers.get(code, 0)
        d = demands.filter(subtree_q("area__path", area.path))
        open_lines = d.filter(status=DemandStatus.OPEN, posted_on__lte=end).annotate(filled=Count("hires"))
        row["demand_open"] = sum(max(x.count - x.filled, 0) for x in open_lines.only("count"))
        h = hires.filter(subtree_q("area__path", area.path), hired_on__gte=start, hired_on__lte=end)
        row["demand_filled"] = h.filter(demand__isnull=False).count()
        c = duties.compliance(contacts.filter(subtree_q("area__path", area.path)), kind=CONTACT, start=lo, end=hi)
        row.update(liaison_due=c["due"], liaison_done=c["fulfilled"], liaison_rate=c["rate"])
        e = events.filter(subtree_q("area__path", area.path)).aggregate(
            n=Count("pk"), live=Count("pk", filter=Q(mode="live")), applicants=Sum("applicants"))
        row["registry_matches"] = h.filter(talent__isnull=False, demand__isnull=False).count()
        row.update(events=e["n"], events_live=e["live"], applicants=e["applicants"] or 0,
                   hires=h.filter(event__isnull=False).count(),
                   firms=events.filter(subtree_q("area__path", area.path)).values("firms").distinct()
                   .exclude(firms=None).count())
        u = units.filter(subtree_q("area__path", area.path))
        ten = Tenancy.objects.filter(apartment__in=u)
        row.update(apartments=u.count(),
                   apartments_allocated=ten.filter(start_on__gte=start, start_on__lte=end).count(),
                   apartments_occupied=ten.filter(start_on__lte=end, moved_in_on__isnull=False)
                   .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end)).count())
        s = subsidies.filter(subtree_q("area__path", area.path))
        row["subsidies_granted"] = yuan(s.filter(granted_on__gte=start, granted_on__lte=end)
                                        .aggregate(v=Sum("granted_fen"))["v"])
        row["subsidies_paid"] = yuan(s.filter(paid_on__gte=start, paid_on__lte=end).aggregate(v=Sum("paid_fen"))["v"])
        row["loans"] = yuan(loans.filter(subtree_q("area__path", area.path)).aggregate(v=Sum("amount_fen"))["v"])
        out[area.pk] = row
    return out


FIGURES = FigureSet("talent", _("Talent work"), compute=figures, figures=(
    Figure("talents", _("Talents in the registry"), Unit.PEOPLE),
    Figure("talents_new", _("Talents brought in"), Unit.PEOPLE),
    Figure("tier_national", _("National talent programme"), Unit.PEOPLE),
    Figure("tier_taishan", _("Taishan industry leading talents"), Unit.PEOPLE),
    Figure("tier_high_level", _("High-level talents"), Unit.PEOPLE),
    Figure("tier_young", _("Young talents"), Unit.PEOPLE),
    Figure("tier_skilled", _("Skilled workers"), Unit.PEOPLE),
    Figure("tier_rural", _("Rural revitalisation leaders"), Unit.PEOPLE),
    Figure("demand_open", _("People still needed (open demands)"), Unit.PEOPLE),
    Figure("demand_filled", _("Demands filled by hires"), Unit.PEOPLE),
    Figure("registry_matches", _("Demands filled from the registry"), Unit.PEOPLE),
    Figure("liaison_due", _("Leader contacts due")),
    Figure("liaison_done", _("Leader contacts made")),
    Figure("liaison_rate", _("Liaison compliance"), Unit.RATE),
    Figure("events", _("Recruitment events")),
    Figure("events_live", _("Live-streamed events")),
    Figure("firms", _("Participating firms")),
    Figure("applicants", _("Applicants"), Unit.PEOPLE),
    Figure("hires", _("Hires at events"), Unit.PEOPLE),
    Figure("apartments", _("Talent apartments")),
    Figure("apartments_allocated", _("Apartments allocated")),
    Figure("apartments_occupied", _("Apartments occupied")),
    Figure("subsidies_granted", _("Subsidies granted"), Unit.YUAN),
    Figure("subsidies_paid", _("Subsidies paid"), Unit.YUAN),
    Figure("loans", _("Policy loans arranged"), Unit.YUAN),
))
