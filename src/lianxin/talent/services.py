"""The write path of talent work: every change is a function here, atomic and attributed (``actor``).

Recurring contacts are duties (``lianxin.duties``), requests are cases (``lianxin.cases``): nothing here keeps a
workflow, a deadline or a compliance rate of its own.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lianxin.areas.models import Area, AreaKind
from lianxin.cases import services as cases
from lianxin.cases import targets
from lianxin.cases.models import Category, Stage
from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.trees import subtree_q
from lianxin.duties import kinds as duty_kinds
from lianxin.duties import queries as duty_queries
from lianxin.duties import services as duties
from lianxin.duties.models import Frequency, Obligation

from .models import (
    AllocationRound,
    Apartment,
    Application,
    Demand,
    DemandStatus,
    FollowUp,
    Hire,
    IntakeWay,
    LiaisonLink,
    Loan,
    Measure,
    Method,
    RecruitmentEvent,
    RoundStatus,
    Subsidy,
    Talent,
    TalentIndustry,
    TalentRequest,
    Tenancy,
)
from .types import REQUEST

CONTACT = "expert_contact"
HIRE_FOLLOWUP = "hire_followup"
TENANCY_RENEWAL = "tenancy_renewal"
duty_kinds.register_kind(CONTACT, _lazy("Contact with an expert"))
duty_kinds.register_kind(HIRE_FOLLOWUP, _lazy("Follow-up of a hire"))
duty_kinds.register_kind(TENANCY_RENEWAL, _lazy("Tenancy expiry"))

FOLLOWUP_MONTHS = (3, 12)
RENEWAL_NOTICE_DAYS = 60
TALENT_FIELDS = ("tier", "field", "industry", "employer", "intake_date", "intake_way", "honours", "active")


def add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][month - 1]
    return date(year, month, min(d.day, days))


def county_of(area: Area) -> Area:
    for a in [area, *reversed(area.ancestors())]:
        if a.kind == AreaKind.COUNTY:
            return a
    return area


# ------------------------------------------------------------------------------------------ registry


@transaction.atomic
def create_talent(*, actor, person, tier, **fields) -> Talent:
    if Talent.objects.filter(person=person).exists():
        raise ValidationError(_("%(name)s is already in the talent registry.") % {"name": person.name})
    talent = Talent(person=person, tier=tier, **{k: v for k, v in fields.items() if k in TALENT_FIELDS})
    if talent.intake_way not in IntakeWay.values or talent.industry not in TalentIndustry.values:
        raise ValidationError(_("Unknown way of intake or industry."))
    with actor_context(actor):
        talent.save()
    return talent


@transaction.atomic
def update_talent(talent: Talent, *, actor, **fields) -> Talent:
    for key, value in fields.items():
        if key in TALENT_FIELDS:
            setattr(talent, key, value)
    with actor_context(actor):
        talent.save()
    return talent


@transaction.atomic
def add_measure(talent: Talent, *, actor, title: str, decided_on: date, detail: str = "", due_on=None,
                responsible: str = "") -> Measure:
    if due_on and due_on < decided_on:
        raise ValidationError(_("The due date is before the decision."))
    return Measure.objects.create(talent=talent, title=title.strip(), detail=detail, decided_on=decided_on,
                                  due_on=due_on, responsible=responsible, created_by=actor)


@transaction.atomic
def follow_up(measure: Measure, *, actor, note: str, on: date | None = None, status: str = "") -> FollowUp:
    on = on or clock.today()
    if on > clock.today():
        raise ValidationError(_("A follow-up cannot be dated in the future."))
    if on < measure.decided_on:
        raise ValidationError(_("A follow-up cannot be before the measure was decided."))
    entry = FollowUp.objects.create(measure=measure, on=on, note=note.strip(), by=actor)
    if status and status != measure.status:
        Measure.objects.filter(pk=measure.pk).update(status=status)
        measure.status = status
    return entry


# ------------------------------------------------------------------------------------------ liaison


@transaction.atomic
def link_leader(talent: Talent, *, actor, leader, post: str = "", since: date | None = None) -> LiaisonLink:
    """The leader keeps in touch with the expert: a yearly contact owed by the leader (duty engine)."""
    since = since or clock.today()
    if LiaisonLink.objects.filter(talent=talent, leader=leader, until__isnull=True).exists():
        raise ValidationError(_("%(leader)s already keeps in touch with %(name)s.")
                              % {"leader": leader, "name": talent.name})
    link = LiaisonLink.objects.create(talent=talent, leader=leader, leader_post=post, since=since)
    duties.create_plan(actor=actor, subject=talent, kind=CONTACT, frequency=Frequency.YEARLY, carer=leader,
                       start_date=since, grace_days=5, warn_days=60,
                       title=_("Yearly contact with %(name)s") % {"name": talent.name})
    return link


@transaction.atomic
def end_link(link: LiaisonLink, *, actor, on: date | None = None) -> LiaisonLink:
    on = on or clock.today()
    plans = duty_queries.plans_of(link.talent, kind=CONTACT).filter(carer=link.leader, end_date__isnull=True)
    duties.end_plans(list(plans), actor=actor, on=on, note=_("Liaison ended"))
    LiaisonLink.objects.filter(pk=link.pk).update(until=on)
    link.until = on
    return link


def log_contact(talent: Talent, *, actor, method: str, done_on: date | None = None, notes: str = "", leader=None,
                idempotency_key: str | None = None):
    """A leader's contact with the expert: fulfils the year's obligation of that leader's own plan (each leader
    owes their own contact; ``leader`` defaults to the one recording it)."""
    leader = leader or actor
    plan = (duty_queries.plans_of(talent, kind=CONTACT).filter(carer=leader, active=True)
            .order_by("-start_date", "-pk").first())
    if plan is None:
        raise ValidationError(_("%(leader)s keeps no yearly contact with %(name)s.")
                              % {"leader": leader, "name": talent.name})
    return duties.log_duty(actor=actor, plan=plan, method=method, done_on=done_on, notes=notes,
                           idempotency_key=idempotency_key)


def contact_obligations(talents, *, year: int | None = None, qs=None):
    obligations = duty_queries.obligations_of(talents, kind=CONTACT, qs=qs)
    if year is not None:
        obligations = obligations.filter(period_start__gte=date(year, 1, 1), period_start__lt=date(year + 1, 1, 1))
    return obligations


def liaison_compliance(talents, *, year: int, qs=None) -> dict:
    """The engine's compliance of the year's contacts (due once the year's grace window closed), and how many
    of the year's contacts are done so far (for the year still running)."""
    obligations = contact_obligations(talents, year=year, qs=qs)
    out = duties.compliance(obligations)
    counts = obligations.filter(cancelled_at__isnull=True).aggregate(
        owed=Count("pk"), done=Count("pk", filter=Q(fulfilled_by__isnull=False)))
    out.update(owed=counts["owed"], done=counts["done"])
    return out


# ------------------------------------------------------------------------------------------ requests


def request_categories():
    return Category.objects.filter(parent__isnull=False, is_active=True, case_types__contains=REQUEST)


@transaction.atomic
def file_request(talent: Talent, *, actor, category: Category, title: str, description: str = "",
                 idempotency_key: str | None = None) -> TalentRequest:
    """An expert's request, taken by the talent office: reported and accepted at the county in one go."""
    out = cases.report(actor=actor, type=REQUEST, category=category, title=title, description=description,
                       area=county_of(talent.person.area), idempotency_key=idempotency_key)
    if not out.created:
        return out.case.talent_request
    request = TalentRequest.objects.create(talent=talent, case=out.case)
    cases.accept(out.case, actor=actor, note=_("Green channel: taken by the talent office."))
    return request


def responsible_department(request: TalentRequest):
    return targets.suggested_unit(request.case)


@transaction.atomic
def route_request(request: TalentRequest, *, actor, department=None):
    """Send the request to the responsible department (the category's, unless another is given)."""
    case = request.case
    department = department or responsible_department(request)
    if department is None:
        raise ValidationError(_("No department of the county handles this kind of request: choose one."))
    if department not in targets.dispatch_units(case):
        raise ValidationError(_("Choose a department of the expert's county."))
    return cases.dispatch(case, actor=actor, lead=department, note=_("Green channel"))


# ------------------------------------------------------------------------------------------ demand pool


@transaction.atomic
def create_demand(*, actor, employer, position: str, count: int, area=None, **fields) -> Demand:
    if count < 1:
        raise ValidationError(_("At least one person is needed."))
    demand = Demand(employer=employer, area=area or employer.area, position=position.strip(), count=count,
                    posted_on=fields.pop("posted_on", None) or clock.today(),
                    **{k: v for k, v in fields.items() if k in ("industry", "level", "notes", "status")})
    with actor_context(actor):
        demand.save()
    return demand


def _refresh_status(demand: Demand) -> None:
    if demand.status == DemandStatus.CLOSED:
        return
    filled = demand.hires.count()
    status = DemandStatus.FILLED if filled >= demand.count else DemandStatus.OPEN
    if status != demand.status:
        Demand.objects.filter(pk=demand.pk).update(status=status)
        demand.status = status


def with_filled(qs):
    return qs.annotate(filled=Count("hires", distinct=True))


@transaction.atomic
def create_event(*, actor, area, name: str, held_on: date, mode: str, firms=(), applicants: int = 0,
                 venue: str = "", notes: str = "") -> RecruitmentEvent:
    with actor_context(actor):
        event = RecruitmentEvent.objects.create(area=area, name=name.strip(), held_on=held_on, mode=mode,
                                                applicants=applicants, venue=venue, notes=notes)
        event.firms.set(firms)
    return event


@transaction.atomic
def record_hire(*, actor, employer, name: str, position: str, hired_on: date | None = None, event=None,
                demand=None, phone: str = "", follow_up_by=None, talent=None) -> Hire:
    """A hire at an event (or otherwise), filling a line of the demand pool; owes follow-ups at 3 and 12 months
    (one-off duties of ``follow_up_by``, else of the recorder, else of county staff)."""
    hired_on = hired_on or clock.today()
    if event is not None and not event.firms.filter(pk=employer.pk).exists():
        raise ValidationError(_("%(firm)s did not take part in this event.") % {"firm": employer.name})
    if demand is not None:
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        if demand.employer_id != employer.pk:
            raise ValidationError(_("This demand is another employer's."))
        if demand.status != DemandStatus.OPEN:
            raise ValidationError(_("This demand is no longer open."))
    area = event.area if event is not None else employer.area
    hire = Hire.objects.create(event=event, demand=demand, employer=employer, area=area, name=name.strip(),
                               talent=talent, position=position.strip() or (demand.position if demand else ""),
                               hired_on=hired_on, phone=phone)
    carer = follow_up_by or actor
    for months in FOLLOWUP_MONTHS:
        duties.create_plan(actor=actor, subject=hire, kind=HIRE_FOLLOWUP, frequency=Frequency.ONCE,
                           carer=carer, owner_role="" if carer else "county_staff",
                           start_date=hired_on, due_date=add_months(hired_on, months), grace_days=15,
                           title=_("Follow-up after %(n)d months") % {"n": months})
    if demand is not None:
        _refresh_status(demand)
    return hire


def match_talent(demand: Demand, talent: Talent, *, actor, on: date | None = None) -> Hire:
    """A talent of the registry placed in a line of the demand pool (a match from the registry): a hire of the
    demand's employer, followed up like any other; the talent's employer becomes the demand's."""
    if Hire.objects.filter(demand=demand, talent=talent).exists():
        raise ValidationError(_("%(name)s already fills this demand.") % {"name": talent.name})
    hire = record_hire(actor=actor, employer=demand.employer, name=talent.name, position=demand.position,
                       hired_on=on, demand=demand, talent=talent)
    if talent.employer_id != demand.employer_id:
        update_talent(talent, actor=actor, employer=demand.employer)
    return hire


# ------------------------------------------------------------------------------------------ apartments


@transaction.atomic
def create_round(*, actor, area, name: str, method: str, tiers, units, seed: int | None = None,
                 max_years_since_intake=None, employer_in_area=True, term_months=36) -> AllocationRound:
    if method not in Method.values:
        raise ValidationError(_("Unknown allocation method."))
    rnd = AllocationRound.objects.create(
        area=area, name=name, method=method, seed=seed if seed is not None else random.SystemRandom().randrange(10**9),
        max_years_since_intake=max_years_since_intake, employer_in_area=employer_in_area, term_months=term_months)
    rnd.tiers.set(tiers)
    rnd.units.set(units)
    return rnd


def ineligible_reason(rnd: AllocationRound, talent: Talent, on: date | None = None) -> str:
    """Why the talent may not apply in this round ("" if they may): the published rules, checked."""
    on = on or clock.today()
    if not talent.active:
        return _("The talent is no longer in the registry.")
    if not hasattr(rnd, "_tier_ids"):
        rnd._tier_ids = set(rnd.tiers.values_list("pk", flat=True))
    if talent.tier_id not in rnd._tier_ids:
        return _("The tier %(tier)s is not eligible in this round.") % {"tier": talent.tier.label}
    if rnd.max_years_since_intake is not None:
        if talent.intake_date is None:
            return _("The intake date is not recorded.")
        if add_months(talent.intake_date, 12 * rnd.max_years_since_intake) < on:
            return _("Introduced more than %(n)d years ago.") % {"n": rnd.max_years_since_intake}
    if rnd.employer_in_area:
        if talent.employer_id is None or not talent.employer.area.path.startswith(rnd.area.path):
            return _("The employer is not in %(area)s.") % {"area": rnd.area.name}
    if Tenancy.objects.filter(talent=talent, ended_on__isnull=True).exists():
        return _("The talent already rents a talent apartment.")
    return ""


@transaction.atomic
def apply(rnd: AllocationRound, talent: Talent, *, actor, points: int = 0) -> Application:
    rnd = AllocationRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status != RoundStatus.OPEN:
        raise ValidationError(_("This round takes no more applications."))
    reason = ineligible_reason(rnd, talent)
    if reason:
        raise ValidationError(reason)
    if Application.objects.filter(round=rnd, talent=talent).exists():
        raise ValidationError(_("%(name)s has applied already.") % {"name": talent.name})
    if rnd.method == Method.LOTTERY:
        points = 0
    return Application.objects.create(round=rnd, talent=talent, points=points)


def draw_order(rnd: AllocationRound, applications) -> list[Application]:
    """The order of allocation, from the round's seed alone: a lottery shuffles the applications (taken in the
    order they were made); by points, higher points first and the same seed breaks ties."""
    apps = sorted(applications, key=lambda a: a.pk)
    rng = random.Random(rnd.seed)
    tie = {a.pk: rng.random() for a in apps}
    if rnd.method == Method.LOTTERY:
        rng = random.Random(rnd.seed)
        rng.shuffle(apps)
        return apps
    return sorted(apps, key=lambda a: (-a.points, tie[a.pk]))


@transaction.atomic
def allocate(rnd: AllocationRound, *, actor, on: date | None = None) -> list[Application]:
    """Rank every application, give the offered vacant units in order (smallest unit number first) and start
    the tenancies. Eligibility is checked again at the draw: an applicant no longer eligible gets no unit."""
    rnd = AllocationRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status != RoundStatus.OPEN:
        raise ValidationError(_("This round was allocated already."))
    on = on or clock.today()
    taken = Tenancy.objects.filter(ended_on__isnull=True).values("apartment_id")
    free = list(rnd.units.filter(in_service=True).exclude(pk__in=taken).order_by("building", "unit", "pk"))
    order = draw_order(rnd, rnd.applications.select_related("talent__tier", "talent__employer__area"))
    for rank, app in enumerate(order, start=1):
        app.rank = rank
        if free and not ineligible_reason(rnd, app.talent, on):
            app.apartment = free.pop(0)
            Tenancy.objects.create(apartment=app.apartment, talent=app.talent, application=app, start_on=on,
                                   end_on=add_months(on, rnd.term_months))
        app.save(update_fields=["rank", "apartment"])
    AllocationRound.objects.filter(pk=rnd.pk).update(status=RoundStatus.ALLOCATED, allocated_at=clock.now())
    return order


@transaction.atomic
def publish(rnd: AllocationRound, *, actor) -> None:
    rnd = AllocationRound.objects.select_for_update().get(pk=rnd.pk)
    if rnd.status != RoundStatus.ALLOCATED:
        raise ValidationError(_("Only an allocated round is published."))
    AllocationRound.objects.filter(pk=rnd.pk).update(status=RoundStatus.PUBLISHED, published_at=clock.now())
    rnd.status = RoundStatus.PUBLISHED


@transaction.atomic
def move_in(tenancy: Tenancy, *, actor, on: date | None = None) -> Tenancy:
    """The tenant moved in: a reminder of the expiry is owed (one-off duty) before the tenancy ends."""
    on = on or clock.today()
    Tenancy.objects.filter(pk=tenancy.pk).update(moved_in_on=on)
    tenancy.moved_in_on = on
    due = tenancy.end_on - timedelta(days=RENEWAL_NOTICE_DAYS)
    if actor is not None:
        duties.create_plan(actor=actor, subject=tenancy.talent, kind=TENANCY_RENEWAL, frequency=Frequency.ONCE,
                           carer=actor, start_date=min(on, due), due_date=max(on, due), grace_days=RENEWAL_NOTICE_DAYS,
                           title=_("Tenancy of %(unit)s ends on %(end)s")
                           % {"unit": tenancy.apartment.name, "end": tenancy.end_on.isoformat()})
    return tenancy


@transaction.atomic
def end_tenancy(tenancy: Tenancy, *, actor, on: date | None = None) -> Tenancy:
    on = on or clock.today()
    Tenancy.objects.filter(pk=tenancy.pk).update(ended_on=on)
    tenancy.ended_on = on
    return tenancy


def expiring(qs, *, within_days: int = RENEWAL_NOTICE_DAYS, on: date | None = None):
    on = on or clock.today()
    return qs.filter(ended_on__isnull=True, end_on__lte=on + timedelta(days=within_days))


# ------------------------------------------------------------------------------------------ money


def _who_area(talent, employer, area):
    if area is not None:
        return area
    if employer is not None:
        return employer.area
    if talent is not None:
        return talent.person.area
    raise ValidationError(_("Say whom the money is for."))


@transaction.atomic
def grant_subsidy(*, actor, policy: str, granted_fen: int, granted_on: date, talent=None, employer=None, area=None,
                  paid_fen: int = 0, paid_on=None, note: str = "") -> Subsidy:
    if not isinstance(granted_fen, int) or not isinstance(paid_fen, int):
        raise ValidationError(_("Amounts are whole fen."))
    if granted_fen <= 0:
        raise ValidationError(_("The amount granted must be more than zero."))
    if not 0 <= paid_fen <= granted_fen:
        raise ValidationError(_("The amount paid must be between zero and the amount granted."))
    with actor_context(actor):
        return Subsidy.objects.create(policy=policy, granted_fen=granted_fen, granted_on=granted_on, talent=talent,
                                      employer=employer, area=_who_area(talent, employer, area), paid_fen=paid_fen,
                                      paid_on=paid_on if paid_fen else None, note=note)


@transaction.atomic
def pay_subsidy(subsidy: Subsidy, *, actor, fen: int, on: date | None = None) -> Subsidy:
    subsidy = Subsidy.objects.select_for_update().get(pk=subsidy.pk)
    if not isinstance(fen, int) or fen <= 0 or subsidy.paid_fen + fen > subsidy.granted_fen:
        raise ValidationError(_("The payment must be more than zero and at most what is left to pay."))
    subsidy.paid_fen += fen
    subsidy.paid_on = on or clock.today()
    with actor_context(actor):
        subsidy.save(update_fields=["paid_fen", "paid_on"])
    return subsidy


@transaction.atomic
def arrange_loan(*, actor, product: str, bank: str, amount_fen: int, arranged_on: date, talent=None, employer=None,
                 area=None, term_months: int = 12) -> Loan:
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise ValidationError(_("The amount must be whole fen, more than zero."))
    with actor_context(actor):
        return Loan.objects.create(product=product, bank=bank, amount_fen=amount_fen, arranged_on=arranged_on,
                                   talent=talent, employer=employer, area=_who_area(talent, employer, area),
                                   term_months=term_months)


@dataclass
class MoneyTotals:
    granted_fen: int
    paid_fen: int
    loans_fen: int


def money_totals(subsidies, loans) -> MoneyTotals:
    """Exact sums (integers in the database, integers here)."""
    s = subsidies.aggregate(g=Sum("granted_fen"), p=Sum("paid_fen"))
    return MoneyTotals(int(s["g"] or 0), int(s["p"] or 0), int(loans.aggregate(a=Sum("amount_fen"))["a"] or 0))


def in_subtree(qs, area: Area, lookup: str = "area__path"):
    return qs.filter(subtree_q(lookup, area.path))


__all__ = ["Apartment", "Obligation", "RecruitmentEvent", "Stage"]
