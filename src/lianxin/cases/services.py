"""Moves on the case engine. Each is atomic, permission-checked, version-checked and writes a CaseEvent.

Views, the API, importers, commands and the seeder call these functions and nothing else writes cases.
Notifications go out after commit (lianxin.core.notify).
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lianxin.areas.models import Area, AreaKind
from lianxin.areas.services import check_point_in_city, locate
from lianxin.core import clock
from lianxin.core.notify import notify
from lianxin.core.roles import ROLES
from lianxin.core.visibility import grant_paths, user_grants
from lianxin.workdays import calendar

from . import deadlines
from .models import (
    ACTIVE_ASSIGNMENT,
    DONE_STAGES,
    HANDLER_ROLES,
    OPEN_STAGES,
    Assignment,
    AssignmentStatus,
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    CloseResult,
    Follower,
    IdempotentCreate,
    Stage,
    Urgency,
)
from .types import TYPES, Move

LEVELS = [AreaKind.COMMUNITY, AreaKind.TOWN, AreaKind.COUNTY, AreaKind.CITY]
ABOVE_ROLES = {"town_staff", "county_staff", "org_department", "case_supervisor", "administrator"}


class MoveRefused(PermissionDenied):
    """A move not allowed for this person, level or stage; the message says why."""


class Conflict(ValidationError):
    """Someone else changed the case since it was loaded."""


# ---------------------------------------------------------------- helpers


def owner_area(case: Case) -> Area:
    """The ancestor-or-self of the case's area at the case's level."""
    if case.area.kind == case.level:
        return case.area
    for a in case.area.ancestors():
        if a.kind == case.level:
            return a
    return case.area


def _grants_covering(actor, area: Area, roles: set):
    return [g for g in user_grants(actor) if g.role in roles and g.area_id and area.path.startswith(g.area.path)]


def _require_level_role(actor, case: Case, roles: set, what: str) -> None:
    if actor.is_superuser:
        return
    if not _grants_covering(actor, owner_area(case), roles):
        labels = "、".join(str(ROLES[r].label) for r in sorted(roles) if r in ROLES)
        raise MoveRefused(_("Only %(roles)s responsible for %(area)s may %(what)s this case.")
                          % {"roles": labels, "area": owner_area(case).name, "what": what})


def _handler_assignment(actor, case: Case, statuses=ACTIVE_ASSIGNMENT) -> Assignment:
    """The assignment this person acts on: their own, or one of a unit they act for."""
    org_paths = [g.org.path for g in user_grants(actor) if g.org_id and g.role in HANDLER_ROLES]
    for a in case.assignments.filter(status__in=statuses).select_related("org"):
        if a.user_id == actor.pk:
            return a
        if a.user_id is None and a.org_id and any(a.org.path.startswith(p) for p in org_paths):
            return a
    raise MoveRefused(_("This case is not dispatched to you or your unit."))


def _require_stage(case: Case, *stages) -> None:
    if case.stage not in stages:
        raise MoveRefused(_("Not possible while the case is “%(stage)s”.") % {"stage": case.get_stage_display()})


def _require_not_parked(case: Case) -> None:
    if case.parked:
        raise MoveRefused(_("The case is parked; resume it first."))


def _lock(case: Case | int, version: int | None) -> Case:
    pk = case.pk if isinstance(case, Case) else case
    locked = (Case.objects.select_for_update(of=("self",))
              .select_related("area", "category", "category__parent").get(pk=pk))
    if version is not None and locked.version != version:
        raise Conflict(_("Someone else changed this case meanwhile. Reload it and try again."), code="conflict")
    return locked


def _event(case: Case, kind: str, actor, now, *, from_stage: str, note: str = "", data=None, org=None,
           attachments=(), stage_due_at=None) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case, kind=kind, actor=actor if getattr(actor, "pk", None) else None, at=now,
        from_stage=from_stage, to_stage=case.stage, stage_due_at=stage_due_at, due_after=case.due_at,
        parked_after=case.parked, note=note, data=data or {},
        area_path=case.area.path, org=org or case.lead_org,
    )
    if attachments:
        event.attachments.set(attachments)
    return event


def _save(case: Case) -> None:
    case.version = F("version") + 1
    case.save()
    case.refresh_from_db(fields=["version"])


@dataclass
class Outcome:
    case: Case
    event: CaseEvent
    created: bool = False


def _move(case, version, actor, kind, fn, *, note="", data=None, attachments=(), org=None):
    """Run ``fn(case, now)`` on the locked case, then record the event and bump the version."""
    now = clock.now()
    with transaction.atomic():
        case = _lock(case, version)
        before, due_before = case.stage, case.due_at
        extra = fn(case, now) or {}
        _save(case)
        event = _event(case, kind, actor, now, from_stage=before, note=note, data={**(data or {}), **extra},
                       org=org, attachments=attachments, stage_due_at=due_before)
    return Outcome(case, event)


def _note_required(note: str, what) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Please give the reason for %(what)s.") % {"what": what})
    return note


def _tell(users, case: Case, title: str, body: str = "", channels=("inapp",)) -> None:
    notify([u for u in users if u is not None], kind=f"case.{case.number}", title=title, body=body,
           link=f"/cases/{case.pk}/", channels=channels)


def _unit_users(org):
    from lianxin.accounts.models import User

    return list(User.objects.filter(grants__org=org, grants__role__in=HANDLER_ROLES, is_active=True).distinct())


def _level_staff(case: Case, roles: set):
    from lianxin.accounts.models import User

    owner = owner_area(case)
    return list(User.objects.filter(grants__area=owner, grants__role__in=roles, is_active=True).distinct())


# ---------------------------------------------------------------- intake


def _body_hash(payload: dict) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _next_number(case: Case) -> str:
    county = next((a for a in [*case.area.ancestors(), case.area] if a.kind == AreaKind.COUNTY), None)
    division = (county.code if county else case.area.code)[:6].ljust(6, "0")
    code = case.category.full_code
    prefix = f"{division}{code[:2]}{code[2:4] or '00'}"
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(prefix=prefix)
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{prefix}{counter.last:06d}"


def intake_level(case_type, area: Area) -> str:
    if area.kind == AreaKind.GRID:
        return AreaKind.COMMUNITY
    return area.kind if area.kind in LEVELS else case_type.intake_level


def report(*, actor, type: str = "event", category: Category, title: str, description: str = "",
           area: Area | None = None, lng=None, lat=None, address: str = "", urgency: str = Urgency.NORMAL,
           source: str = "report", nature: str = "", idempotency_key: str | None = None, photos=()) -> Outcome:
    """File a case. A retry with the same key returns the first case; the same key with another body fails."""
    case_type = TYPES.get(type)
    if case_type is None:
        raise ValidationError(_("Unknown case type."))
    if category.parent_id is None or not category.is_active:
        raise ValidationError(_("Choose a sub-category."))
    if not category.allows_type(type):
        raise ValidationError(_("This category is not used for this kind of case."))
    title = (title or "").strip() or category.name
    if len(title) > 120:
        raise ValidationError(_("The title is too long (at most 120 characters)."))
    if urgency not in Urgency.values:
        raise ValidationError(_("Unknown urgency."))
    if lng is not None or lat is not None:
        check_point_in_city(lng, lat)
        lng, lat = float(lng), float(lat)
        area = area or locate(lng, lat)
        if area is None:
            raise ValidationError(_("This location is not inside any grid of the city."))
    if area is None:
        raise ValidationError(_("Give the location on the map or choose the area."))
    payload = {"type": type, "category": category.pk, "title": title, "description": description,
               "area": area.pk, "lng": lng, "lat": lat, "address": address, "urgency": urgency,
               "source": source, "nature": nature,
               # By content: a retried upload is a new StoredFile row with the same bytes.
               "photos": sorted(p.sha256 for p in photos)}
    body_hash = _body_hash(payload)
    if idempotency_key:
        existing = IdempotentCreate.objects.filter(user=actor, key=idempotency_key).select_related("case").first()
        if existing:
            return _replay(existing, body_hash)
    now = clock.now()
    try:
        with transaction.atomic():
            case = Case(type=type, category=category, title=title, description=description, area=area,
                        level=intake_level(case_type, area), lng=lng, lat=lat, address=address, urgency=urgency,
                        source=source, nature=nature, reporter=actor, created_at=now)
            deadlines.start_clock(case, case_type.first_stage, now)
            case.number = _next_number(case)
            case.save()
            if idempotency_key:
                IdempotentCreate.objects.create(user=actor, key=idempotency_key, body_hash=body_hash, case=case)
            event = _event(case, "report", actor, now, from_stage="", attachments=photos,
                           data={"source": source})
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = IdempotentCreate.objects.filter(user=actor, key=idempotency_key).select_related("case").first()
        if existing is None:
            raise
        return _replay(existing, body_hash)
    transaction.on_commit(lambda: _tell(_level_staff(case, case_type.supervising_roles(case.level)), case,
                                        _("New case %(n)s: %(t)s") % {"n": case.number, "t": case.title}))
    return Outcome(case, event, created=True)


def _replay(existing: IdempotentCreate, body_hash: str) -> Outcome:
    if existing.body_hash != body_hash:
        raise ValidationError(_("This submission key was already used for a different report."), code="key_reused")
    case = existing.case
    return Outcome(case, case.events.order_by("at", "pk").first(), created=False)


# ---------------------------------------------------------------- the loop


def accept(case, *, actor, version=None, note: str = "", urgency: str | None = None) -> Outcome:
    def fn(c, now):
        _require_stage(c, Stage.REPORTED)
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("accept"))
        if urgency:
            c.urgency = urgency
        deadlines.start_clock(c, Stage.ACCEPTED, now)

    out = _move(case, version, actor, Move.ACCEPT, fn, note=note)
    transaction.on_commit(lambda: _tell([out.case.reporter], out.case, _("Your report %(n)s was accepted.")
                                        % {"n": out.case.number}))
    return out


def refuse(case, *, actor, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("not accepting"))

    def fn(c, now):
        _require_stage(c, Stage.REPORTED)
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("refuse"))
        deadlines.start_clock(c, Stage.REFUSED, now)
        c.closed_at = now

    out = _move(case, version, actor, Move.REFUSE, fn, note=reason)
    transaction.on_commit(lambda: _tell([out.case.reporter], out.case,
                                        _("Your report %(n)s was not accepted") % {"n": out.case.number}, reason))
    return out


def dispatch(case, *, actor, lead, co_handlers=(), version=None, note: str = "") -> Outcome:
    """Send the case to a lead handler (an org or a person) and optional co-handlers."""
    targets = [lead, *co_handlers]
    if lead is None:
        raise ValidationError(_("Choose who handles the case."))
    if len({(type(t).__name__, t.pk) for t in targets}) != len(targets):
        raise ValidationError(_("The same handler is listed twice."))

    def fn(c, now):
        _require_stage(c, Stage.ACCEPTED)
        _require_not_parked(c)
        _require_level_role(actor, c, TYPES[c.type].dispatching_roles(c.level), _("dispatch"))
        for i, target in enumerate(targets):
            is_org = target.__class__.__name__ == "Org"
            Assignment.objects.create(case=c, org=target if is_org else None, user=None if is_org else target,
                                      is_lead=i == 0)
        c.lead_org = lead if lead.__class__.__name__ == "Org" else None
        deadlines.start_clock(c, Stage.DISPATCHED, now)
        return {"lead": str(lead), "co": [str(t) for t in co_handlers]}

    out = _move(case, version, actor, Move.DISPATCH, fn, note=note)
    users = []
    for t in targets:
        users += _unit_users(t) if t.__class__.__name__ == "Org" else [t]
    transaction.on_commit(lambda: _tell(users, out.case, _("Case %(n)s was dispatched to you: %(t)s")
                                        % {"n": out.case.number, "t": out.case.title}, channels=("inapp", "sms")))
    return out


def redispatch(case, *, actor, to, version=None, note: str = "") -> Outcome:
    """A unit passes its assignment to a named person inside it, or (appeals) to another unit."""

    def fn(c, now):
        _require_stage(c, Stage.DISPATCHED, Stage.HANDLING)
        mine = _handler_assignment(actor, c)
        if to.__class__.__name__ == "Org":
            Assignment.objects.filter(pk=mine.pk).update(status=AssignmentStatus.HANDED_OVER)
            Assignment.objects.create(case=c, org=to, is_lead=mine.is_lead)
            if mine.is_lead:
                c.lead_org = to
        else:
            Assignment.objects.filter(pk=mine.pk).update(user=to)
        return {"to": str(to)}

    out = _move(case, version, actor, Move.REDISPATCH, fn, note=note)
    users = _unit_users(to) if to.__class__.__name__ == "Org" else [to]
    transaction.on_commit(lambda: _tell(users, out.case, _("Case %(n)s was passed to you") % {"n": out.case.number}))
    return out


def handler_accept(case, *, actor, version=None, note: str = "") -> Outcome:
    def fn(c, now):
        _require_stage(c, Stage.DISPATCHED, Stage.HANDLING)
        mine = _handler_assignment(actor, c, (AssignmentStatus.PENDING,))
        Assignment.objects.filter(pk=mine.pk).update(status=AssignmentStatus.ACCEPTED)
        if c.stage == Stage.DISPATCHED and mine.is_lead:
            c.stage = Stage.HANDLING  # the handling clock keeps running from dispatch
        return {"assignment": mine.pk}

    return _move(case, version, actor, Move.HANDLER_ACCEPT, fn, note=note)


def return_case(case, *, actor, reason: str, version=None) -> Outcome:
    """退单: the lead unit says the case is not for it; it goes back to dispatch with the reason."""
    reason = _note_required(reason, _("returning the case"))

    def fn(c, now):
        _require_stage(c, Stage.DISPATCHED, Stage.HANDLING)
        mine = _handler_assignment(actor, c, (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED))
        if not mine.is_lead:
            Assignment.objects.filter(pk=mine.pk).update(status=AssignmentStatus.RETURNED)
            return {"co_handler": True}
        c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.RETURNED)
        c.lead_org = None
        deadlines.start_clock(c, Stage.ACCEPTED, now)
        return {"co_handler": False}

    out = _move(case, version, actor, Move.RETURN, fn, note=reason)
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].dispatching_roles(out.case.level)),
                                        out.case, _("Case %(n)s was returned") % {"n": out.case.number}, reason))
    return out


def progress(case, *, actor, note: str, photos=(), version=None) -> Outcome:
    note = _note_required(note, _("the progress note"))

    def fn(c, now):
        _require_stage(c, Stage.HANDLING, Stage.DISPATCHED)
        _handler_assignment(actor, c)

    return _move(case, version, actor, Move.PROGRESS, fn, note=note, attachments=photos)


def feedback(case, *, actor, note: str, photos=(), version=None) -> Outcome:
    """Handling done, with "after" photos. Each co-handler gives its own; the last one sends it to verify."""
    note = _note_required(note, _("the feedback"))

    def fn(c, now):
        _require_stage(c, Stage.HANDLING)
        _require_not_parked(c)
        mine = _handler_assignment(actor, c, (AssignmentStatus.ACCEPTED,))
        Assignment.objects.filter(pk=mine.pk).update(status=AssignmentStatus.FED_BACK)
        waiting = c.assignments.filter(status__in=(AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)).exists()
        if not waiting:
            deadlines.start_clock(c, Stage.VERIFYING, now)
        return {"assignment": mine.pk, "lead": mine.is_lead, "complete": not waiting}

    out = _move(case, version, actor, Move.FEEDBACK, fn, note=note, attachments=photos)
    if out.case.stage == Stage.VERIFYING:
        ctype = TYPES[out.case.type]
        verifiers = [out.case.reporter] if ctype.reporter_verifies else \
            _level_staff(out.case, ctype.supervising_roles(out.case.level))
        transaction.on_commit(lambda: _tell(verifiers, out.case, _("Case %(n)s is ready to verify")
                                            % {"n": out.case.number}))
    return out


def _handlers_of(case: Case) -> set:
    ids = set(case.assignments.exclude(user=None).values_list("user_id", flat=True))
    ids |= set(case.events.filter(kind__in=[Move.FEEDBACK, Move.PROGRESS, Move.HANDLER_ACCEPT])
               .exclude(actor=None).values_list("actor_id", flat=True))
    return ids


def _close(c: Case, now, result: str) -> None:
    late_handling = c.events.filter(kind=Move.FEEDBACK, at__gt=F("stage_due_at")).exists()
    c.closed_late = late_handling or (c.due_at is not None and now > c.due_at)
    c.close_result = result
    c.closed_at = now
    deadlines.start_clock(c, Stage.CLOSED, now)
    return {"late": c.closed_late}


def verify(case, *, actor, passed: bool, note: str = "", photos=(), version=None) -> Outcome:
    """By someone other than the handlers: pass closes as fixed; fail sends it back for rework."""
    if not passed:
        note = _note_required(note, _("failing verification"))

    def fn(c, now):
        _require_stage(c, Stage.VERIFYING)
        ctype = TYPES[c.type]
        if ctype.reporter_verifies and c.reporter_id == actor.pk:
            pass
        else:
            _require_level_role(actor, c, ctype.supervising_roles(c.level), _("verify"))
        if actor.pk in _handlers_of(c):
            raise MoveRefused(_("The person who handled a case cannot verify it."))
        if passed:
            return {"passed": True, **_close(c, now, CloseResult.FIXED)}
        else:
            c.rework_count += 1
            c.assignments.filter(status=AssignmentStatus.FED_BACK).update(status=AssignmentStatus.ACCEPTED)
            deadlines.start_clock(c, Stage.HANDLING, now)
        return {"passed": passed}

    out = _move(case, version, actor, Move.VERIFY, fn, note=note, attachments=photos)
    if passed:
        transaction.on_commit(lambda: _tell([out.case.reporter], out.case, _("Your report %(n)s is closed: please "
                                            "rate how it was handled") % {"n": out.case.number}))
    else:
        users = [u for a in out.case.assignments.filter(status=AssignmentStatus.ACCEPTED).select_related("user", "org")
                 for u in ([a.user] if a.user else _unit_users(a.org))]
        transaction.on_commit(lambda: _tell(users, out.case, _("Case %(n)s needs rework") % {"n": out.case.number},
                                            note))
    return out


def rate(case, *, actor, stars: int, note: str = "", version=None) -> Outcome:
    try:
        stars = int(stars)
    except (TypeError, ValueError) as e:
        raise ValidationError(_("A rating is a whole number from 1 to 5.")) from e
    if not 1 <= stars <= 5:
        raise ValidationError(_("A rating is a whole number from 1 to 5."))

    def fn(c, now):
        _require_stage(c, Stage.CLOSED)
        if c.reporter_id != actor.pk or not TYPES[c.type].reporter_rates:
            raise MoveRefused(_("Only the reporter rates a case."))
        if c.rating is not None:
            raise MoveRefused(_("This case has already been rated."))
        c.rating = stars
        return {"stars": stars}

    return _move(case, version, actor, Move.RATE, fn, note=note)


def revisit(case, *, actor, fixed: bool, note: str = "", version=None) -> Outcome:
    """回访 after closing. "Not fixed" sends the case back to the verifier."""

    def fn(c, now):
        _require_stage(c, Stage.CLOSED)
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("record the return visit"))
        if not fixed:
            c.close_result = ""
            c.closed_at = None
            deadlines.start_clock(c, Stage.VERIFYING, now)
        return {"fixed": fixed}

    return _move(case, version, actor, Move.REVISIT, fn, note=note)


# ---------------------------------------------------------------- side paths


def request_extension(case, *, actor, work_days: int, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("the extension"))
    if not isinstance(work_days, int) or not 1 <= work_days <= 60:
        raise ValidationError(_("An extension is 1 to 60 working days."))

    def fn(c, now):
        _require_stage(c, Stage.DISPATCHED, Stage.HANDLING)
        _handler_assignment(actor, c)
        if _pending_request(c, Move.EXTEND_REQUEST, Move.EXTEND_DECIDE):
            raise MoveRefused(_("An extension request is already waiting for a decision."))
        return {"work_days": work_days}

    out = _move(case, version, actor, Move.EXTEND_REQUEST, fn, note=reason)
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].supervising_roles(out.case.level)),
                                        out.case, _("Extension requested for %(n)s") % {"n": out.case.number}, reason))
    return out


def decide_extension(case, *, actor, approve: bool, note: str = "", version=None) -> Outcome:
    def fn(c, now):
        _require_stage(c, Stage.DISPATCHED, Stage.HANDLING)
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("decide extensions of"))
        pending = _pending_request(c, Move.EXTEND_REQUEST, Move.EXTEND_DECIDE)
        if pending is None:
            raise MoveRefused(_("There is no extension request waiting."))
        days = pending.data["work_days"]
        if approve:
            minutes = days * calendar.MINUTES_PER_WORKDAY
            c.due_at = calendar.add_working_minutes(c.due_at, minutes)
            c.warn_at = calendar.add_working_minutes(c.warn_at, minutes)
            c.extension_count += 1
        return {"approve": approve, "work_days": days}

    return _move(case, version, actor, Move.EXTEND_DECIDE, fn, note=note)


def supervise(case, *, actor, note: str, version=None) -> Outcome:
    """督办 by a higher level: recorded, counted, and sent to the handlers; printable as a notice."""
    note = _note_required(note, _("the supervision notice"))

    def fn(c, now):
        _require_stage(c, *OPEN_STAGES)
        owner = owner_area(c)
        grants = [g for g in _grants_covering(actor, owner, ABOVE_ROLES) if g.area.depth < owner.depth]
        if not grants and not actor.is_superuser:
            raise MoveRefused(_("Supervision comes from a level above the one handling the case."))
        c.supervise_count += 1
        overdue = c.due_at is not None and now > c.due_at
        return {"overdue": overdue, "notice_no": c.supervise_count}

    out = _move(case, version, actor, Move.SUPERVISE, fn, note=note)
    users = [u for a in out.case.assignments.filter(status__in=ACTIVE_ASSIGNMENT).select_related("user", "org")
             for u in ([a.user] if a.user else _unit_users(a.org))]
    users += _level_staff(out.case, TYPES[out.case.type].dispatching_roles(out.case.level))
    transaction.on_commit(lambda: _tell(users, out.case, _("Supervision notice for case %(n)s")
                                        % {"n": out.case.number}, note, channels=("inapp", "sms")))
    return out


def escalate(case, *, actor, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("escalating"))

    def fn(c, now):
        _require_stage(c, Stage.REPORTED, Stage.ACCEPTED, Stage.DISPATCHED, Stage.HANDLING)
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level) | TYPES[c.type].dispatching_roles(
            c.level), _("escalate"))
        i = LEVELS.index(c.level)
        if i + 1 >= len(LEVELS):
            raise MoveRefused(_("The case is already at the top level."))
        c.level = LEVELS[i + 1]
        c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.HANDED_OVER)
        c.lead_org = None
        deadlines.start_clock(c, Stage.ACCEPTED, now)
        return {"to_level": c.level}

    out = _move(case, version, actor, Move.ESCALATE, fn, note=reason)
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].dispatching_roles(
        out.case.level)), out.case, _("Case %(n)s was escalated to you") % {"n": out.case.number}, reason))
    return out


def _pending_request(c: Case, request_kind: str, decide_kind: str):
    last = c.events.filter(kind=request_kind).order_by("-at", "-pk").first()
    if last is None or c.events.filter(kind=decide_kind, at__gte=last.at, pk__gt=last.pk).exists():
        return None
    return last


def _may_request(actor, c: Case) -> None:
    try:
        _handler_assignment(actor, c)
    except MoveRefused:
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("request this for"))


def request_park(case, *, actor, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("parking the case"))

    def fn(c, now):
        _require_stage(c, *OPEN_STAGES)
        _require_not_parked(c)
        _may_request(actor, c)
        if _pending_request(c, Move.PARK_REQUEST, Move.PARK_DECIDE):
            raise MoveRefused(_("A request is already waiting for a decision."))

    return _move(case, version, actor, Move.PARK_REQUEST, fn, note=reason)


def decide_park(case, *, actor, approve: bool, note: str = "", version=None) -> Outcome:
    """Approving parks the case: its clock stops, keeping what was left of the limit."""

    def fn(c, now):
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("approve parking"))
        if not _pending_request(c, Move.PARK_REQUEST, Move.PARK_DECIDE):
            raise MoveRefused(_("There is no parking request waiting."))
        if not approve:
            return {"approve": False}
        c.parked = True
        c.parked_remaining_min = calendar.remaining_minutes(now, c.due_at, c.limit_working) if c.due_at else None
        warn_left = calendar.remaining_minutes(now, c.warn_at, c.limit_working) if c.warn_at else None
        return {"approve": True, "remaining_min": c.parked_remaining_min, "warn_remaining_min": warn_left}

    return _move(case, version, actor, Move.PARK_DECIDE, fn, note=note)


def unpark(case, *, actor, note: str = "", version=None) -> Outcome:
    def fn(c, now):
        if not c.parked:
            raise MoveRefused(_("The case is not parked."))
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("resume"))
        parked = c.events.filter(kind=Move.PARK_DECIDE, data__approve=True).order_by("-at", "-pk").first()
        c.parked = False
        if c.parked_remaining_min is not None:
            c.due_at = calendar.deadline(now, c.parked_remaining_min, c.limit_working)
            warn_left = (parked.data.get("warn_remaining_min") if parked else None) or 0
            c.warn_at = calendar.deadline(now, warn_left, c.limit_working)
        c.parked_remaining_min = None

    return _move(case, version, actor, Move.UNPARK, fn, note=note)


def request_void(case, *, actor, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("voiding the case"))

    def fn(c, now):
        _require_stage(c, *OPEN_STAGES)
        _may_request(actor, c)
        if _pending_request(c, Move.VOID_REQUEST, Move.VOID_DECIDE):
            raise MoveRefused(_("A request is already waiting for a decision."))

    return _move(case, version, actor, Move.VOID_REQUEST, fn, note=reason)


def decide_void(case, *, actor, approve: bool, note: str = "", version=None) -> Outcome:
    def fn(c, now):
        _require_stage(c, *OPEN_STAGES)
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("approve voiding"))
        if not _pending_request(c, Move.VOID_REQUEST, Move.VOID_DECIDE):
            raise MoveRefused(_("There is no void request waiting."))
        if approve:
            c.parked = False
            c.closed_at = now
            c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.HANDED_OVER)
            deadlines.start_clock(c, Stage.VOIDED, now)
        return {"approve": approve}

    return _move(case, version, actor, Move.VOID_DECIDE, fn, note=note)


def merge(duplicate, *, into: Case, actor, version=None, note: str = "") -> Outcome:
    """Close ``duplicate`` into its original; its reporter and followers follow the original."""
    if duplicate.pk == into.pk:
        raise ValidationError(_("A case cannot be merged into itself."))

    def fn(c, now):
        _require_stage(c, *OPEN_STAGES)
        original = Case.objects.select_for_update().get(pk=into.pk)
        if original.stage not in OPEN_STAGES and original.stage != Stage.CLOSED:
            raise MoveRefused(_("The original case is voided or refused."))
        if original.merged_into_id:
            raise MoveRefused(_("The original is itself a merged duplicate."))
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("merge"))
        followers = {f for f in c.followers.values_list("user_id", flat=True)}
        if c.reporter_id:
            followers.add(c.reporter_id)
        for uid in followers - {original.reporter_id}:
            Follower.objects.get_or_create(case=original, user_id=uid)
        c.merged_into = original
        c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.HANDED_OVER)
        c.parked = False
        return {"into": original.number, **_close(c, now, CloseResult.DUPLICATE)}

    return _move(duplicate, version, actor, Move.MERGE, fn, note=note)


def recategorize(case, *, actor, category: Category, version=None, note: str = "") -> Outcome:
    """Correct a wrong category: a dispatched case goes back to dispatch for the right unit."""

    def fn(c, now):
        _require_stage(c, *OPEN_STAGES)
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("change the category of"))
        if category.parent_id is None or not category.allows_type(c.type):
            raise ValidationError(_("Choose a sub-category used for this kind of case."))
        old = c.category.full_code
        c.category = category
        if c.stage in (Stage.DISPATCHED, Stage.HANDLING):
            c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.HANDED_OVER)
            c.lead_org = None
            deadlines.start_clock(c, Stage.ACCEPTED, now)
        else:
            deadlines.start_clock(c, c.stage, now)
        return {"from": old, "to": category.full_code}

    return _move(case, version, actor, Move.RECATEGORIZE, fn, note=note)


def close_without_fix(case, *, actor, result: str, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("closing without a fix"))
    if result not in (CloseResult.NOT_REMIT, CloseResult.NO_ACTION, CloseResult.DUPLICATE):
        raise ValidationError(_("Choose why the case closes without a fix."))

    def fn(c, now):
        _require_stage(c, *OPEN_STAGES)
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("close"))
        c.parked = False
        c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.HANDED_OVER)
        return {"result": result, **_close(c, now, result)}

    out = _move(case, version, actor, Move.CLOSE_WITHOUT_FIX, fn, note=reason)
    transaction.on_commit(lambda: _tell([out.case.reporter], out.case, _("Your report %(n)s was closed")
                                        % {"n": out.case.number}, reason))
    return out


def handover(*, actor, from_user, to_user, note: str = "") -> list[Outcome]:
    """Move every open assignment of a person who leaves to a successor, each with its event."""
    from lianxin.accounts.models import User

    if not actor.is_superuser and not User.objects.visible_to(actor, "change").filter(pk=from_user.pk).exists():
        raise MoveRefused(_("You may not hand over this person's cases."))
    if from_user.pk == to_user.pk:
        raise ValidationError(_("Choose someone else to take the cases over."))
    outcomes = []
    case_ids = (Assignment.objects.filter(user=from_user, status__in=ACTIVE_ASSIGNMENT)
                .exclude(case__stage__in=DONE_STAGES).values_list("case_id", flat=True).distinct())
    for case_id in list(case_ids):
        def fn(c, now):
            for a in c.assignments.filter(user=from_user, status__in=ACTIVE_ASSIGNMENT):
                Assignment.objects.filter(pk=a.pk).update(user=to_user)
            return {"from": from_user.pk, "to": to_user.pk}

        outcomes.append(_move(case_id, None, actor, Move.HANDOVER, fn, note=note))
    return outcomes


def _handles(case: Case, viewer) -> bool:
    if viewer.pk in _handlers_of(case):
        return True
    try:
        _handler_assignment(viewer, case, tuple(AssignmentStatus.values))
    except MoveRefused:
        return False
    return True


def reporter_hidden_from(case: Case, viewer) -> bool:
    """Who reported is shown only to the reporter, to staff responsible for the area, and (except for
    whistle-blowing categories, where handling units never learn it) to the handlers. Followers and
    other involved people never see another resident's name."""
    if viewer is None or viewer.pk == case.reporter_id or viewer.is_superuser:
        return False
    if case.category.confidential and _handles(case, viewer):
        return True
    area_paths, _org_paths = grant_paths(viewer, "cases.case", "view")
    if any(case.area.path.startswith(p) for p in area_paths):
        return False
    return not _handles(case, viewer)


