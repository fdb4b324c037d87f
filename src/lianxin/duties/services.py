"""Duty services: plans, generation of obligations, logs that fulfil them, re-assignment, pause/resume,
end (with a one-off follow-up such as a condolence visit), compliance and reminders.

Every write takes ``actor=`` and runs inside ``actor_context``; times come from ``clock.now()`` and dates
are local (Asia/Shanghai) dates.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core import clock
from lianxin.core.audit import actor_context
from lianxin.core.clock import today
from lianxin.core.notify import Message, notify
from lianxin.core.roles import ROLES
from lianxin.core.trees import subtree_q

from . import periods
from .kinds import DUTY_KINDS, fulfils, label_of
from .models import DutyLog, Frequency, Method, Obligation, Plan, PlanEvent, Reminder
from .periods import midnight
from .status import Status, status_expression
from .subjects import DutySubject, subject_key, subject_q

# Red reminders go out for obligations whose period ended at most this long ago (a worker that was down for a
# few days still catches up; a first run on old data does not flood inboxes with ancient misses).
RED_REMINDER_LOOKBACK = timedelta(days=7)


# ---------------------------------------------------------------- helpers


def subject_area(subject: DutySubject):
    area = getattr(subject, "area", None)
    if area is None:
        raise ValidationError(_("The subject of a duty must belong to an area."))
    return area


def plans_for(subject: DutySubject) -> models.QuerySet:
    """Every plan of the subject (``queries.plans_of`` for several subjects)."""
    return Plan.objects.filter(subject_q(subject))


def _running(qs: models.QuerySet, on: date) -> models.QuerySet:
    """Plans still running on ``on``: active and not ended before it."""
    return qs.filter(active=True).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


def _plans(target: Plan | Iterable[Plan] | DutySubject) -> list[Plan]:
    """A plan, plans (list or queryset), or a subject (meaning its running plans)."""
    if isinstance(target, Plan):
        return [target]
    if isinstance(target, models.QuerySet) and target.model is Plan:
        return list(target)
    if isinstance(target, list | tuple | set) and all(isinstance(p, Plan) for p in target):
        return list(target)
    return list(_running(plans_for(target), today()))


def plan_owners(plan: Plan) -> list:
    """The accounts that owe the plan's duty: its carer, or the holders of its owning role."""
    from lianxin.accounts.models import User

    if plan.carer_id:
        return [plan.carer]
    holders = User.objects.filter(grants__role=plan.owner_role, is_active=True)
    if plan.owner_org_id:
        return list(holders.filter(grants__org=plan.owner_org).distinct())
    # The role's holders at the plan's area, else at its nearest ancestor that has any (a subject lives in a
    # grid; community staff are granted at the community).
    for area_id in reversed([int(x) for x in plan.area.path.strip("/").split("/") if x]):
        found = list(holders.filter(grants__area_id=area_id).distinct())
        if found:
            return found
    return []


def obligation_owners(obligation: Obligation) -> list:
    return [obligation.owner] if obligation.owner_id else plan_owners(obligation.plan)


def may_log(actor, plan: Plan) -> bool:
    """The carer, a holder of the owning role, or a role allowed to "log" duties in the plan's area."""
    if actor is None or actor.is_superuser:
        return True
    if plan.carer_id == actor.pk:
        return True
    if not plan.carer_id and any(u.pk == actor.pk for u in plan_owners(plan)):
        return True
    return Plan.objects.visible_to(actor, "log").filter(pk=plan.pk).exists()


def _event(plan, kind, actor, now, **kw) -> PlanEvent:
    return PlanEvent.objects.create(plan=plan, kind=kind, actor=actor, at=now, **kw)


# ---------------------------------------------------------------- plans


