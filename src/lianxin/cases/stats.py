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

In SQL, not by walking events: whole local days that are over come from EventTally, counts made from the events
once per day (``rebuild_tallies`` makes them again); the hours at either end of the period and today come from
the events; the state at the end from the last event of each case that can have been open then.
"""

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import BooleanField, Count, F, JSONField, Max, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models import Case as SqlCase
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.core.trees import subtree_q
from lianxin.core.treeviews import top_nodes
from lianxin.workdays.calendar import tz

from .models import DONE_STAGES, OPEN_STAGES, Case, CaseEvent, EventTally, Stage, TallyState

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


# The one data flag each kind's figures read, and the lateness flag of closing moves.
FLAG_KEY = {"return": "co_handler", "feedback": "complete", "verify": "passed", "extend_decide": "approve",
            "rate": "stars", "revisit": "fixed"}


class _JSONValue(JSONField):
    """A JSON value picked by CASE: SQLite hands numbers over unquoted, PostgreSQL everything as JSON text."""

    def from_db_value(self, value, expression, connection):
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            return value


def _grouped(events):
    """(kind, stage after, on time, the kind's data flag, late flag, count) groups of an event queryset."""
    on_time = SqlCase(When(Q(stage_due_at__isnull=True) | Q(at__lte=F("stage_due_at")), then=Value(True)),
                      default=Value(False), output_field=BooleanField())
    flag = SqlCase(*[When(kind=kind, then=KeyTransform(key, "data")) for kind, key in FLAG_KEY.items()],
                   default=None, output_field=_JSONValue())
    late = SqlCase(When(kind__in=CLOSING, then=KeyTransform("late", "data")), default=None, output_field=_JSONValue())
    return events.order_by().annotate(on_time=on_time, flag=flag, late=late)


GROUP = ("kind", "to_stage", "on_time", "flag", "late")


def _period_counts(scope: Scope, start: datetime, end: datetime) -> Counter:
    """Event counts of the period as (kind, stage after, on time, data flag, late) groups: whole sealed days
    from EventTally, the rest (the hours at either end, today) from the events themselves."""
    counts = Counter()
    whole = _whole_days(scope, start, end)
    if whole is None:
        raw = [(start, end)]
    else:
        d0, d1 = whole
        raw = [(start, _midnight(d0)), (_midnight(d1), end)]
        _tally(counts, _tally_rows(scope, d0, d1))
    for a, b in raw:
        if a < b:
            _tally(counts, _grouped(_events(scope).filter(at__gte=a, at__lt=b)).values_list(*GROUP)
                   .annotate(n=Count("pk")))
    return counts


def _tally(counts: Counter, rows) -> None:
    """The formulas of the module docstring, applied to groups of events (the walk over events they replace)."""
    for kind, to_stage, on_time, flag, late, n in rows:
        counts[kind] += n
        if kind == "accept":
            counts["accepted_on_time"] += on_time * n
        elif kind == "return" and not flag:  # co-handlers' returns are not the lead unit's
            counts["returned"] += n
        elif kind == "feedback" and flag:  # only the feedback that completes the handling
            counts["handled"] += n
            counts["handled_on_time"] += on_time * n
        elif kind == "handler_accept":
            counts["responded_on_time"] += on_time * n
        elif kind == "verify":
            counts["verified_on_time"] += on_time * n
            if not flag:
                counts["rework"] += n
        elif kind == "extend_decide" and flag:
            counts["extended"] += n
        elif kind == "rate":
            counts[("stars", flag)] += n
        elif kind == "revisit" and flag:
            counts["revisited_fixed"] += n
        elif kind == "void_decide" and to_stage == Stage.VOIDED:
            counts["voided"] += n
        if kind in CLOSING and to_stage == Stage.CLOSED:
            counts["closed"] += n
            if on_time and not late:
                counts["closed_on_time"] += n
            if kind != "verify":
                counts["closed_without_fix"] += n


# ------------------------------------------------------------------ tallies: sealed days counted once

SEAL_LAG = timedelta(hours=1)  # a local day is counted once it has been over this long


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz())


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _whole_days(scope: Scope, start: datetime, end: datetime):
    """The sealed whole local days [d0, d1) inside [start, end), or None (also for unit scopes: tallies are
    by area only)."""
    if scope.org_path:
        return None
    sealed = seal_tallies()
    local_start = start.astimezone(tz())
    d0 = local_start.date() + timedelta(days=0 if local_start == _midnight(local_start.date()) else 1)
    d1 = min(end.astimezone(tz()).date(), sealed)
    return (d0, d1) if d0 < d1 else None


