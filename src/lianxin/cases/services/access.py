"""What a person may see and do on a case now."""


from django.core.exceptions import ValidationError

from lianxin.core.visibility import grant_paths

from ..models import (
    ACTIVE_ASSIGNMENT,
    OPEN_STAGES,
    AssignmentStatus,
    Case,
    Follower,
    Stage,
)
from ..types import TYPES, Move
from .common import (
    ABOVE_ROLES,
    MoveRefused,
    _find_handler_assignment,
    _grants_covering,
    _handlers_of,
    _handles,
    _pending_request,
    _require_not_parked,
    owner_area,
)


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


def _check(fn) -> bool:
    try:
        fn()
    except (MoveRefused, ValidationError):
        return False
    return True


def available_moves(actor, case: Case, *, assignments=None) -> list[str]:
    """The moves this person may make on this case now (the case page shows only these).

    ``assignments``: the case's assignments when the caller already has them (none for a case it has just
    filed); otherwise they are read once. The checks are those of the moves, without building refusal texts."""
    ctype = TYPES[case.type]
    sup = ctype.supervising_roles(case.level)
    disp = ctype.dispatching_roles(case.level)
    owners = []

    def owner():  # the owning area, found at most once for all the checks below
        if not owners:
            owners.append(owner_area(case))
        return owners[0]

    def level(roles):
        def check():
            if not actor.is_superuser and not _grants_covering(actor, owner(), roles):
                raise MoveRefused("")
        return check

    loaded = [] if assignments is None else [list(assignments)]

    def rows():  # the case's assignments, read at most once for all the checks below
        if not loaded:
            loaded.append(list(case.assignments.select_related("org")))
        return loaded[0]

    def handler(statuses=ACTIVE_ASSIGNMENT):
        def check():
            if _find_handler_assignment(actor, case, statuses, rows=rows) is None:
                raise MoveRefused("")
        return check

    def stage(*stages):
        def check():
            if case.stage not in stages:
                raise MoveRefused("")
        return check

    def all_of(*checks):
        return lambda: [c() for c in checks]

    def not_parked():
        return _require_not_parked(case)

    def above():
        if not actor.is_superuser and not [g for g in _grants_covering(actor, owner(), ABOVE_ROLES)
                                           if g.area.depth < owner().depth]:
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

    def may_request():  # _may_request: a handler of the case, or supervising it at its level
        if _find_handler_assignment(actor, case, rows=rows) is None:
            level(sup)()

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