def create_plan(*, actor, subject: DutySubject, kind: str, frequency: str, carer=None, owner_role: str = "",
                owner_org=None, start_date: date | None = None, end_date: date | None = None,
                every_days: int | None = None, due_date: date | None = None, grace_days: int = 5, warn_days: int = 7,
                title: str = "", area=None, note: str = "", generate: bool = True) -> Plan:
    """A plan for ``subject``. A one-off plan identical to an existing one (same subject, kind, title and due
    date) is returned instead of being created again, so a repeated group call creates nothing new."""
    if kind not in DUTY_KINDS:
        raise ValidationError(_("Unknown duty kind."))
    if frequency not in Frequency.values:
        raise ValidationError(_("Unknown frequency."))
    if frequency == Frequency.EVERY_N_DAYS and not (every_days and every_days >= 1):
        raise ValidationError(_("Give the number of days between duties."))
    if carer is None and not owner_role:
        raise ValidationError(_("Give a carer or the role that owes the duty."))
    if owner_role and owner_role not in ROLES:
        raise ValidationError(_("Unknown role."))
    start_date = start_date or today()
    if frequency == Frequency.ONCE:
        if due_date is None:
            raise ValidationError(_("A one-off duty needs a due date."))
        if due_date < start_date:
            raise ValidationError(_("The due date is before the start date."))
    if end_date is not None and end_date < start_date:
        raise ValidationError(_("The end date is before the start date."))
    area = area or subject_area(subject)
    now = clock.now()
    with transaction.atomic(), actor_context(actor):
        if frequency == Frequency.ONCE:
            existing = plans_for(subject).filter(kind=kind, frequency=Frequency.ONCE, due_date=due_date,
                                                 title=title).first()
            if existing is not None:
                return existing
        plan = Plan.objects.create(
            title=title, kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk,
            area=area, carer=carer, owner_org=owner_org, owner_role=owner_role, frequency=frequency,
            every_days=every_days if frequency == Frequency.EVERY_N_DAYS else None,
            due_date=due_date if frequency == Frequency.ONCE else None, start_date=start_date, end_date=end_date,
            generate_from=start_date, grace_days=grace_days, warn_days=warn_days, note=note, created_at=now)
        _event(plan, PlanEvent.Kind.CREATED, actor, now, to_carer=carer, to_area=area)
        if generate:
            generate_obligations(plans=[plan])
    return plan


def create_one_off(*, actor, subject: DutySubject, kind: str, due_on: date | None = None,
                   within_days: int | None = None, carer=None, owner_role: str = "", title: str = "",
                   grace_days: int = 0, area=None) -> Plan:
    """A one-off duty due on ``due_on`` or within ``within_days`` from today (the last day counted)."""
    if (due_on is None) == (within_days is None):
        raise ValueError("give exactly one of due_on= or within_days=")
    start = today()
    due_on = due_on or start + timedelta(days=within_days)
    return create_plan(actor=actor, subject=subject, kind=kind, frequency=Frequency.ONCE, carer=carer,
                       owner_role=owner_role, start_date=min(start, due_on), due_date=due_on, title=title,
                       grace_days=grace_days, area=area)


def create_group_one_off(*, actor, subjects: Iterable[DutySubject], kind: str, due_on: date, title: str,
                         carer=None, owner_role: str = "", start_date: date | None = None,
                         grace_days: int = 0) -> list[Plan]:
    """One-off plans for a group (e.g. a Spring Festival visit to every retiree of a community), one per subject.

    Each subject's duty goes to ``carer`` if given, else to the subject's current carer (the carer of its
    running plan created first), else to ``owner_role`` at the subject's area.
    """
    subjects = list(subjects)
    if not subjects:
        return []
    plans = []
    with transaction.atomic():
        for subject in subjects:
            owner = carer or current_carer(subject)
            if owner is None and not owner_role:
                raise ValidationError(_("%(subject)s has no carer: give a carer or a role.")
                                      % {"subject": subject.name})
            plans.append(create_plan(
                actor=actor, subject=subject, kind=kind, frequency=Frequency.ONCE, carer=owner,
                owner_role="" if owner else owner_role, start_date=start_date or min(today(), due_on),
                due_date=due_on, title=title, grace_days=grace_days))
    return plans


def current_carer(subject: DutySubject):
    """The carer of the subject's first running recurring plan, else of its most recent plan with a carer."""
    with_carer = plans_for(subject).filter(carer__isnull=False).select_related("carer")
    plan = (_running(with_carer, today()).exclude(frequency=Frequency.ONCE).order_by("pk").first()
            or with_carer.order_by("-pk").first())
    return plan.carer if plan else None


