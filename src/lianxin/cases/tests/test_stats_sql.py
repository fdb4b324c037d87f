"""stats.compute aggregates in SQL; this reference replays the events in Python (the definition it replaced)
and both must agree on every figure, for several periods and scopes, on engine-made and bulk-loaded cases."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from lianxin.cases import services
from lianxin.cases.models import DONE_STAGES, CaseEvent, EventTally, Stage
from lianxin.cases.stats import CLOSING, Scope, _events, _rate, compute, rebuild_tallies
from lianxin.core import clock

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def reference(start, end, scope):
    counts, stars = Counter(), Counter()
    for kind, at, due, data, to_stage in _events(scope).filter(at__gte=start, at__lt=end).values_list(
            "kind", "at", "stage_due_at", "data", "to_stage"):
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
            counts["rework"] += not data.get("passed")
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
            counts["closed_without_fix"] += kind != "verify"
    state = {}
    for case_id, stage, due, parked in _events(scope).filter(at__lte=end).order_by("case_id", "at", "pk") \
            .values_list("case_id", "to_stage", "due_after", "parked_after"):
        state[case_id] = (stage, due, parked)
    overdue = handling = 0
    for stage, due, parked in state.values():
        if stage in DONE_STAGES or parked or due is None or due >= end:
            continue
        overdue += 1
        handling += stage in (Stage.DISPATCHED, Stage.HANDLING)
    to_handle, to_close = counts["handled"] + handling, counts["closed"] + overdue
    late = counts["closed"] - counts["closed_on_time"]
    return {
        "reported": counts["report"], "accepted": counts["accept"], "refused": counts["refuse"],
        "valid_report_rate": _rate(counts["accept"], counts["accept"] + counts["refuse"]),
        "accepted_on_time_rate": _rate(counts["accepted_on_time"], counts["accept"]),
        "dispatched": counts["dispatch"], "returned": counts["returned"],
        "accurate_dispatch_rate": _rate(counts["dispatch"] - counts["returned"], counts["dispatch"]),
        "handled": counts["handled"], "handled_on_time": counts["handled_on_time"], "due_to_handle": to_handle,
        "handle_rate": _rate(counts["handled"], to_handle),
        "handle_on_time_rate": _rate(counts["handled_on_time"], to_handle),
        "closed": counts["closed"], "closed_on_time": counts["closed_on_time"], "closed_late": late,
        "closed_without_fix": counts["closed_without_fix"], "due_to_close": to_close,
        "close_rate": _rate(counts["closed"], to_close),
        "close_on_time_rate": _rate(counts["closed_on_time"], to_close),
        "close_late_rate": _rate(late, to_close), "rework": counts["rework"],
        "rework_rate": _rate(counts["rework"], to_close), "extended": counts["extended"],
        "extension_rate": _rate(counts["extended"], to_handle),
        "verified_on_time_rate": _rate(counts["verified_on_time"], counts["verify"]),
        "voided": counts["voided"], "supervised": counts["supervise"], "escalated": counts["escalate"],
        "overdue_at_end": overdue, "response_rate": _rate(counts["responded_on_time"], counts["handler_accept"]),
        "solved_rate": _rate(counts["revisited_fixed"], counts["revisit"]),
        "satisfaction_rate": _rate(stars[5] + 0.9 * stars[4], sum(stars.values())), "ratings": sum(stars.values()),
    }


def assert_same(world, moments, types=(None, "event")):
    scopes = [Scope()] + [Scope(area_path=world.areas[code].path, case_type=t)
                          for code in ("370800", "370801", "3708010101", "370802") for t in types]
    for start, end in moments:
        for scope in scopes:
            assert compute(start, end, scope) == reference(start, end, scope), (start, end, scope)


def test_sql_figures_equal_the_event_replay_on_bulk_loaded_cases(world):
    call_command("bulk_load_cases", n=250, seed=5, batch=250, check=0, stdout=StringIO())
    now = clock.now()
    first = CaseEvent.objects.order_by("at").values_list("at", flat=True).first()
    moments = [(now - dt.timedelta(days=400), now + dt.timedelta(minutes=1))]
    for days in (30, 90, 200):  # past months: their end state is rebuilt from events before it
        moments.append((now - dt.timedelta(days=days + 30), now - dt.timedelta(days=days)))
    moments.append((first - dt.timedelta(days=2), first - dt.timedelta(days=1)))  # before anything happened
    assert compute(*moments[0], Scope())["reported"] >= 250
    assert any(reference(s, e, Scope())["overdue_at_end"] for s, e in moments[1:]), "no past overdue case to compare"
    assert_same(world, moments)


def test_reopened_and_late_cases_at_a_past_end(world, reported, u, time_machine):
    """Cases whose stage at the end differs from now: reopened by a return visit, refused or closed later."""
    time_machine.move_to(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH), tick=False)
    reopened, closed_late, refused_later, parked = reported(), reported(), reported(), reported()
    for case in (reopened, closed_late, parked):
        services.accept(case, actor=u["community_staff"])
        services.dispatch(case, actor=u["community_staff"], lead=u["grid_worker"])
        services.handler_accept(case, actor=u["grid_worker"])
    services.feedback(reopened, actor=u["grid_worker"], note="done")
    services.verify(reopened, actor=u["community_staff"], passed=True)
    services.request_park(parked, actor=u["grid_worker"], reason="等待施工")
    services.decide_park(parked, actor=u["community_staff"], approve=True)
    time_machine.move_to(dt.datetime(2026, 10, 20, 9, 0, tzinfo=SH), tick=False)
    services.revisit(reopened, actor=u["community_staff"], fixed=False, note="又堆了")  # open again, then overdue
    time_machine.move_to(dt.datetime(2026, 11, 5, 9, 0, tzinfo=SH), tick=False)
    services.feedback(closed_late, actor=u["grid_worker"], note="finally")
    services.verify(closed_late, actor=u["community_staff"], passed=True)
    services.refuse(refused_later, actor=u["community_staff"], reason="不属实")
    october = (dt.datetime(2026, 10, 1, tzinfo=SH), dt.datetime(2026, 11, 1, tzinfo=SH))
    figures = compute(*october, Scope(area_path=world.areas["370801"].path))
    assert figures["overdue_at_end"] >= 3  # reopened, closed_late and refused_later were all overdue then
    assert figures["rework"] == 0 and figures["solved_rate"] == 0.0
    assert_same(world, [october, (dt.datetime(2026, 10, 1, tzinfo=SH), dt.datetime(2026, 10, 15, tzinfo=SH)),
                        (october[1], dt.datetime(2026, 12, 1, tzinfo=SH))], types=(None,))
    assert EventTally.objects.filter(span="m", day=dt.date(2026, 10, 1)).exists()  # October came from tallies

    reported_before = compute(*october, Scope())["reported"]
    time_machine.move_to(dt.datetime(2026, 10, 25, 9, 0, tzinfo=SH), tick=False)
    reported()  # written into a day that was already counted (a replay, an import of old reports)
    time_machine.move_to(dt.datetime(2026, 11, 6, 9, 0, tzinfo=SH), tick=False)
    assert compute(*october, Scope())["reported"] == reported_before + 1
    assert_same(world, [october], types=(None,))
    rebuild_tallies()
    assert_same(world, [october], types=(None,))
