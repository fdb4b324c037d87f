"""Key tasks (重点任务, 汶上's 蓝黄红 ledger): a county office assigns a task to a lead unit and co-units, with
milestones that each carry their own deadline; the units report each milestone reached with evidence; every
milestone and the task as a whole show blue, yellow or red.

A key task is a case of type ``task`` (it starts accepted and is dispatched at once); its milestones are
``Milestone`` rows; reaching one is the flow table's ``milestone`` move (a handler of the case, while it is
being handled). The rest of its life is the engine's: feedback, verification by the office, closing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core import clock
from lianxin.core.notify import Message
from lianxin.workdays.calendar import tz

from . import services
from .models import Category, Milestone
from .services.common import _move, _tell, _unit_users

DAY_END = time(17, 30)  # a milestone is due at the end of its working day
WARN_FRACTION = 0.25  # the last quarter of a milestone's span is yellow
ORDER = {"blue": 0, "yellow": 1, "red": 2}


@dataclass
class Plan:
    title: str
    due: date


def _due(day: date) -> datetime:
    return datetime.combine(day, DAY_END, tzinfo=tz())


def create_key_task(*, actor, area, title: str, description: str = "", lead, co_units=(), milestones,
                    category: Category | None = None, idempotency_key: str | None = None):
    """File and dispatch a key task with its milestones (each a ``Plan`` or a (title, date) pair)."""
    plans = [m if isinstance(m, Plan) else Plan(*m) for m in milestones]
    if not plans:
        raise ValidationError(_("A key task has at least one milestone."))
    if any(not (p.title or "").strip() for p in plans):
        raise ValidationError(_("Every milestone needs a title."))
    days = [p.due for p in plans]
    if days != sorted(days) or len(set(days)) != len(days):
        raise ValidationError(_("Milestones follow each other: each deadline after the one before."))
    now = clock.now()
    if _due(days[0]) <= now:
        raise ValidationError(_("The first milestone's deadline has already passed."))
    category = category or Category.objects.get(full_code="2001")
    with transaction.atomic():
        case = services.report(actor=actor, type="task", category=category, title=title, description=description,
                               area=area, source="leader", idempotency_key=idempotency_key).case
        case = services.dispatch(case, actor=actor, lead=lead, co_handlers=list(co_units)).case
        start = now
        for i, p in enumerate(plans, 1):
            due = _due(p.due)
            span = due - start
            Milestone.objects.create(case=case, order=i, title=p.title.strip()[:120], due_at=due,
                                     warn_at=due - max(span * WARN_FRACTION, timedelta(hours=4)))
            start = due
    return case


def reach_milestone(case, milestone: Milestone, *, actor, evidence: str, photos=(), version=None):
    """The lead or a co-unit reports a milestone reached, with evidence (a note and optional photos)."""
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError(_("Say what was done: the evidence for the milestone."))

    def fn(c, now):
        from .flow import guard

        guard("milestone", actor, c)
        m = Milestone.objects.select_for_update().get(pk=milestone.pk, case=c)
        if m.done_at is not None:
            raise services.MoveRefused(_("This milestone was already reached."))
        m.done_at, m.done_by, m.evidence = now, actor, evidence
        m.save(update_fields=["done_at", "done_by", "evidence"])
        return {"milestone": m.order, "late": now > m.due_at}

    out = _move(case, version, actor, "milestone", fn, note=evidence, attachments=photos)
    return out


def milestone_colour(m: Milestone, now) -> str:
    if m.done_at is not None:
        return "closed_late" if m.done_at > m.due_at else "closed_on_time"
    if now > m.due_at:
        return "red"
    return "yellow" if now >= m.warn_at else "blue"


def task_colour(milestones, now) -> str:
    """The worst colour of the open milestones; when all are reached, late if any was late."""
    open_colours = [milestone_colour(m, now) for m in milestones if m.done_at is None]
    if open_colours:
        return max(open_colours, key=ORDER.get)
    if any(m.done_at > m.due_at for m in milestones):
        return "closed_late"
    return "closed_on_time"


def ledger(qs, now=None) -> list[dict]:
    """The rows of the ledger page: each visible key task with its units and coloured milestones."""
    now = now or clock.now()
    cases = list(qs.filter(type="task").select_related("lead_org", "area", "category")
                 .prefetch_related("milestones", "assignments__org").order_by("-created_at", "-pk"))
    rows = []
    for c in cases:
        ms = list(c.milestones.all())
        co = [a.org.name for a in c.assignments.all() if not a.is_lead and a.org_id]
        rows.append({"case": c, "co_units": co, "colour": task_colour(ms, now) if ms else "",
                     "milestones": [{"m": m, "colour": milestone_colour(m, now)} for m in ms]})
    return rows


def weekly_digest(now=None) -> int:
    """Tell each lead unit's people and the county office which key tasks are yellow or red (run weekly)."""
    from lianxin.accounts.models import User

    from .models import Case

    now = now or clock.now()
    told = 0
    for row in ledger(Case.objects.filter(stage__in=("dispatched", "handling")), now):
        if row["colour"] not in ("yellow", "red"):
            continue
        c = row["case"]
        late = [m["m"].title for m in row["milestones"] if m["colour"] in ("yellow", "red")]
        users = _unit_users(c.lead_org) if c.lead_org_id else []
        users += list(User.objects.filter(grants__area=c.area, grants__role__in=("county_staff", "case_dispatcher"),
                                          is_active=True).distinct())
        _tell(users, c, Message(gettext_lazy("Key task %(n)s is %(colour)s"), n=c.number, colour=row["colour"]),
              "；".join(late))
        told += 1
    return told
