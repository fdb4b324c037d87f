"""The flow table (cases.flow) against the moves: for every persona × stage × move, "offered" ⇔ "succeeds",
and a refused move changes nothing."""

import copy
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from lianxin.accounts import services as accounts
from lianxin.cases import flow, keytasks, services
from lianxin.cases.models import Case, CaseEvent, Category, Milestone, Stage
from lianxin.cases.types import Move
from lianxin.core import clock

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class Undo(Exception):
    pass


def states(world, u, cat):
    """One case per stage and side state, filed by the resident, handled by the county's department."""

    def new(title="x", **kw):
        return services.report(actor=u["resident"], category=cat, title=title, lng=116.05, lat=35.2, **kw).case

    def accepted():
        case = new()
        services.accept(case, actor=u["community_staff"])
        return case

    def dispatched():
        case = accepted()
        services.dispatch(case, actor=u["community_staff"], lead=world.orgs["dept-370801"])
        return case

    def handling():
        case = dispatched()
        services.handler_accept(case, actor=u["department_handler"])
        return case

    def verifying():
        case = handling()
        services.feedback(case, actor=u["department_handler"], note="已清理")
        return case

    made = {"reported": new(), "accepted": accepted(), "dispatched": dispatched(), "handling": handling(),
            "verifying": verifying()}
    made["closed"] = verifying()
    services.verify(made["closed"], actor=u["community_staff"], passed=True)
    made["refused"] = new()
    services.refuse(made["refused"], actor=u["community_staff"], reason="不属实")
    made["voided"] = new()
    services.withdraw(made["voided"], actor=u["resident"])
    made["extension asked"] = handling()
    services.request_extension(made["extension asked"], actor=u["department_handler"], work_days=2, reason="等配件")
    made["parking asked"] = handling()
    services.request_park(made["parking asked"], actor=u["department_handler"], reason="等审批")
    made["parked"] = handling()
    services.request_park(made["parked"], actor=u["department_handler"], reason="等审批")
    services.decide_park(made["parked"], actor=u["community_staff"], approve=True)
    made["voiding asked"] = accepted()
    services.request_void(made["voiding asked"], actor=u["community_staff"], reason="重复")
    made["town level"] = accepted()
    services.escalate(made["town level"], actor=u["community_staff"], reason="跨社区")
    appeal = services.report(actor=u["resident"], type="appeal", category=Category.objects.get(full_code="0802"),
                             title="欠薪", nature="complaint", lng=116.05, lat=35.2).case
    made["appeal reported"] = appeal
    office = accounts.create_account(actor=None, username="flow-office", person=None, area=world.areas["370801"],
                                     grants=[("case_dispatcher", {"area": world.areas["370801"]})])
    today = clock.today()
    made["key task"] = keytasks.create_key_task(
        actor=office, area=world.areas["370801"], title="重点任务", lead=world.orgs["dept-370801"],
        milestones=[("方案", today + timedelta(days=5)), ("完成", today + timedelta(days=20))])
    services.handler_accept(made["key task"], actor=u["department_handler"])
    return made


def attempt(name, case, actor, world, original, other_category):
    """Make move ``name`` with valid arguments."""
    s, a = services, actor
    calls = {
        Move.ACCEPT: lambda: s.accept(case, actor=a),
        Move.REFUSE: lambda: s.refuse(case, actor=a, reason="不属实"),
        Move.DISPATCH: lambda: s.dispatch(case, actor=a, lead=world.orgs["dept-370801"]),
        Move.REDISPATCH: lambda: s.redispatch(case, actor=a, to=world.orgs["firm-3708010101"]),
        Move.HANDLER_ACCEPT: lambda: s.handler_accept(case, actor=a),
        Move.RETURN: lambda: s.return_case(case, actor=a, reason="不归我们"),
        Move.PROGRESS: lambda: s.progress(case, actor=a, note="进行中"),
        Move.FEEDBACK: lambda: s.feedback(case, actor=a, note="已处理"),
        Move.VERIFY: lambda: s.verify(case, actor=a, passed=True),
        Move.RATE: lambda: s.rate(case, actor=a, stars=5),
        Move.REVISIT: lambda: s.revisit(case, actor=a, fixed=True),
        Move.EXTEND_REQUEST: lambda: s.request_extension(case, actor=a, work_days=2, reason="等配件"),
        Move.EXTEND_DECIDE: lambda: s.decide_extension(case, actor=a, approve=True),
        Move.SUPERVISE: lambda: s.supervise(case, actor=a, note="请尽快办理"),
        Move.ESCALATE: lambda: s.escalate(case, actor=a, reason="跨区域"),
        Move.PARK_REQUEST: lambda: s.request_park(case, actor=a, reason="等审批"),
        Move.PARK_DECIDE: lambda: s.decide_park(case, actor=a, approve=True),
        Move.UNPARK: lambda: s.unpark(case, actor=a),
        Move.VOID_REQUEST: lambda: s.request_void(case, actor=a, reason="重复"),
        Move.VOID_DECIDE: lambda: s.decide_void(case, actor=a, approve=True),
        Move.MERGE: lambda: s.merge(case, into=original, actor=a),
        Move.RECATEGORIZE: lambda: s.recategorize(case, actor=a, category=other_category),
        Move.CLOSE_WITHOUT_FIX: lambda: s.close_without_fix(case, actor=a, result="not_remit", reason="非本部门"),
        "edit": lambda: s.edit_report(case, actor=a, title="改过的标题"),
        "milestone": lambda: keytasks.reach_milestone(
            case, case.milestones.filter(done_at=None).first() or Milestone(pk=0), actor=a, evidence="完成"),
        "withdraw": lambda: s.withdraw(case, actor=a),
    }
    return calls[name]()


