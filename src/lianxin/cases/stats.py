"""Statistics of the case engine, computed from case events only (DESIGN.md: reports never keep a copy).

Every figure for a period [start, end) depends only on events at or before ``end``, so last month's
figures never change when cases move on. Formulas (docs/CASES.md repeats them):

- reported: report events in the period; accepted / refused: acceptance decisions in the period
- 有效上报率 valid-report rate = accepted / (accepted + refused)
- dispatched: dispatch events; returned: the lead unit's return events
- 准确派遣率 accurate dispatch rate = (dispatched − returned) / dispatched
- handled: completed handling (the last feedback that sends a case to verification) in the period;
  handled on time: those made before the handling deadline in force at that moment
- due to handle = handled + cases still being handled at the end of the period whose handling deadline
  had passed (parked cases excluded)
- 处置率 = handled / due to handle; 按期处置率 = handled on time / due to handle
- closed: closing moves (verification passed, closed without fix, merged); closed on time: made before
  the deadline of the stage in force, the handling having been on time too; closed without fix: closed
  with another result than fixed
- due to close = closed + open, non-parked cases at the end of the period past their current deadline
- 结案率 = closed / due to close; 按期结案率 = closed on time / due to close; 超期结案率 = closed late / due to close
- 返工率 rework rate = verification failures / due to close
- 延期率 extension rate = approved extensions / due to handle
- 按时立案率 on-time acceptance = acceptances before the acceptance deadline / accepted
- 按期核查率 on-time verification = verifications before the verification deadline / verifications
- overdue at end: open, non-parked cases past their deadline at the end of the period
- 12345 三率: 响应率 response = handler acceptances before the handling deadline / handler acceptances;
  解决率 solved = return visits "fixed" / return visits; 满意率 satisfaction = (5 stars + 0.9 × 4 stars) / ratings
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from lianxin.core.trees import subtree_q

from .models import DONE_STAGES, CaseEvent, Stage

CLOSING = ("verify", "close_without_fix", "merge")


def _rate(numerator, denominator):
    return round(numerator / denominator, 4) if denominator else None


@dataclass
class Scope:
    area_path: str | None = None
    org_path: str | None = None
    case_type: str | None = None


def _events(scope: Scope):
    qs = CaseEvent.objects.all()
    if scope.area_path:
        qs = qs.filter(subtree_q("area_path", scope.area_path))
    if scope.org_path:
        qs = qs.filter(subtree_q("org__path", scope.org_path))
    if scope.case_type:
        qs = qs.filter(case__type=scope.case_type)
    return qs


def _state_at(scope: Scope, moment: datetime) -> dict:
    """{case_id: (stage, due_after, parked_after)} from each case's last event at or before ``moment``."""
    state = {}
    rows = (_events(scope).filter(at__lte=moment).order_by("case_id", "at", "pk")
            .values_list("case_id", "to_stage", "due_after", "parked_after"))
    for case_id, stage, due, parked in rows.iterator(chunk_size=5000):
        state[case_id] = (stage, due, parked)
    return state