def _tally_rows(scope: Scope, d0: date, d1: date):
    """Summed EventTally groups for the days [d0, d1): whole months from month rows, other days from day rows."""
    first = d0 if d0.day == 1 else _month_after(d0)
    last = first
    while _month_after(last) <= d1:
        last = _month_after(last)
    if first >= last:
        spans = Q(span="d", day__gte=d0, day__lt=d1)
    else:
        spans = (Q(span="m", day__gte=first, day__lt=last) | Q(span="d", day__gte=d0, day__lt=first)
                 | Q(span="d", day__gte=last, day__lt=d1))
    rows = EventTally.objects.filter(spans)
    if scope.area_path:
        rows = rows.filter(subtree_q("area_path", scope.area_path))
    if scope.case_type:
        rows = rows.filter(case_type=scope.case_type)
    for kind, to_stage, on_time, flag, late, n in rows.order_by().values_list(*GROUP).annotate(total=Sum("n")):
        yield kind, to_stage, on_time, json.loads(flag) if flag else None, json.loads(late) if late else None, n


def seal_tallies() -> date:
    """Count the local days that are over into EventTally; the first day not counted.

    Events are appended with the time of writing, so a day that is over does not change; a later event dated
    inside a counted day (a backdated import, a replay) gets its days recounted."""
    target = (clock.now() - SEAL_LAG).astimezone(tz()).date()
    state = TallyState.objects.filter(pk=1).first()
    if state and state.sealed_until and state.sealed_until >= target and not CaseEvent.objects.filter(
            pk__gt=state.last_event_id, at__lt=_midnight(state.sealed_until)).exists():
        return state.sealed_until
    with transaction.atomic():
        TallyState.objects.bulk_create([TallyState(pk=1)], ignore_conflicts=True)
        state = TallyState.objects.select_for_update().get(pk=1)
        top = CaseEvent.objects.aggregate(top=Max("pk"))["top"] or 0
        sealed = state.sealed_until
        if sealed is not None:
            late = set(CaseEvent.objects.filter(pk__gt=state.last_event_id, pk__lte=top, at__lt=_midnight(sealed))
                       .annotate(local_day=TruncDate("at", tzinfo=tz())).order_by()
                       .values_list("local_day", flat=True).distinct())
            for day in sorted(late):
                EventTally.objects.filter(span="d", day=day).delete()
                _count_days(day, day + timedelta(days=1))
            for month in sorted({d.replace(day=1) for d in late}):
                if _month_after(month) <= sealed:
                    _count_month(month)
        else:
            first = CaseEvent.objects.aggregate(first=Min("at"))["first"]
            sealed = first.astimezone(tz()).date() if first else target
        if sealed < target:
            if _count_days(sealed, target) > 10000 and connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # the planner must know the new rows (hash, not sort)
                    cursor.execute("ANALYZE cases_eventtally")
            month = sealed.replace(day=1)
            while _month_after(month) <= target:
                if _month_after(month) > sealed:
                    _count_month(month)
                month = _month_after(month)
        state.sealed_until, state.last_event_id = max(sealed, target), top
        state.save()
    return state.sealed_until


def _count_days(d0: date, d1: date) -> int:
    day = TruncDate("at", tzinfo=tz())
    rows = (_grouped(CaseEvent.objects.filter(at__gte=_midnight(d0), at__lt=_midnight(d1)))
            .annotate(local_day=day, case_type=F("case__type"))
            .values_list("local_day", "area_path", "case_type", *GROUP).annotate(n=Count("pk")))
    return len(EventTally.objects.bulk_create(
        (EventTally(day=d, span="d", area_path=path, case_type=ctype, kind=kind, to_stage=to_stage, on_time=on_time,
                    flag=_stored(flag), late=_stored(late), n=n)
         for d, path, ctype, kind, to_stage, on_time, flag, late, n in rows.iterator(chunk_size=5000)),
        batch_size=5000))


