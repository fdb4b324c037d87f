"""Frequency compliance of the party branches' routine meetings, on the duty engine (docs/CARE.md): each branch
has one plan per owed kind (``kinds.frequency_of``), owed by whoever holds ``branch_secretary`` at the branch; a
held meeting of that kind logs a duty dated on the meeting's day, which fulfils the obligation of the period
containing it (within the engine's grace window). Colours are the engine's (blue / yellow / red / missed)."""

from datetime import date

from django.db.models import Q

from lianxin.core import clock
from lianxin.duties import queries as duty_queries
from lianxin.duties import services as duties
from lianxin.duties.models import Obligation
from lianxin.duties.periods import local_date
from lianxin.duties.status import Status, with_status
from lianxin.orgs.models import Org

from . import kinds

BRANCH_KINDS = ("branch", "general_branch")
OWNER_ROLE = "branch_secretary"
GRACE_DAYS = 5
# Worst first: the colour of a branch is the worst of its current obligations.
SEVERITY = [Status.MISSED, Status.RED, Status.YELLOW, Status.BLUE, Status.FULFILLED]


def duty_kinds() -> list[str]:
    return [k.duty_kind for k in kinds.owed_kinds()]


def ensure_branch_plans(branch: Org, *, actor=None, start_date: date | None = None) -> list:
    """One running plan per owed kind at the configured frequency; a plan of another frequency ends and a new
    one starts (its history stays). Idempotent."""
    made = []
    running = {p.kind: p for p in duty_queries.plans_of(branch).filter(active=True)}
    for spec in kinds.owed_kinds():
        frequency = kinds.frequency_of(spec.code)
        plan = running.get(spec.duty_kind)
        if plan is not None and plan.frequency == frequency:
            continue
        if plan is not None:
            duties.end_plans(plan, actor=actor, note="frequency changed")
        made.append(duties.create_plan(
            actor=actor, subject=branch, kind=spec.duty_kind, frequency=frequency, owner_role=OWNER_ROLE,
            owner_org=branch, start_date=start_date, grace_days=GRACE_DAYS, title=str(spec.label)))
    return made


def record_held(activity) -> None:
    """A held meeting fulfils its branch's duty of the period containing its day (called by mark_held)."""
    org = activity.org
    spec = activity.spec
    if org is None or org.kind not in BRANCH_KINDS or not spec.party or not kinds.frequency_of(spec.code):
        return
    if not duty_queries.plans_of(org, kind=spec.duty_kind).filter(active=True).exists():
        return
    duties.log_duty(actor=None, subject=org, kind=spec.duty_kind, method="visit",
                    done_on=local_date(activity.starts_at), notes=activity.title[:200])


def _worst(statuses) -> str:
    statuses = list(statuses)
    for s in SEVERITY:
        if s in statuses:
            return s
    return Status.BLUE


def branch_status(branches, *, now=None, on: date | None = None) -> dict:
    """{branch pk: {"kinds": {activity kind: status}, "overdue": {kinds}, "colour": worst}}: the status of the
    period containing ``on`` (default today) of each owed kind, and the kinds whose previous period is still
    unfulfilled inside its grace window (red: a meeting entered now still counts), which colour the branch."""
    now = now or clock.now()
    on = on or local_date(now)
    branches = list(branches)
    by_duty = {k.duty_kind: k.code for k in kinds.owed_kinds()}
    rows = list(with_status(
        duty_queries.obligations_of(branches).filter(plan__kind__in=list(by_duty), cancelled_at__isnull=True)
        .filter(Q(period_start__lte=on, period_end__gt=on) | Q(period_end__lte=on, grace_until__gte=now,
                                                              fulfilled_by__isnull=True))
        .select_related("plan"), now).order_by("period_start"))
    subject = duty_queries.subjects_of(rows, Org.objects.filter(pk__in=[b.pk for b in branches]))
    out = {b.pk: {"kinds": {}, "overdue": set(), "colour": None} for b in branches}
    for ob in rows:
        branch = subject.get(ob.pk)
        if branch is None:
            continue
        code = by_duty[ob.plan.kind]
        if ob.period_start <= on < ob.period_end:
            out[branch.pk]["kinds"][code] = ob.status
        else:  # an earlier period, still unfulfilled inside its grace window
            out[branch.pk]["overdue"].add(code)
    for value in out.values():
        statuses = [*value["kinds"].values(), *([Status.RED] if value["overdue"] else [])]
        value["colour"] = _worst(statuses) if statuses else None
    return out


def obligations_in(area, qs=None):
    """The branches' meeting obligations anchored in an area's subtree (``qs``: e.g. the visible ones)."""
    qs = Obligation.objects.all() if qs is None else qs
    return duties.filter_obligations(qs, area=area).filter(plan__kind__in=duty_kinds())


def held_vs_due(area, start: date, end: date, qs=None) -> dict:
    """Meetings due and held over the periods whose grace window closed in [start, end] (the engine's
    compliance): {"due", "fulfilled", "missed", "rate"}."""
    from datetime import timedelta

    return duties.compliance(obligations_in(area, qs), start=start, end=end + timedelta(days=1))
