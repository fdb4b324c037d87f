"""The closed loop: accept, dispatch, handle, feed back, verify, rate, return visit."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import deadlines
from ..flow import guard
from ..models import (
    ACTIVE_ASSIGNMENT,
    Assignment,
    AssignmentStatus,
    CloseResult,
    Stage,
)
from ..types import TYPES, Move
from .common import (
    Outcome,
    _close,
    _level_staff,
    _move,
    _note_required,
    _tell,
    _unit_users,
)


def accept(case, *, actor, version=None, note: str = "", urgency: str | None = None) -> Outcome:
    def fn(c, now):
        guard(Move.ACCEPT, actor, c)
        if urgency:
            c.urgency = urgency
        deadlines.start_clock(c, Stage.ACCEPTED, now)

    out = _move(case, version, actor, Move.ACCEPT, fn, note=note)
    transaction.on_commit(lambda: _tell([out.case.reporter], out.case, gettext_lazy("Your report %(n)s was accepted.")),
                          robust=True)
    return out


def refuse(case, *, actor, reason: str, version=None) -> Outcome:
    reason = _note_required(reason, _("not accepting"))

    def fn(c, now):
        guard(Move.REFUSE, actor, c)
        deadlines.start_clock(c, Stage.REFUSED, now)
        c.closed_at = now

    out = _move(case, version, actor, Move.REFUSE, fn, note=reason)
    transaction.on_commit(lambda: _tell([out.case.reporter], out.case,
                                        gettext_lazy("Your report %(n)s was not accepted"), reason),
                          robust=True)
    return out


def dispatch(case, *, actor, lead, co_handlers=(), version=None, note: str = "") -> Outcome:
    """Send the case to a lead handler (an org or a person) and optional co-handlers."""
    targets = [lead, *co_handlers]
    if lead is None:
        raise ValidationError(_("Choose who handles the case."))
    if len({(type(t).__name__, t.pk) for t in targets}) != len(targets):
        raise ValidationError(_("The same handler is listed twice."))

    def fn(c, now):
        guard(Move.DISPATCH, actor, c)
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
    transaction.on_commit(lambda: _tell(users, out.case, gettext_lazy("Case %(n)s was dispatched to you: %(t)s"),
                                        channels=("inapp", "sms")),
                          robust=True)
    return out


def redispatch(case, *, actor, to, version=None, note: str = "") -> Outcome:
    """A unit passes its assignment to a named person inside it, or (appeals) to another unit."""

    def fn(c, now):
        mine = guard(Move.REDISPATCH, actor, c).assignment
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
    transaction.on_commit(lambda: _tell(users, out.case, gettext_lazy("Case %(n)s was passed to you")),
                          robust=True)
    return out


def handler_accept(case, *, actor, version=None, note: str = "") -> Outcome:
    def fn(c, now):
        mine = guard(Move.HANDLER_ACCEPT, actor, c).assignment
        Assignment.objects.filter(pk=mine.pk).update(status=AssignmentStatus.ACCEPTED)
        if c.stage == Stage.DISPATCHED and mine.is_lead:
            c.stage = Stage.HANDLING  # the handling clock keeps running from dispatch
        return {"assignment": mine.pk}

    return _move(case, version, actor, Move.HANDLER_ACCEPT, fn, note=note)


def return_case(case, *, actor, reason: str, version=None) -> Outcome:
    """退单: the lead unit says the case is not for it; it goes back to dispatch with the reason."""
    reason = _note_required(reason, _("returning the case"))

    def fn(c, now):
        mine = guard(Move.RETURN, actor, c).assignment
        if not mine.is_lead:
            Assignment.objects.filter(pk=mine.pk).update(status=AssignmentStatus.RETURNED)
            return {"co_handler": True}
        c.assignments.filter(status__in=ACTIVE_ASSIGNMENT).update(status=AssignmentStatus.RETURNED)
        c.lead_org = None
        deadlines.start_clock(c, Stage.ACCEPTED, now)
        return {"co_handler": False}

    out = _move(case, version, actor, Move.RETURN, fn, note=reason)
    transaction.on_commit(lambda: _tell(_level_staff(out.case, TYPES[out.case.type].dispatching_roles(out.case.level)),
                                        out.case, gettext_lazy("Case %(n)s was returned"), reason),
                          robust=True)
    return out


def progress(case, *, actor, note: str, photos=(), version=None) -> Outcome:
    note = _note_required(note, _("the progress note"))

    def fn(c, now):
        guard(Move.PROGRESS, actor, c)

    return _move(case, version, actor, Move.PROGRESS, fn, note=note, attachments=photos)


def feedback(case, *, actor, note: str, photos=(), version=None) -> Outcome:
    """Handling done, with "after" photos. Each co-handler gives its own; the last one sends it to verify."""
    note = _note_required(note, _("the feedback"))

    def fn(c, now):
        mine = guard(Move.FEEDBACK, actor, c).assignment
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
        transaction.on_commit(lambda: _tell(verifiers, out.case, gettext_lazy("Case %(n)s is ready to verify")),
                              robust=True)
    return out


def verify(case, *, actor, passed: bool, note: str = "", photos=(), version=None) -> Outcome:
    """By someone other than the handlers: pass closes as fixed; fail sends it back for rework."""
    if not passed:
        note = _note_required(note, _("failing verification"))

    def fn(c, now):
        guard(Move.VERIFY, actor, c)
        if passed:
            return {"passed": True, **_close(c, now, CloseResult.FIXED)}
        else:
            c.rework_count += 1
            c.assignments.filter(status=AssignmentStatus.FED_BACK).update(status=AssignmentStatus.ACCEPTED)
            deadlines.start_clock(c, Stage.HANDLING, now)
        return {"passed": passed}

    out = _move(case, version, actor, Move.VERIFY, fn, note=note, attachments=photos)
    if passed:
        transaction.on_commit(lambda: _tell([out.case.reporter], out.case, gettext_lazy(
            "Your report %(n)s is closed: please rate how it was handled")), robust=True)
    else:
        users = [u for a in out.case.assignments.filter(status=AssignmentStatus.ACCEPTED).select_related("user", "org")
                 for u in ([a.user] if a.user else _unit_users(a.org))]
        transaction.on_commit(lambda: _tell(users, out.case, gettext_lazy("Case %(n)s needs rework"),
                                            note), robust=True)
    return out


def rate(case, *, actor, stars: int, note: str = "", version=None) -> Outcome:
    try:
        stars = int(stars)
    except (TypeError, ValueError) as e:
        raise ValidationError(_("A rating is a whole number from 1 to 5.")) from e
    if not 1 <= stars <= 5:
        raise ValidationError(_("A rating is a whole number from 1 to 5."))

    def fn(c, now):
        guard(Move.RATE, actor, c)
        c.rating = stars
        return {"stars": stars}

    return _move(case, version, actor, Move.RATE, fn, note=note)


def revisit(case, *, actor, fixed: bool, note: str = "", version=None) -> Outcome:
    """回访 after closing. "Not fixed" sends the case back to the verifier."""

    def fn(c, now):
        guard(Move.REVISIT, actor, c)
        if not fixed:
            c.close_result = ""
            c.closed_at = None
            deadlines.start_clock(c, Stage.VERIFYING, now)
        return {"fixed": fixed}

    return _move(case, version, actor, Move.REVISIT, fn, note=note)