# ---------------------------------------------------------------- generation


def generate_obligations(until: date | None = None, plans: Iterable[Plan] | None = None, batch: int = 1000) -> int:
    """Create the obligations of every running, unpaused plan for periods starting on or before ``until``
    (default: today). Idempotent: existing (plan, period_start) rows are skipped, and the unique constraint
    makes a concurrent run harmless. Returns the number of obligations created."""
    until = until or today()
    qs = Plan.objects.filter(active=True, paused=False, start_date__lte=until)
    if plans is not None:
        qs = qs.filter(pk__in=[p.pk for p in plans])
    qs = qs.annotate(last_start=Max("obligations__period_start")).order_by("pk")
    rows, created = [], 0
    for plan in qs.iterator(chunk_size=500):
        rows.extend(_new_obligations(plan, until, plan.last_start))
        if len(rows) >= batch:
            created += _insert(rows)
            rows = []
    return created + _insert(rows)


def _new_obligations(plan: Plan, until: date, last_start: date | None) -> list[Obligation]:
    first = plan.generate_from if last_start is None else max(plan.generate_from, last_start)
    out = []
    for start, end in periods.periods(plan, first, until):
        if end <= plan.generate_from or (last_start is not None and start <= last_start):
            continue
        warn_at, due_at, grace_until = periods.moments(start, end, plan.warn_days, plan.grace_days)
        out.append(Obligation(plan=plan, area_id=plan.area_id, owner_id=plan.carer_id, period_start=start,
                              period_end=end, warn_at=warn_at, due_at=due_at, grace_until=grace_until))
    return out


def _insert(rows: list[Obligation]) -> int:
    # Rows start after each plan's last stored period, so all are new unless a concurrent run got there first
    # (then the unique constraint drops the duplicates and the count is an upper bound).
    if rows:
        Obligation.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# ---------------------------------------------------------------- logs


@dataclass
class LogOutcome:
    log: DutyLog
    fulfilled: list = field(default_factory=list)  # the obligations this log fulfilled
    created: bool = True


def _body_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _check_point(lng, lat):
    if (lng is None) != (lat is None):
        raise ValidationError(_("Give both longitude and latitude, or neither."))
    if lng is None:
        return None, None
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError):
        raise ValidationError(_("The location is not a valid coordinate.")) from None
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise ValidationError(_("The location is not a valid coordinate."))
    return lng, lat


