"""The flow table: every move of the case loop declared once.

Each ``Rule`` says which stages a move leaves from and who may make it now (role at the owning level, a
handler's involvement, the reporter, a pending request...). The move services (``services.loop``,
``services.side``, ``services.intake``) call ``guard`` on the locked case and then run their effect inside
``_move``; ``available_moves`` (what the web and the API offer and accept) is ``allowed`` over the same
rules; ``CaseEvent.kind`` takes its choices from ``kind_choices``; the bulk loader checks each replayed
move against ``leaves_from``. So "offered" and "succeeds" cannot drift apart (tests/test_flow.py).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ACTIVE_ASSIGNMENT, OPEN_STAGES, AssignmentStatus, Stage
from .types import TYPES, Move

HANDLING = (Stage.DISPATCHED, Stage.HANDLING)
ESCALATABLE = (Stage.REPORTED, Stage.ACCEPTED, Stage.DISPATCHED, Stage.HANDLING)


class Context:
    """One person's view of one case while the guards run: the owning area and the assignments are read at
    most once, whatever number of rules is checked."""

    def __init__(self, actor, case, *, rows=None):
        self.actor, self.case = actor, case
        self.ctype = TYPES[case.type]
        self._owner = None
        self._rows = None if rows is None else list(rows)
        self.assignment = None  # the handler's assignment the last handler guard found

    def owner(self):
        if self._owner is None:
            from .services.common import owner_area

            self._owner = owner_area(self.case)
        return self._owner

    def rows(self):
        if self._rows is None:
            self._rows = list(self.case.assignments.select_related("org")) if self.case.pk else []
        return self._rows


# ---------------------------------------------------------------- guards: each gives a refusal text or None


def _side_roles(ctx, side: str) -> set:
    t, level = ctx.ctype, ctx.case.level
    if side == "supervising":
        return t.supervising_roles(level)
    if side == "dispatching":
        return t.dispatching_roles(level)
    return t.supervising_roles(level) | t.dispatching_roles(level)


def at_level(side: str, what):
    """The actor holds a role of ``side`` (supervising, dispatching, command: either) covering the owning area."""

    def check(ctx):
        from lianxin.core.roles import ROLES

        from .services.common import _grants_covering

        roles = _side_roles(ctx, side)
        if ctx.actor.is_superuser or _grants_covering(ctx.actor, ctx.owner(), roles):
            return None
        labels = "、".join(str(ROLES[r].label) for r in sorted(roles) if r in ROLES)
        return _("Only %(roles)s responsible for %(area)s may %(what)s this case.") % {
            "roles": labels, "area": ctx.owner().name, "what": what}

    return check


def handler(statuses=ACTIVE_ASSIGNMENT):
    """The actor, or a unit they act for, holds an assignment of the case in one of ``statuses``."""

    def check(ctx):
        from .services.common import _find_handler_assignment

        ctx.assignment = _find_handler_assignment(ctx.actor, ctx.case, statuses, rows=ctx.rows)
        return None if ctx.assignment is not None else _("This case is not dispatched to you or your unit.")

    return check


def not_parked(ctx):
    return _("The case is parked; resume it first.") if ctx.case.parked else None


def parked(ctx):
    return None if ctx.case.parked else _("The case is not parked.")


def verifier(ctx):
    """The supervising role of the level, or the reporter for types the reporter verifies."""
    if ctx.ctype.reporter_verifies and ctx.case.reporter_id == ctx.actor.pk:
        return None
    return at_level("supervising", _("verify"))(ctx)


def not_handler(ctx):
    from .services.common import _handlers_of

    if ctx.actor.pk in _handlers_of(ctx.case):
        return _("The person who handled a case cannot verify it.")
    return None


def rater(ctx):
    if ctx.case.reporter_id != ctx.actor.pk or not ctx.ctype.reporter_rates:
        return _("Only the reporter rates a case.")
    if ctx.case.rating is not None:
        return _("This case has already been rated.")
    return None


def reporter(ctx):
    if ctx.actor is None or ctx.case.reporter_id != ctx.actor.pk:
        return _("Only the person who reported the case may change it.")
    return None


def above(ctx):
    from .services.common import ABOVE_ROLES, _grants_covering

    owner = ctx.owner()
    if ctx.actor.is_superuser or [g for g in _grants_covering(ctx.actor, owner, ABOVE_ROLES)
                                  if g.area.depth < owner.depth]:
        return None
    return _("Supervision comes from a level above the one handling the case.")


def below_top(ctx):
    from .services.common import LEVELS

    if LEVELS.index(ctx.case.level) + 1 >= len(LEVELS):
        return _("The case is already at the top level.")
    return None


def requester(ctx):
    """A handler still working the case (not one who has reported it handled), or the supervising role of its
    level."""
    from .services.common import _find_handler_assignment

    working = (AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)
    if _find_handler_assignment(ctx.actor, ctx.case, working, rows=ctx.rows) is not None:
        return None
    return at_level("supervising", _("request this for"))(ctx)


def open_milestone(ctx):
    if not ctx.case.pk or not ctx.case.milestones.filter(done_at__isnull=True).exists():
        return _("This case has no milestone left to reach.")
    return None


def pending(request: str, decide: str, none_text):
    def check(ctx):
        from .services.common import _pending_request

        return None if _pending_request(ctx.case, request, decide) else str(none_text)

    return check


def no_pending(request: str, decide: str, waiting_text):
    def check(ctx):
        from .services.common import _pending_request

        return str(waiting_text) if _pending_request(ctx.case, request, decide) else None

    return check


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Rule:
    name: str
    label: object
    leaves_from: tuple | None  # None: whatever the stage
    guards: tuple = ()
    offered: bool = True  # on the case page and the API's moves (the reporter's own moves live in "my reports")
    effect: str = ""  # what it does, for the documentation
    extra: dict = field(default_factory=dict)


_WAITING = gettext_lazy("A request is already waiting for a decision.")

RULES = [
    Rule(Move.ACCEPT, gettext_lazy("Accept"), (Stage.REPORTED,), (at_level("supervising", gettext_lazy("accept")),),
         effect="→ accepted; the dispatch clock starts"),
    Rule(Move.REFUSE, gettext_lazy("Do not accept"), (Stage.REPORTED,),
         (at_level("supervising", gettext_lazy("refuse")),), effect="→ refused; the reporter is told why"),
    Rule(Move.DISPATCH, gettext_lazy("Dispatch"), (Stage.ACCEPTED,),
         (not_parked, at_level("dispatching", gettext_lazy("dispatch"))),
         effect="→ dispatched to a lead and co-handlers; the handling clock starts"),
    Rule(Move.REDISPATCH, gettext_lazy("Pass on"), HANDLING, (handler(),),
         effect="the unit's assignment goes to a person in it, or (appeals) to another unit"),
    Rule(Move.HANDLER_ACCEPT, gettext_lazy("Take on"), HANDLING, (handler((AssignmentStatus.PENDING,)),),
         effect="the lead's acceptance → handling"),
    Rule(Move.RETURN, gettext_lazy("Return"), HANDLING,
         (handler((AssignmentStatus.PENDING, AssignmentStatus.ACCEPTED)),),
         effect="the lead: → accepted; a co-handler: only its assignment"),
    Rule(Move.PROGRESS, gettext_lazy("Progress"), HANDLING, (handler(),), effect="a note, stays"),
    Rule(Move.FEEDBACK, gettext_lazy("Feedback"), (Stage.HANDLING,),
         (not_parked, handler((AssignmentStatus.ACCEPTED,))), effect="the last one → verifying"),
    Rule(Move.VERIFY, gettext_lazy("Verify"), (Stage.VERIFYING,), (verifier, not_handler),
         effect="pass → closed (fixed); fail → handling (rework)"),
    Rule(Move.RATE, gettext_lazy("Rate"), (Stage.CLOSED,), (rater,), effect="1–5 stars, once"),
    Rule(Move.REVISIT, gettext_lazy("Return visit"), (Stage.CLOSED,),
         (at_level("supervising", gettext_lazy("record the return visit")),),
         effect="not fixed → verifying"),
    Rule(Move.EXTEND_REQUEST, gettext_lazy("Request an extension"), HANDLING,
         (handler(), no_pending(Move.EXTEND_REQUEST, Move.EXTEND_DECIDE,
                                gettext_lazy("An extension request is already waiting for a decision."))),
         effect="asks for N working days"),
    Rule(Move.EXTEND_DECIDE, gettext_lazy("Decide the extension"), HANDLING,
         (at_level("supervising", gettext_lazy("decide extensions of")),
          pending(Move.EXTEND_REQUEST, Move.EXTEND_DECIDE, gettext_lazy("There is no extension request waiting."))),
         effect="approved: the deadlines move by N working days"),
    Rule(Move.SUPERVISE, gettext_lazy("Supervise"), OPEN_STAGES, (above,), effect="counted; handlers told by SMS"),
    Rule(Move.ESCALATE, gettext_lazy("Escalate"), ESCALATABLE,
         (at_level("command", gettext_lazy("escalate")), below_top), effect="level + 1, → accepted"),
    Rule(Move.PARK_REQUEST, gettext_lazy("Request parking"), OPEN_STAGES,
         (not_parked, requester, no_pending(Move.PARK_REQUEST, Move.PARK_DECIDE, _WAITING)),
         effect="asks to stop the clock"),
    Rule(Move.PARK_DECIDE, gettext_lazy("Decide parking"), None,
         (at_level("supervising", gettext_lazy("approve parking")),
          pending(Move.PARK_REQUEST, Move.PARK_DECIDE, gettext_lazy("There is no parking request waiting."))),
         effect="approved: parked, the clock keeps what was left"),
    Rule(Move.UNPARK, gettext_lazy("Resume"), None, (parked, at_level("supervising", gettext_lazy("resume"))),
         effect="the clock resumes with what was left"),
    Rule(Move.VOID_REQUEST, gettext_lazy("Request voiding"), OPEN_STAGES,
         (requester, no_pending(Move.VOID_REQUEST, Move.VOID_DECIDE, _WAITING)), effect="asks to void"),
    Rule(Move.VOID_DECIDE, gettext_lazy("Decide voiding"), OPEN_STAGES,
         (at_level("supervising", gettext_lazy("approve voiding")),
          pending(Move.VOID_REQUEST, Move.VOID_DECIDE, gettext_lazy("There is no void request waiting."))),
         effect="approved: → voided"),
    Rule(Move.MERGE, gettext_lazy("Merge duplicate"), OPEN_STAGES, (at_level("supervising", gettext_lazy("merge")),),
         effect="→ closed (duplicate); its reporter follows the original"),
    Rule(Move.RECATEGORIZE, gettext_lazy("Change category"), OPEN_STAGES,
         (at_level("supervising", gettext_lazy("change the category of")),),
         effect="dispatched cases go back to accepted"),
    Rule(Move.CLOSE_WITHOUT_FIX, gettext_lazy("Close without fix"), OPEN_STAGES,
         (at_level("supervising", gettext_lazy("close")),), effect="→ closed (not our remit, no action, duplicate)"),
    # A key task's milestone reached, with evidence (cases.keytasks; offered on the ledger page).
    Rule("milestone", gettext_lazy("Milestone reached"), HANDLING, (handler(), open_milestone), offered=False,
         effect="the milestone is marked reached; the task stays in handling"),
    # The reporter's own moves, offered in "my reports".
    Rule("edit", gettext_lazy("Edited by the reporter"), (Stage.REPORTED,), (reporter,), offered=False,
         effect="title, description or category corrected; the clock keeps running"),
    Rule("withdraw", gettext_lazy("Withdrawn by the reporter"), (Stage.REPORTED,), (reporter,), offered=False,
         effect="→ voided"),
    # Not a move on one case: every open assignment of a leaver, one event per case (services.side.handover).
    Rule(Move.HANDOVER, gettext_lazy("Handover"), None, (), offered=False, effect="assignments move"),
]
FLOW = {r.name: r for r in RULES}
# Event kinds that are not moves: the first event, and the deadline alerts (tasks.raise_alerts).
OTHER_KINDS = {"report": gettext_lazy("Reported"), "alert": gettext_lazy("Deadline alert")}
# Kinds other modules add to the loop (e.g. a close-out item's closing move): ``register_kind``.
MODULE_KINDS: dict = {}


def register_kind(name: str, label) -> None:
    MODULE_KINDS[name] = label


def kind_choices() -> list[tuple[str, object]]:
    return ([(k, v) for k, v in OTHER_KINDS.items()] + [(r.name, r.label) for r in RULES]
            + list(MODULE_KINDS.items()))


def refusal(name: str, actor, case, *, ctx: Context | None = None) -> str | None:
    """Why ``actor`` may not make move ``name`` on ``case`` now, or None when they may."""
    rule = FLOW[name]
    ctx = ctx or Context(actor, case)
    if rule.leaves_from is not None and case.stage not in rule.leaves_from:
        return _("Not possible while the case is “%(stage)s”.") % {"stage": case.get_stage_display()}
    for check in rule.guards:
        why = check(ctx)
        if why is not None:
            return why
    return None


def guard(name: str, actor, case) -> Context:
    """Raise MoveRefused unless ``actor`` may make move ``name`` on ``case`` (the locked row) now."""
    from .services.common import MoveRefused

    ctx = Context(actor, case)
    why = refusal(name, actor, case, ctx=ctx)
    if why is not None:
        raise MoveRefused(why)
    return ctx


def allowed(actor, case, *, assignments=None) -> list[str]:
    """The offered moves ``actor`` may make on ``case`` now (services.available_moves)."""
    ctx = Context(actor, case, rows=assignments)
    return [r.name for r in RULES if r.offered and refusal(r.name, actor, case, ctx=ctx) is None]
