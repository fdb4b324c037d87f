"""Side paths, each with its trail: extension, supervision, escalation, parking, voiding, merging,
re-categorising, closing without a fix, handing over."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.workdays import calendar

from .. import deadlines
from ..flow import guard
from ..models import (
    ACTIVE_ASSIGNMENT,
    DONE_STAGES,
    OPEN_STAGES,
    Assignment,
    AssignmentStatus,
    Case,
    Category,
    CloseResult,
    Follower,
    Stage,
)
from ..types import TYPES, Move
from .common import (
    LEVELS,
    MoveRefused,
    Outcome,
    _close,
    _level_staff,
    _move,
    _note_required,
    _pending_request,
    _tell,
    _unit_users,
)


def request_extension(case, *, actor, work_days: int, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("the extension"))
    if not isinstance(work_days, int) or not 1 <= work_days <= 60:
        raise ValidationError(_("An extension is 1 to 60 working days."))

    def fn(c, now):
        guard(Move.EXTEND_REQUEST, actor, c)
        return {"work_days": work_days}

    out = _move(case, version, actor, Move.EXTEND_REQUEST, fn, note=reason)
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].supervising_roles(out.case.level)),
                                        out.case, gettext_lazy("Extension requested for %(n)s"), reason),
                          robust=True)
    return out


def decide_extension(case, *, actor, approve: bool, note: str = "", version=None) -> Outcome:
    def fn(c, now):
        guard(Move.EXTEND_DECIDE, actor, c)
        pending = _pending_request(c, Move.EXTEND_REQUEST, Move.EXTEND_DECIDE)
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
        guard(Move.SUPERVISE, actor, c)
        c.supervise_count += 1
        overdue = c.due_at is not None and now > c.due_at
        return {"overdue": overdue, "notice_no": c.supervise_count}

    out = _move(case, version, actor, Move.SUPERVISE, fn, note=note)
    users = [u for a in out.case.assignments.filter(status__in=ACTIVE_ASSIGNMENT).select_related("user", "org")
             for u in ([a.user] if a.user else _unit_users(a.org))]
    users += _level_staff(out.case, TYPES[out.case.type].dispatching_roles(out.case.level))
    transaction.on_commit(lambda: _tell(users, out.case, gettext_lazy("Supervision notice for case %(n)s"), note,
                                        channels=("inapp", "sms")), robust=True)
    return out


def escalate(case, *, actor, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("escalating"))

    def fn(c, now):
        guard(Move.ESCALATE, actor, c)
        c.level = LEVELS[LEVELS.index(c.level) + 1]
        c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.HANDED_OVER)
        c.lead_org = None
        deadlines.start_clock(c, Stage.ACCEPTED, now)
        return {"to_level": c.level}

    out = _move(case, version, actor, Move.ESCALATE, fn, note=reason)
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].dispatching_roles(
        out.case.level)), out.case, gettext_lazy("Case %(n)s was escalated to you"), reason), robust=True)
    return out


def request_park(case, *, actor, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("parking the case"))

    def fn(c, now):
        guard(Move.PARK_REQUEST, actor, c)

    return _move(case, version, actor, Move.PARK_REQUEST, fn, note=reason)


def decide_park(case, *, actor, approve: bool, note: str = "", version=None) -> Outcome:
    """Approving parks the case: its clock stops, keeping what was left of the limit."""

    def fn(c, now):
        guard(Move.PARK_DECIDE, actor, c)
        if not approve:
            return {"approve": False}
        c.parked = True
        c.parked_remaining_min = calendar.remaining_minutes(now, c.due_at, c.limit_working) if c.due_at else None
        warn_left = calendar.remaining_minutes(now, c.warn_at, c.limit_working) if c.warn_at else None
        return {"approve": True, "remaining_min": c.parked_remaining_min, "warn_remaining_min": warn_left}

    return _move(case, version, actor, Move.PARK_DECIDE, fn, note=note)


def unpark(case, *, actor, note: str = "", version=None) -> Outcome:
    def fn(c, now):
        guard(Move.UNPARK, actor, c)
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
        guard(Move.VOID_REQUEST, actor, c)

    return _move(case, version, actor, Move.VOID_REQUEST, fn, note=reason)


def decide_void(case, *, actor, approve: bool, note: str = "", version=None) -> Outcome:
    def fn(c, now):
        guard(Move.VOID_DECIDE, actor, c)
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
        guard(Move.MERGE, actor, c)
        original = Case.objects.select_for_update().get(pk=into.pk)
        if original.stage not in OPEN_STAGES and original.stage != Stage.CLOSED:
            raise MoveRefused(_("The original case is voided or refused."))
        if original.merged_into_id:
            raise MoveRefused(_("The original is itself a merged duplicate."))
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
        guard(Move.RECATEGORIZE, actor, c)
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
        guard(Move.CLOSE_WITHOUT_FIX, actor, c)
        c.parked = False
        c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.HANDED_OVER)
        return {"result": result, **_close(c, now, result)}

    out = _move(case, version, actor, Move.CLOSE_WITHOUT_FIX, fn, note=reason)
    transaction.on_commit(lambda: _tell([out.case.reporter], out.case, gettext_lazy("Your report %(n)s was closed"),
                                        reason), robust=True)
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