def log_duty(*, actor, plan: Plan | None = None, subject: DutySubject | None = None, kind: str | None = None,
             method: str, done_on: date | None = None, notes: str = "", photos=(),
             device_time: datetime | None = None, lng=None, lat=None,
             idempotency_key: str | None = None) -> LogOutcome:
    """Record a contact, visit or meeting; it fulfils the obligation of each matching plan whose period
    contains ``done_on``, if entered no later than that period's grace window and not yet fulfilled.

    With ``plan`` only that plan is considered; with ``subject`` every plan of the subject whose kind the
    log's kind fulfils (a visit also counts as a contact). A log entered after the grace window is kept and
    marked late; it fulfils nothing. A retry with the same ``idempotency_key`` returns the first log.
    """
    if plan is None and subject is None:
        raise ValidationError(_("Say which plan or subject the log is for."))
    kind = kind or (plan.kind if plan else None)
    if kind not in DUTY_KINDS:
        raise ValidationError(_("Unknown duty kind."))
    if method not in Method.values:
        raise ValidationError(_("Unknown method: use phone, in person or online."))
    now = clock.now()
    local_today = periods.local_date(now)
    done_on = done_on or local_today
    if done_on > local_today:
        raise ValidationError(
            _("A duty cannot be logged for a future date: %(done)s is after today (%(today)s).")
            % {"done": done_on.isoformat(), "today": local_today.isoformat()}, code="future")
    lng, lat = _check_point(lng, lat)
    if plan is not None:
        if plan.kind not in fulfils(kind):
            raise ValidationError(_("A log of this kind does not fulfil this plan."))
        candidates = [plan]
        subject_type_id, subject_id = plan.subject_type_id, plan.subject_id
    else:
        subject_type_id, subject_id = subject_key(subject)
        candidates = list(plans_for(subject).filter(kind__in=fulfils(kind)).order_by("pk"))
        if not candidates:
            raise ValidationError(_("There is no duty of this kind for this subject."))
    if actor is not None and not any(may_log(actor, p) for p in candidates):
        raise PermissionDenied(_("You may not log duties for this subject."))
    if idempotency_key and actor is None:
        raise ValueError("an idempotency key needs an actor")
    photos = list(photos)
    body_hash = _body_hash({
        "plan": plan.pk if plan else None, "subject": [subject_type_id, subject_id], "kind": kind,
        "method": method, "done_on": done_on, "notes": notes, "lng": lng, "lat": lat,
        "photos": sorted(p.sha256 for p in photos),  # by content: a retried upload is a new row, same bytes
    })
    if idempotency_key:
        existing = DutyLog.objects.filter(actor=actor, client_key=idempotency_key).first()
        if existing:
            return _replay(existing, body_hash)
    try:
        with transaction.atomic(), actor_context(actor):
            log = DutyLog.objects.create(
                plan=plan, subject_type_id=subject_type_id, subject_id=subject_id, area=candidates[0].area,
                kind=kind, method=method, done_on=done_on, notes=notes, device_time=device_time, lng=lng, lat=lat,
                entered_at=now, actor=actor, client_key=idempotency_key or "", body_hash=body_hash)
            if photos:
                log.photos.set(photos)
            # The current period's obligation may not exist yet if today's generation has not run.
            generate_obligations(until=local_today, plans=candidates)
            fulfilled, late = [], False
            for candidate in candidates:
                ob = (Obligation.objects.select_for_update()
                      .filter(plan=candidate, period_start__lte=done_on, period_end__gt=done_on,
                              cancelled_at__isnull=True).first())
                if ob is None:
                    continue
                if now > ob.grace_until:
                    late = True
                    continue
                if ob.fulfilled_by_id is not None:
                    continue  # the first log wins; this one is kept as a further contact
                ob.fulfilled_by, ob.fulfilled_at = log, now
                ob.save(update_fields=["fulfilled_by", "fulfilled_at"])
                fulfilled.append(ob)
            if late:
                log.late = True
                log.save(update_fields=["late"])
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = DutyLog.objects.filter(actor=actor, client_key=idempotency_key).first()
        if existing is None:
            raise
        return _replay(existing, body_hash)
    return LogOutcome(log, fulfilled, created=True)


def _replay(existing: DutyLog, body_hash: str) -> LogOutcome:
    if existing.body_hash != body_hash:
        raise ValidationError(_("This submission key was already used for a different log."), code="key_reused")
    return LogOutcome(existing, list(existing.fulfilled.all()), created=False)


# ---------------------------------------------------------------- changes of circumstance


def _open(plan: Plan, now: datetime) -> models.QuerySet:
    """Obligations still open: not fulfilled, not cancelled, and their period not yet over."""
    return plan.obligations.filter(fulfilled_by__isnull=True, cancelled_at__isnull=True, due_at__gt=now)


def reassign(target, *, new_carer, actor, area=None, note: str = "") -> list[PlanEvent]:
    """Give plans (or a subject's running plans) to ``new_carer``, optionally in a new ``area`` (the subject
    moved). Open obligations move with them; past and fulfilled ones keep their owner and area."""
    now = clock.now()
    events = []
    with transaction.atomic(), actor_context(actor):
        for plan in _plans(target):
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
            from_carer, from_area = plan.carer, plan.area
            plan.carer = new_carer
            if area is not None:
                plan.area = area
            plan.save(update_fields=["carer", "area"])
            moved = 0
            for ob in _open(plan, now).select_for_update():
                ob.owner = new_carer
                ob.area = plan.area
                ob.save(update_fields=["owner", "area"])
                moved += 1
            events.append(_event(plan, PlanEvent.Kind.REASSIGNED, actor, now, from_carer=from_carer,
                                 to_carer=new_carer, from_area=from_area, to_area=plan.area,
                                 moved_obligations=moved, note=note))
    return events