def compute(start: datetime, end: datetime, scope: Scope | None = None) -> dict:
    scope = scope or Scope()
    period = _events(scope).filter(at__gte=start, at__lt=end)
    counts = Counter()
    stars = Counter()
    for kind, at, due, data, to_stage in period.values_list("kind", "at", "stage_due_at", "data", "to_stage") \
            .iterator(chunk_size=5000):
        on_time = due is None or at <= due
        counts[kind] += 1
        if kind == "accept":
            counts["accepted_on_time"] += on_time
        elif kind == "return" and not data.get("co_handler"):
            counts["returned"] += 1
        elif kind == "feedback" and data.get("complete"):
            counts["handled"] += 1
            counts["handled_on_time"] += on_time
        elif kind == "handler_accept":
            counts["responded_on_time"] += on_time
        elif kind == "verify":
            counts["verified_on_time"] += on_time
            if not data.get("passed"):
                counts["rework"] += 1
        elif kind == "extend_decide" and data.get("approve"):
            counts["extended"] += 1
        elif kind == "rate":
            stars[data.get("stars")] += 1
        elif kind == "revisit":
            counts["revisited_fixed"] += bool(data.get("fixed"))
        elif kind == "void_decide" and to_stage == Stage.VOIDED:
            counts["voided"] += 1
        if kind in CLOSING and to_stage == Stage.CLOSED:
            counts["closed"] += 1
            counts["closed_on_time"] += on_time and not data.get("late")
            if kind != "verify":
                counts["closed_without_fix"] += 1

    handling_overdue = overdue = 0
    for stage, due, parked in _state_at(scope, end).values():
        if stage in DONE_STAGES or parked or due is None or due >= end:
            continue
        overdue += 1
        if stage in (Stage.DISPATCHED, Stage.HANDLING):
            handling_overdue += 1

    due_to_handle = counts["handled"] + handling_overdue
    due_to_close = counts["closed"] + overdue
    ratings = sum(stars.values())
    closed_late = counts["closed"] - counts["closed_on_time"]
    return {
        "reported": counts["report"],
        "accepted": counts["accept"],
        "refused": counts["refuse"],
        "valid_report_rate": _rate(counts["accept"], counts["accept"] + counts["refuse"]),
        "accepted_on_time_rate": _rate(counts["accepted_on_time"], counts["accept"]),
        "dispatched": counts["dispatch"],
        "returned": counts["returned"],
        "accurate_dispatch_rate": _rate(counts["dispatch"] - counts["returned"], counts["dispatch"]),
        "handled": counts["handled"],
        "handled_on_time": counts["handled_on_time"],
        "due_to_handle": due_to_handle,
        "handle_rate": _rate(counts["handled"], due_to_handle),
        "handle_on_time_rate": _rate(counts["handled_on_time"], due_to_handle),
        "closed": counts["closed"],
        "closed_on_time": counts["closed_on_time"],
        "closed_late": closed_late,
        "closed_without_fix": counts["closed_without_fix"],
        "due_to_close": due_to_close,
        "close_rate": _rate(counts["closed"], due_to_close),
        "close_on_time_rate": _rate(counts["closed_on_time"], due_to_close),
        "close_late_rate": _rate(closed_late, due_to_close),
        "rework": counts["rework"],
        "rework_rate": _rate(counts["rework"], due_to_close),
        "extended": counts["extended"],
        "extension_rate": _rate(counts["extended"], due_to_handle),
        "verified_on_time_rate": _rate(counts["verified_on_time"], counts["verify"]),
        "voided": counts["voided"],
        "supervised": counts["supervise"],
        "escalated": counts["escalate"],
        "overdue_at_end": overdue,
        "response_rate": _rate(counts["responded_on_time"], counts["handler_accept"]),
        "solved_rate": _rate(counts["revisited_fixed"], counts["revisit"]),
        "satisfaction_rate": _rate(stars[5] + 0.9 * stars[4], ratings),
        "ratings": ratings,
    }


FIGURES = [
    ("reported", _("Reported")), ("accepted", _("Accepted")), ("refused", _("Not accepted")),
    ("valid_report_rate", _("Valid-report rate")), ("accepted_on_time_rate", _("On-time acceptance rate")),
    ("dispatched", _("Dispatched")), ("returned", _("Returned")),
    ("accurate_dispatch_rate", _("Accurate dispatch rate")),
    ("handled", _("Handled")), ("handled_on_time", _("Handled on time")), ("due_to_handle", _("Due to handle")),
    ("handle_rate", _("Handling rate")), ("handle_on_time_rate", _("On-time handling rate")),
    ("closed", _("Closed")), ("closed_on_time", _("Closed on time")), ("closed_late", _("Closed late")),
    ("closed_without_fix", _("Closed without fix")), ("due_to_close", _("Due to close")),
    ("close_rate", _("Closing rate")),
    ("close_on_time_rate", _("On-time closing rate")), ("close_late_rate", _("Late closing rate")),
    ("rework", _("Rework")), ("rework_rate", _("Rework rate")), ("extended", _("Extensions")),
    ("extension_rate", _("Extension rate")), ("verified_on_time_rate", _("On-time verification rate")),
    ("voided", _("Voided")), ("supervised", _("Supervision notices")), ("escalated", _("Escalated")),
    ("overdue_at_end", _("Overdue at the end of the period")), ("response_rate", _("Response rate")),
    ("solved_rate", _("Solved rate")), ("satisfaction_rate", _("Satisfaction rate")), ("ratings", _("Ratings")),
]
