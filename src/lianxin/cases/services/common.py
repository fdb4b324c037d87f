"""Shared pieces of the moves: locking, permission checks, the event writer, notifications."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from lianxin.areas.models import Area, AreaKind
from lianxin.core import clock, configcache
from lianxin.core.notify import Message, notify
from lianxin.core.roles import ROLES
from lianxin.core.visibility import user_grants

from .. import deadlines
from ..models import (
    ACTIVE_ASSIGNMENT,
    HANDLER_ROLES,
    Assignment,
    AssignmentStatus,
    Case,
    CaseEvent,
    Stage,
)
from ..types import TYPES, Move

LEVELS = [AreaKind.COMMUNITY, AreaKind.TOWN, AreaKind.COUNTY, AreaKind.CITY]


ABOVE_ROLES = {"town_staff", "county_staff", "org_department", "case_supervisor", "administrator"}


class MoveRefused(PermissionDenied):
    """A move not allowed for this person, level or stage; the message says why."""


class Conflict(ValidationError):
    """Someone else changed the case since it was loaded."""


def ancestors(area: Area) -> list[Area]:
    """``area.ancestors()`` from a per-process snapshot of the areas above grids (core.configcache), without
    their boundaries: every report and move needs the county, the owner level and their names."""
    known = configcache.get("ancestor_areas", dict)
    ids = [int(x) for x in area.path.strip("/").split("/") if x][:-1]
    missing = [pk for pk in ids if pk not in known]
    if missing:
        known.update((a.pk, a) for a in Area.objects.filter(pk__in=missing).defer("boundary"))
    return sorted((known[pk] for pk in ids if pk in known), key=lambda a: a.depth)


def owner_area(case: Case) -> Area:
    """The ancestor-or-self of the case's area at the case's level."""
    if case.area.kind == case.level:
        return case.area
    for a in ancestors(case.area):
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


def _handler_assignment(actor, case: Case, statuses=ACTIVE_ASSIGNMENT, rows=None) -> Assignment:
    """The assignment this person acts on: their own, or one of a unit they act for.

    ``rows``: a callable giving all of the case's assignments with their org, when the caller asks many
    questions about an unchanging case (``available_moves``); moves read the locked case's rows instead."""
    found = _find_handler_assignment(actor, case, statuses, rows)
    if found is None:
        raise MoveRefused(_("This case is not dispatched to you or your unit."))
    return found


def _find_handler_assignment(actor, case: Case, statuses=ACTIVE_ASSIGNMENT, rows=None) -> Assignment | None:
    org_paths = [g.org.path for g in user_grants(actor) if g.org_id and g.role in HANDLER_ROLES]
    found = ([a for a in rows() if a.status in statuses] if rows is not None
             else case.assignments.filter(status__in=statuses).select_related("org"))
    for a in found:
        if a.user_id == actor.pk:
            return a
        if a.user_id is None and a.org_id and any(a.org.path.startswith(p) for p in org_paths):
            return a
    return None


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


def _new_event(case: Case, kind: str, actor, now, *, from_stage: str, note: str = "", data=None, org=None,
               stage_due_at=None) -> CaseEvent:
    """The event of a move, unsaved: the case's state right after the move."""
    return CaseEvent(
        case=case, kind=kind, actor=actor if getattr(actor, "pk", None) else None, at=now,
        from_stage=from_stage, to_stage=case.stage, stage_due_at=stage_due_at, due_after=case.due_at,
        parked_after=case.parked, note=note, data=data or {},
        area_path=case.area.path, org=org or case.lead_org,
    )


def _event(case: Case, kind: str, actor, now, *, from_stage: str, note: str = "", data=None, org=None,
           attachments=(), stage_due_at=None) -> CaseEvent:
    event = _new_event(case, kind, actor, now, from_stage=from_stage, note=note, data=data, org=org,
                       stage_due_at=stage_due_at)
    event.save(force_insert=True)
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


def _tell(users, case: Case, title, body="", channels=("inapp",), cause: str = "") -> None:
    """Tell ``users`` about ``case`` in each one's language: ``title`` is a lazy text that may name the case by
    %(n)s (its number) and %(t)s (its title), or a Message."""
    if isinstance(title, Promise):
        title = Message(title, n=case.number, t=case.title)
    notify([u for u in users if u is not None], kind=f"case.{case.number}", title=title, body=body,
           link=f"/cases/{case.pk}/", channels=channels, cause=cause)


def _unit_users(org):
    from lianxin.accounts.models import User

    return list(User.objects.filter(grants__org=org, grants__role__in=HANDLER_ROLES, is_active=True).distinct())


def _level_staff(case: Case, roles: set):
    from lianxin.accounts.models import User

    owner = owner_area(case)
    return list(User.objects.filter(grants__area=owner, grants__role__in=roles, is_active=True).distinct())


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


def _pending_request(c: Case, request_kind: str, decide_kind: str):
    last = c.events.filter(kind=request_kind).order_by("-at", "-pk").first()
    if last is None or c.events.filter(kind=decide_kind, at__gte=last.at, pk__gt=last.pk).exists():
        return None
    return last


def _may_request(actor, c: Case) -> None:
    if _find_handler_assignment(actor, c) is None:
        _require_level_role(actor, c, TYPES[c.type].supervising_roles(c.level), _("request this for"))


def _handles(case: Case, viewer) -> bool:
    if viewer.pk in _handlers_of(case):
        return True
    return _find_handler_assignment(viewer, case, tuple(AssignmentStatus.values)) is not None
