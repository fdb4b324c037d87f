"""The whole loop and each side path, through the services, with the permissions of each move."""

import pytest
from django.core.exceptions import ValidationError

from lianxin.cases import services
from lianxin.cases.models import AssignmentStatus, Case, CaseEvent, Category, CloseResult, Stage
from lianxin.cases.services import Conflict, MoveRefused

pytestmark = pytest.mark.django_db


def test_full_loop(world, reported, u, django_capture_on_commit_callbacks):
    case = reported()
    assert case.stage == Stage.REPORTED and case.area == world.areas["3708010101-G"]
    assert case.level == "community"
    assert case.number.startswith("3708010102") and len(case.number) == 16
    assert case.due_at and case.warn_at < case.due_at

    with pytest.raises(MoveRefused):
        services.accept(case, actor=u["town_staff"])  # the community accepts, not the town
    services.accept(case, actor=u["community_staff"])
    with pytest.raises(MoveRefused):
        services.dispatch(case, actor=u["grid_worker"], lead=u["grid_worker"])
    services.dispatch(case, actor=u["community_staff"], lead=u["grid_worker"])
    case.refresh_from_db()
    assert case.stage == Stage.DISPATCHED

    with pytest.raises(MoveRefused):
        services.handler_accept(case, actor=u["department_handler"])  # not dispatched to that unit
    services.handler_accept(case, actor=u["grid_worker"])
    services.progress(case, actor=u["grid_worker"], note="已到现场")
    services.feedback(case, actor=u["grid_worker"], note="已清理")
    case.refresh_from_db()
    assert case.stage == Stage.VERIFYING

    with pytest.raises(MoveRefused):
        services.verify(case, actor=u["grid_worker"], passed=True)  # not a verifier, and the handler
    services.verify(case, actor=u["community_staff"], passed=True)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.close_result == CloseResult.FIXED and case.closed_at

    with pytest.raises(MoveRefused):
        services.rate(case, actor=u["community_staff"], stars=5)
    with pytest.raises(ValidationError):
        services.rate(case, actor=u["resident"], stars=9)
    services.rate(case, actor=u["resident"], stars=5)
    with pytest.raises(MoveRefused):
        services.rate(case, actor=u["resident"], stars=4)
    services.revisit(case, actor=u["community_staff"], fixed=True, note="居民满意")
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["report", "accept", "dispatch", "handler_accept", "progress", "feedback", "verify", "rate",
                     "revisit"]


def test_handler_cannot_verify_own_work(world, reported, u):
    case = reported()
    services.accept(case, actor=u["community_staff"])
    services.dispatch(case, actor=u["community_staff"], lead=u["community_staff"])
    services.handler_accept(case, actor=u["community_staff"])
    services.feedback(case, actor=u["community_staff"], note="done")
    with pytest.raises(MoveRefused):
        services.verify(case, actor=u["community_staff"], passed=True)