def follow(case: Case, *, user) -> bool:
    _obj, created = Follower.objects.get_or_create(case=case, user=user)
    return created


# ---------------------------------------------------------------- what a person may do now


def _check(fn) -> bool:
    try:
        fn()
    except (MoveRefused, ValidationError):
        return False
    return True


def available_moves(actor, case: Case) -> list[str]:
    """The moves this person may make on this case now (the case page shows only these)."""
    ctype = TYPES[case.type]
    sup = ctype.supervising_roles(case.level)
    disp = ctype.dispatching_roles(case.level)

    def level(roles):
        return lambda: _require_level_role(actor, case, roles, "")

    def handler(statuses=ACTIVE_ASSIGNMENT):
        return lambda: _handler_assignment(actor, case, statuses)

    def stage(*stages):
        return lambda: _require_stage(case, *stages)

    def all_of(*checks):
        return lambda: [c() for c in checks]

    def not_parked():
        return _require_not_parked(case)

    def above():
        owner = owner_area(case)
        if not actor.is_superuser and not [g for g in _grants_covering(actor, owner, ABOVE_ROLES)
                                           if g.area.depth < owner.depth]:
            raise MoveRefused("")

    def reporter():
        if case.reporter_id != actor.pk:
            raise MoveRefused("")

    def not_handler():
        if actor.pk in _handlers_of(case):
            raise MoveRefused("")

    def pending(req, dec):
        def check():
            if not _pending_request(case, req, dec):
                raise MoveRefused("")
        return check

    def no_pending(req, dec):
        def check():
            if _pending_request(case, req, dec):
                raise MoveRefused("")
        return check

    def may_request():
        _may_request(actor, case)

    def unrated():
        if case.rating is not None or not ctype.reporter_rates:
            raise MoveRefused("")

    def parked():
        if not case.parked:
            raise MoveRefused("")

    checks = {
        Move.ACCEPT: all_of(stage(Stage.REPORTED), level(sup)),
        Move.REFUSE: all_of(stage(Stage.REPORTED), level(sup)),
        Move.DISPATCH: all_of(stage(Stage.ACCEPTED), not_parked, level(disp)),
        Move.REDISPATCH: all_of(stage(Stage.DISPATCHED, Stage.HANDLING), handler()),
        Move.HANDLER_ACCEPT: all_of(stage(Stage.DISPATCHED, Stage.HANDLING), handler((AssignmentStatus.PENDING,))),
        Move.RETURN: all_of(stage(Stage.DISPATCHED, Stage.HANDLING),
                            handler((AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED))),
        Move.PROGRESS: all_of(stage(Stage.DISPATCHED, Stage.HANDLING), handler()),
        Move.FEEDBACK: all_of(stage(Stage.HANDLING), not_parked, handler((AssignmentStatus.ACCEPTED,))),
        Move.VERIFY: all_of(stage(Stage.VERIFYING), level(sup), not_handler),
        Move.RATE: all_of(stage(Stage.CLOSED), reporter, unrated),
        Move.REVISIT: all_of(stage(Stage.CLOSED), level(sup)),
        Move.EXTEND_REQUEST: all_of(stage(Stage.DISPATCHED, Stage.HANDLING), handler(),
                                    no_pending(Move.EXTEND_REQUEST, Move.EXTEND_DECIDE)),
        Move.EXTEND_DECIDE: all_of(stage(Stage.DISPATCHED, Stage.HANDLING), level(sup),
                                   pending(Move.EXTEND_REQUEST, Move.EXTEND_DECIDE)),
        Move.SUPERVISE: all_of(stage(*OPEN_STAGES), above),
        Move.ESCALATE: all_of(stage(Stage.REPORTED, Stage.ACCEPTED, Stage.DISPATCHED, Stage.HANDLING),
                              level(sup | disp)),
        Move.PARK_REQUEST: all_of(stage(*OPEN_STAGES), not_parked, may_request,
                                  no_pending(Move.PARK_REQUEST, Move.PARK_DECIDE)),
        Move.PARK_DECIDE: all_of(level(sup), pending(Move.PARK_REQUEST, Move.PARK_DECIDE)),
        Move.UNPARK: all_of(parked, level(sup)),
        Move.VOID_REQUEST: all_of(stage(*OPEN_STAGES), may_request, no_pending(Move.VOID_REQUEST, Move.VOID_DECIDE)),
        Move.VOID_DECIDE: all_of(stage(*OPEN_STAGES), level(sup), pending(Move.VOID_REQUEST, Move.VOID_DECIDE)),
        Move.MERGE: all_of(stage(*OPEN_STAGES), level(sup)),
        Move.RECATEGORIZE: all_of(stage(*OPEN_STAGES), level(sup)),
        Move.CLOSE_WITHOUT_FIX: all_of(stage(*OPEN_STAGES), level(sup)),
    }
    return [move for move, check in checks.items() if _check(check)]