def pause(target, *, actor, note: str = "") -> int:
    """Pause plans (the subject is in hospital): no new obligations; open ones show paused and are not
    counted as missed. Returns the number of plans paused."""
    now = clock.now()
    count = 0
    with transaction.atomic(), actor_context(actor):
        for plan in _plans(target):
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
            if plan.paused:
                continue
            plan.paused = True
            plan.save(update_fields=["paused"])
            for ob in _open(plan, now):
                ob.paused = True
                ob.save(update_fields=["paused"])
            _event(plan, PlanEvent.Kind.PAUSED, actor, now, note=note)
            count += 1
    return count


def resume(target, *, actor, note: str = "") -> int:
    """Resume paused plans. Obligations whose period has not ended run again; periods that ended during the
    pause stay paused (excused); generation restarts with the period containing today."""
    now = clock.now()
    count = 0
    with transaction.atomic(), actor_context(actor):
        plans = []
        for plan in _plans(target):
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
            if not plan.paused:
                continue
            plan.paused = False
            plan.generate_from = max(plan.generate_from, periods.local_date(now))
            plan.save(update_fields=["paused", "generate_from"])
            for ob in plan.obligations.filter(paused=True, due_at__gt=now):
                ob.paused = False
                ob.save(update_fields=["paused"])
            _event(plan, PlanEvent.Kind.RESUMED, actor, now, note=note)
            plans.append(plan)
            count += 1
        if plans:
            generate_obligations(plans=plans)
    return count


def end_plans(target, *, actor, on: date | None = None, note: str = "") -> int:
    """End plans on ``on`` (default today; e.g. the date of death): no obligations after it, and those whose
    period had not ended by then are cancelled. Earlier missed ones stay missed. Returns obligations cancelled."""
    now = clock.now()
    on = on or today()
    cancelled = 0
    with transaction.atomic(), actor_context(actor):
        plans = _plans(target)
        # Catch up first, so every period up to the end exists and a later generation adds nothing.
        generate_obligations(until=min(on, today()), plans=plans)
        for plan in plans:
            plan = Plan.objects.select_for_update().get(pk=plan.pk)
            plan.end_date = on if plan.end_date is None else min(plan.end_date, on)
            plan.save(update_fields=["end_date"])
            for ob in plan.obligations.filter(fulfilled_by__isnull=True, cancelled_at__isnull=True,
                                              period_end__gt=on):
                ob.cancelled_at, ob.cancel_reason = now, note[:200]
                ob.save(update_fields=["cancelled_at", "cancel_reason"])
                cancelled += 1
            _event(plan, PlanEvent.Kind.ENDED, actor, now, note=note)
    return cancelled


def record_death(subject: DutySubject, *, actor, on: date | None = None, condolence_by=None,
                 within_days: int = 7, kind: str = "visit") -> Plan:
    """The subject died: end all their running duties and create a one-off condolence visit to the family,
    owed by ``condolence_by`` (default: the subject's carer) within ``within_days``."""
    with transaction.atomic():
        owner = condolence_by or current_carer(subject)
        if owner is None:
            raise ValidationError(_("Say who makes the condolence visit."))
        on = on or today()
        # One-off duties started on or after the death (this condolence visit) are follow-ups: keep them.
        living = [p for p in _plans(subject) if not (p.frequency == Frequency.ONCE and p.start_date >= on)]
        end_plans(living, actor=actor, on=on, note=_("Deceased"))
        return create_one_off(actor=actor, subject=subject, kind=kind, within_days=within_days, carer=owner,
                              title=_("Condolence visit"))


# ---------------------------------------------------------------- compliance