def _stored(value) -> str:
    """A flag as the rollup keeps it: JSON numbers and booleans as they are, other values by their truthiness
    (all the formulas ask of them), "" when absent."""
    if value is None:
        return ""
    if not isinstance(value, bool | int | float):
        value = bool(value)
    return json.dumps(value)


def _count_month(month: date) -> None:
    EventTally.objects.filter(span="m", day=month).delete()
    rows = (EventTally.objects.filter(span="d", day__gte=month, day__lt=_month_after(month)).order_by()
            .values_list("area_path", "case_type", *GROUP).annotate(total=Sum("n")))
    EventTally.objects.bulk_create(
        [EventTally(day=month, span="m", area_path=path, case_type=ctype, kind=kind, to_stage=to_stage,
                    on_time=on_time, flag=flag, late=late, n=n)
         for path, ctype, kind, to_stage, on_time, flag, late, n in rows], batch_size=5000)


def rebuild_tallies() -> None:
    """Forget the tallies and count every day again from the events."""
    with transaction.atomic():
        EventTally.objects.all().delete()
        TallyState.objects.all().delete()
    seal_tallies()


def _overdue_at_end(scope: Scope, end: datetime) -> tuple[int, int]:
    """(overdue, of which in handling) from each case's last event at or before ``end`` within the scope.

    Only cases that may have been open at ``end`` are looked at: filed by then, and not in a final stage
    (closed, refused, voided) entered at or before ``end`` (a case's stage is the fold of its events;
    reopening by a return visit moves stage_started_at on). For each remaining case one index probe finds
    its last event; its stage, clock and parked flag decide.
    """
    overdue = handling = 0
    # Two candidate sets, each read from its partial index (case_open_area_idx, case_done_area_idx).
    # A case filed after the end (its report event is its creation) was not open then either.
    for candidates in (Q(stage__in=OPEN_STAGES), Q(stage__in=DONE_STAGES, stage_started_at__gt=end)):
        cases = Case.objects.filter(candidates, created_at__lte=end)
        if scope.area_path:
            # A case's area never changes; its events carry that area's path.
            cases = cases.filter(subtree_q("area__path", scope.area_path))
        if scope.case_type:
            cases = cases.filter(type=scope.case_type)
        within = Scope(area_path=scope.area_path, org_path=scope.org_path)  # the type is filtered on the cases
        latest = _events(within).filter(case=OuterRef("pk"), at__lte=end).order_by("-at", "-pk").values("pk")[:1]
        # NULL for a case without events in scope: it matches nothing.
        last_events = CaseEvent.objects.filter(pk__in=cases.values(last=Subquery(latest)))
        late = Q(parked_after=False, due_after__lt=end) & ~Q(to_stage__in=DONE_STAGES)
        figures = last_events.aggregate(
            overdue=Count("pk", filter=late),
            handling=Count("pk", filter=late & Q(to_stage__in=(Stage.DISPATCHED, Stage.HANDLING))))
        overdue += figures["overdue"]
        handling += figures["handling"]
    return overdue, handling


def compute(start: datetime, end: datetime, scope: Scope | None = None) -> dict:
    scope = scope or Scope()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Compiling these short aggregates to machine code costs more (60–250 ms) than it saves.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        counts = _period_counts(scope, start, end)
        overdue, handling_overdue = _overdue_at_end(scope, end)
    stars = {5: counts[("stars", 5)], 4: counts[("stars", 4)]}

    due_to_handle = counts["handled"] + handling_overdue
    due_to_close = counts["closed"] + overdue
    ratings = counts["rate"]
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


# ------------------------------------------------------------------ what a statistics request asks for


def stats_area(user, area_pk: str | None) -> Area:
    """The area whose statistics are asked for: one the user may see (404 otherwise)."""
    visible = Area.objects.visible_to(user)
    if area_pk:
        area = visible.filter(pk=area_pk).first() if area_pk.isdigit() else None
        if area is None:
            raise Http404
        return area
    area = top_nodes(visible).first()
    if area is None:
        raise PermissionDenied
    return area


def months_between(start: date, end: date):
    """The calendar months of [start, end), cut to the period: the columns of the monthly tables."""
    cursor = start.replace(day=1)
    while cursor < end:
        nxt = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        yield max(cursor, start), min(nxt, end)
        cursor = nxt