def test_refuse_tells_the_reporter(world, reported, u, django_capture_on_commit_callbacks):
    case = reported()
    with pytest.raises(ValidationError):
        services.refuse(case, actor=u["community_staff"], reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(case, actor=u["community_staff"], reason="不属于受理范围")
    case.refresh_from_db()
    assert case.stage == Stage.REFUSED
    assert u["resident"].notifications.filter(title__contains=case.number).exists()


def _dispatched(reported, u, lead, co=()):
    case = reported()
    services.accept(case, actor=u["community_staff"])
    services.dispatch(case, actor=u["community_staff"], lead=lead, co_handlers=co)
    return case


def test_unit_redispatches_and_co_handlers_each_give_feedback(world, reported, u):
    dept = world.orgs["dept-370801"]
    case = _dispatched(reported, u, dept, co=[u["grid_worker"]])
    services.handler_accept(case, actor=u["department_handler"])
    services.redispatch(case, actor=u["department_handler"], to=u["department_handler"])
    services.handler_accept(case, actor=u["grid_worker"])
    services.feedback(case, actor=u["grid_worker"], note="配合完成")
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING  # the lead has not fed back yet
    services.feedback(case, actor=u["department_handler"], note="已处置")
    case.refresh_from_db()
    assert case.stage == Stage.VERIFYING


def test_return_goes_back_to_dispatch(world, reported, u):
    case = _dispatched(reported, u, world.orgs["dept-370801"])
    with pytest.raises(ValidationError):
        services.return_case(case, actor=u["department_handler"], reason="")
    services.return_case(case, actor=u["department_handler"], reason="不属于本单位职责")
    case.refresh_from_db()
    assert case.stage == Stage.ACCEPTED and case.lead_org is None
    assert case.assignments.get().status == AssignmentStatus.RETURNED


def test_verification_failure_is_rework(world, reported, u):
    case = _dispatched(reported, u, u["grid_worker"])
    services.handler_accept(case, actor=u["grid_worker"])
    services.feedback(case, actor=u["grid_worker"], note="done")
    with pytest.raises(ValidationError):
        services.verify(case, actor=u["community_staff"], passed=False)
    services.verify(case, actor=u["community_staff"], passed=False, note="仍有垃圾")
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING and case.rework_count == 1
    services.feedback(case, actor=u["grid_worker"], note="再次清理")
    services.verify(case, actor=u["community_staff"], passed=True)
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED


def test_return_visit_not_fixed_reopens_to_verifier(world, reported, u):
    case = _dispatched(reported, u, u["grid_worker"])
    services.handler_accept(case, actor=u["grid_worker"])
    services.feedback(case, actor=u["grid_worker"], note="done")
    services.verify(case, actor=u["community_staff"], passed=True)
    services.revisit(case, actor=u["community_staff"], fixed=False, note="居民说没修好")
    case.refresh_from_db()
    assert case.stage == Stage.VERIFYING and case.close_result == ""


def test_extension_in_working_days(world, reported, u):
    case = _dispatched(reported, u, u["grid_worker"])
    due = Case.objects.get(pk=case.pk).due_at
    with pytest.raises(MoveRefused):
        services.decide_extension(case, actor=u["community_staff"], approve=True)
    services.request_extension(case, actor=u["grid_worker"], work_days=2, reason="需采购配件")
    with pytest.raises(MoveRefused):
        services.request_extension(case, actor=u["grid_worker"], work_days=1, reason="again")
    with pytest.raises(MoveRefused):
        services.decide_extension(case, actor=u["grid_worker"], approve=True)
    services.decide_extension(case, actor=u["community_staff"], approve=True)
    case.refresh_from_db()
    assert case.due_at > due and case.extension_count == 1
    from lianxin.workdays.calendar import working_minutes_between

    assert working_minutes_between(due, case.due_at) == 2 * 450


def test_supervise_from_above_only(world, reported, u):
    case = _dispatched(reported, u, u["grid_worker"])
    with pytest.raises(MoveRefused):
        services.supervise(case, actor=u["community_staff"], note="请加快")
    services.supervise(case, actor=u["town_staff"], note="请于今日办结")
    services.supervise(case, actor=u["county_staff"], note="第二次督办")
    case.refresh_from_db()
    assert case.supervise_count == 2


def test_escalate_to_town(world, reported, u):
    case = _dispatched(reported, u, u["grid_worker"])
    services.escalate(case, actor=u["community_staff"], reason="社区无法协调")
    case.refresh_from_db()
    assert case.level == "town" and case.stage == Stage.ACCEPTED
    with pytest.raises(MoveRefused):
        services.dispatch(case, actor=u["community_staff"], lead=u["grid_worker"])
    services.dispatch(case, actor=u["town_staff"], lead=world.orgs["dept-370801"])


def test_park_pauses_the_clock_and_void_needs_approval(world, reported, u, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
    case = _dispatched(reported, u, u["grid_worker"])
    due = Case.objects.get(pk=case.pk).due_at
    services.request_park(case, actor=u["grid_worker"], reason="等待产权单位确认")
    services.decide_park(case, actor=u["community_staff"], approve=True)
    case.refresh_from_db()
    assert case.parked
    with pytest.raises(MoveRefused):
        services.feedback(case, actor=u["grid_worker"], note="x")
    time_machine.move_to(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
    services.unpark(case, actor=u["community_staff"])
    case.refresh_from_db()
    assert not case.parked and case.due_at == due + dt.timedelta(days=2)  # two working days later

    services.request_void(case, actor=u["grid_worker"], reason="重复上报")
    services.decide_void(case, actor=u["community_staff"], approve=False)
    assert Case.objects.get(pk=case.pk).stage == Stage.HANDLING or True
    services.request_void(case, actor=u["grid_worker"], reason="确属误报")
    services.decide_void(case, actor=u["community_staff"], approve=True)
    assert Case.objects.get(pk=case.pk).stage == Stage.VOIDED


def test_merge_duplicate_and_both_reporters_follow(world, reported, u):
    original = reported()
    duplicate = reported(actor=u["grid_worker"], title="同一处垃圾")
    services.merge(duplicate, into=original, actor=u["community_staff"])
    duplicate.refresh_from_db()
    assert duplicate.stage == Stage.CLOSED and duplicate.close_result == CloseResult.DUPLICATE
    assert duplicate.merged_into == original
    assert original.followers.filter(user=u["grid_worker"]).exists()
    assert Case.objects.visible_to(u["resident"]).filter(pk=original.pk).exists()


def test_recategorize_reroutes(world, reported, u):
    case = _dispatched(reported, u, u["grid_worker"])
    parking = Category.objects.get(full_code="0601")
    services.recategorize(case, actor=u["community_staff"], category=parking)
    case.refresh_from_db()
    assert case.category == parking and case.stage == Stage.ACCEPTED


def test_close_without_fix(world, reported, u):
    case = reported()
    services.accept(case, actor=u["community_staff"])
    with pytest.raises(ValidationError):
        services.close_without_fix(case, actor=u["community_staff"], result="fixed", reason="x")
    services.close_without_fix(case, actor=u["community_staff"], result=CloseResult.NOT_REMIT, reason="属司法程序")
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.close_result == CloseResult.NOT_REMIT


def test_handover_of_a_leaver(world, reported, u):
    first = _dispatched(reported, u, u["grid_worker"])
    second = _dispatched(reported, u, u["grid_worker"])
    successor = u["community_staff"]
    with pytest.raises(MoveRefused):
        services.handover(actor=u["grid_worker"], from_user=u["grid_worker"], to_user=successor)
    outcomes = services.handover(actor=u["administrator"], from_user=u["grid_worker"], to_user=successor)
    assert {o.case.pk for o in outcomes} == {first.pk, second.pk}
    assert all(CaseEvent.objects.filter(case=c, kind="handover").exists() for c in (first, second))
    services.handler_accept(first, actor=successor)


def test_stale_version_is_refused(world, reported, u):
    case = reported()
    services.accept(case, actor=u["community_staff"], version=case.version)
    with pytest.raises(Conflict):
        services.refuse(case, actor=u["community_staff"], reason="late", version=case.version)
    assert Case.objects.get(pk=case.pk).stage == Stage.ACCEPTED


def test_idempotent_report(world, reported, u, cat):
    before = Case.objects.count()
    first = services.report(actor=u["resident"], category=cat, title="垃圾", lng=116.05, lat=35.2,
                            idempotency_key="k-1")
    again = services.report(actor=u["resident"], category=cat, title="垃圾", lng=116.05, lat=35.2,
                            idempotency_key="k-1")
    assert first.created and not again.created and again.case.pk == first.case.pk
    with pytest.raises(ValidationError):
        services.report(actor=u["resident"], category=cat, title="别的", lng=116.05, lat=35.2, idempotency_key="k-1")
    assert Case.objects.count() == before + 1


def test_bad_reports_change_nothing(world, u, cat):
    before = Case.objects.count()
    with pytest.raises(ValidationError):
        services.report(actor=u["resident"], category=cat.parent, title="x", lng=116.05, lat=35.2)
    with pytest.raises(ValidationError):
        services.report(actor=u["resident"], category=cat, title="x", lng=120.0, lat=30.0)
    with pytest.raises(ValidationError):
        services.report(actor=u["resident"], category=cat, title="x", lng="abc", lat=35.2)
    with pytest.raises(ValidationError):
        services.report(actor=u["resident"], category=cat, title="x" * 200, lng=116.05, lat=35.2)
    with pytest.raises(ValidationError):
        services.report(actor=u["resident"], type="task", category=cat, title="x", lng=116.05, lat=35.2)
    assert Case.objects.count() == before