def _aware(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return midnight(value)


def filter_obligations(qs=None, *, area=None, owner=None, kind: str | None = None) -> models.QuerySet:
    """Obligations in an area's subtree (an Area or its path), of an owner, of a kind."""
    qs = Obligation.objects.all() if qs is None else qs
    if area is not None:
        qs = qs.filter(subtree_q("area__path", area if isinstance(area, str) else area.path))
    if owner is not None:
        qs = qs.filter(owner=owner)
    if kind is not None:
        qs = qs.filter(plan__kind=kind)
    return qs


def compliance(qs=None, *, area=None, owner=None, kind: str | None = None, start: date | datetime | None = None,
               end: date | datetime | None = None, now: datetime | None = None) -> dict:
    """Fulfilled / due for obligations whose grace window closed in [start, end) and by ``now``.

    Cancelled obligations are left out; paused ones too unless they were fulfilled anyway. Obligations still
    inside their period or grace window are not yet due (they do not count either way).
    """
    now = now or clock.now()
    qs = filter_obligations(qs, area=area, owner=owner, kind=kind)
    qs = qs.filter(cancelled_at__isnull=True, grace_until__lte=now).filter(
        Q(paused=False) | Q(fulfilled_by__isnull=False))
    if start is not None:
        qs = qs.filter(grace_until__gte=_aware(start))
    if end is not None:
        qs = qs.filter(grace_until__lt=_aware(end))
    figures = qs.aggregate(due=Count("pk"), fulfilled=Count("pk", filter=Q(fulfilled_by__isnull=False)))
    due, done = figures["due"], figures["fulfilled"]
    return {"due": due, "fulfilled": done, "missed": due - done, "rate": round(done / due, 4) if due else None}


def due_soon(qs=None, *, now: datetime | None = None, **filters) -> models.QuerySet:
    now = now or clock.now()
    return filter_obligations(qs, **filters).annotate(status=status_expression(now)).filter(status=Status.YELLOW)


def overdue(qs=None, *, now: datetime | None = None, **filters) -> models.QuerySet:
    """Red (still loggable in the grace window) and missed obligations."""
    now = now or clock.now()
    return filter_obligations(qs, **filters).annotate(status=status_expression(now)).filter(
        status__in=Status.OVERDUE)


# ---------------------------------------------------------------- reminders


def _unreminded(colour: str):
    return ~Exists(Reminder.objects.filter(obligation=OuterRef("pk"), colour=colour))


def send_reminders(now: datetime | None = None, limit: int = 2000) -> int:
    """Tell owners once when an obligation turns yellow and once when it turns red (a reminder is recorded
    before the message is queued; both in one transaction). Returns the number of reminders sent."""
    now = now or clock.now()
    base = Obligation.objects.filter(cancelled_at__isnull=True, fulfilled_by__isnull=True, paused=False)
    batches = [
        (Status.YELLOW, base.filter(warn_at__lte=now, due_at__gt=now)),
        (Status.RED, base.filter(due_at__lte=now, due_at__gt=now - RED_REMINDER_LOOKBACK)),
    ]
    sent = 0
    for colour, qs in batches:
        pending = (qs.filter(_unreminded(colour)).select_related("plan", "owner")
                   .prefetch_related("plan__subject").order_by("due_at", "pk")[:limit])
        for ob in pending:
            try:
                with transaction.atomic():
                    Reminder.objects.create(obligation=ob, colour=colour, sent_at=now)
                    _tell(ob, colour)
            except IntegrityError:
                continue  # another worker sent it
            sent += 1
    return sent


def _tell(ob: Obligation, colour: str) -> None:
    plan = ob.plan
    subject = plan.subject  # None only if the subject row was deleted
    values = {"duty": plan.title or label_of(plan.kind), "subject": subject.name if subject is not None else "",
              "date": (ob.period_end - timedelta(days=1)).isoformat(),
              "grace": periods.local_date(ob.grace_until).isoformat()}
    if colour == Status.RED:
        title = Message(gettext_lazy("Overdue: %(duty)s for %(subject)s"), **values)
        body = Message(gettext_lazy("It was due by %(date)s. A log dated in the period still counts if entered "
                                    "by %(grace)s."), **values)
    else:
        title = Message(gettext_lazy("Due soon: %(duty)s for %(subject)s"), **values)
        body = Message(gettext_lazy("Please log it by %(date)s."), **values)
    notify(obligation_owners(ob), kind=f"duty_{colour}", title=title, body=body)