# ---------------------------------------------------------------- the reporter's own moves


def _require_reporter(actor, c: Case) -> None:
    if actor is None or c.reporter_id != actor.pk:
        raise MoveRefused(_("Only the person who reported the case may change it."))


def edit_report(case, *, actor, title: str | None = None, description: str | None = None,
                category: Category | None = None, version=None) -> Outcome:
    """The reporter corrects their report while it still awaits acceptance. The running clock is kept."""
    changes = {}

    def fn(c, now):
        _require_stage(c, Stage.REPORTED)
        _require_reporter(actor, c)
        if title is not None:
            new_title = title.strip() or c.title
            if len(new_title) > 120:
                raise ValidationError(_("The title is too long (at most 120 characters)."))
            if new_title != c.title:
                changes["title"] = [c.title, new_title]
                c.title = new_title
        if description is not None and description.strip() != c.description:
            changes["description"] = [c.description, description.strip()]
            c.description = description.strip()
        if category is not None and category.pk != c.category_id:
            if category.parent_id is None or not category.is_active or not category.allows_type(c.type):
                raise ValidationError(_("Choose a sub-category used for this kind of case."))
            changes["category"] = [c.category.full_code, category.full_code]
            c.category = category
        if not changes:
            raise ValidationError(_("Nothing was changed."), code="unchanged")
        return {"changes": changes}

    return _move(case, version, actor, "edit", fn)


def withdraw(case, *, actor, reason: str = "", version=None) -> Outcome:
    """The reporter takes their report back before it is accepted: the case ends as voided."""

    def fn(c, now):
        _require_stage(c, Stage.REPORTED)
        _require_reporter(actor, c)
        c.closed_at = now
        deadlines.start_clock(c, Stage.VOIDED, now)
        return {"withdrawn": True}

    out = _move(case, version, actor, "withdraw", fn, note=(reason or "").strip())
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].supervising_roles(out.case.level)),
                                        out.case, _("Report %(n)s was withdrawn by the reporter")
                                        % {"n": out.case.number}, out.event.note))
    return out