def snapshot(case_pk):
    case = Case.objects.get(pk=case_pk)
    return (model_to_dict(case), CaseEvent.objects.filter(case_id=case_pk).count(),
            sorted(case.assignments.values_list("pk", "status", "org_id", "user_id")),
            sorted(case.milestones.values_list("pk", "done_at")))


def test_every_persona_stage_and_move_offered_iff_it_succeeds(world, u, cat):
    cases = states(world, u, cat)
    original = services.report(actor=u["grid_worker"], category=cat, title="原件", lng=116.05, lat=35.2).case
    other = Category.objects.get(full_code="0103")
    personas = dict(u)
    rules = [r for r in flow.RULES if r.name != Move.HANDOVER]  # handover is not a move on one case
    checked = succeeded = 0
    mismatches = []
    for state, made in cases.items():
        # Every attempt is rolled back, so the state's case is read and snapshotted once, and copied per attempt.
        loaded = Case.objects.select_related("area", "category", "category__parent").get(pk=made.pk)
        before = snapshot(made.pk)
        for role, actor in personas.items():
            offered = set(services.available_moves(actor, copy.deepcopy(loaded)))
            for rule in rules:
                case = copy.deepcopy(loaded)
                expected = rule.name in offered if rule.offered else flow.refusal(rule.name, actor, case) is None
                ok = False
                connection.queries_log.clear()  # the log is capped: a full one would capture nothing
                try:
                    with CaptureQueriesContext(connection) as queries, transaction.atomic():
                        attempt(rule.name, case, actor, world, original, other)
                        ok = True
                        raise Undo
                except Undo:
                    pass
                except (services.MoveRefused, ValidationError) as e:
                    # The savepoint would undo any write, so check that a refused move wrote nothing at all.
                    writes = [q["sql"] for q in queries.captured_queries if WRITE.match(q["sql"])]
                    assert not writes, f"refused {rule.name} by {role} on {state} wrote: {writes}"
                    why = str(e)
                else:  # pragma: no cover
                    raise AssertionError("unreachable")
                checked += 1
                succeeded += ok
                if ok != expected:
                    mismatches.append(f"{state} × {role} × {rule.name}: offered={expected} succeeded={ok}"
                                      + ("" if ok else f" ({why})"))
        assert snapshot(made.pk) == before, f"the attempts on {state} left the case changed"
    assert not mismatches, "\n".join(mismatches)
    assert checked == len(cases) * len(personas) * len(rules)
    assert succeeded > 100  # the matrix exercises real moves, not only refusals


def test_the_table_declares_every_move_once_and_gives_the_event_kinds(world):
    names = [r.name for r in flow.RULES]
    assert len(names) == len(set(names))
    moves = {v for k, v in vars(Move).items() if not k.startswith("_")}
    assert moves <= set(names)
    kinds = dict(CaseEvent._meta.get_field("kind").choices)
    assert set(names) | {"report", "alert"} <= set(kinds)
    assert flow.FLOW[Move.FEEDBACK].leaves_from == (Stage.HANDLING,)


def test_a_refusal_names_the_rule(world, u, reported):
    from django.utils import translation

    case = reported()
    with translation.override("en"):
        with pytest.raises(services.MoveRefused, match="responsible for"):
            services.accept(case, actor=u["department_handler"])
        with pytest.raises(services.MoveRefused, match="Not possible while"):
            services.feedback(case, actor=u["department_handler"], note="x")
        case = services.accept(case, actor=u["community_staff"]).case
        assert "responsible for" in flow.refusal(Move.DISPATCH, u["department_handler"], case)
        assert flow.refusal(Move.DISPATCH, u["community_staff"], case) is None
