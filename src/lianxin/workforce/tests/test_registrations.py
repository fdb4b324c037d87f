"""双报到: registrations, service requests on the case engine (点单 → 下单 → 接单 → done → verified), the
quarterly feedback on the duty engine, and the 大党委."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.cases import services as cases
from lianxin.cases.models import Case, Category, Stage
from lianxin.core.clock import today
from lianxin.duties import services as duties
from lianxin.duties.models import DutyLog, Obligation
from lianxin.workforce import services, stats
from lianxin.workforce.models import CommitteeMember, Registration, ServiceOrder
from lianxin.workforce.types import SERVICE

from .conftest import HOME


@pytest.mark.django_db
def test_service_request_runs_on_the_case_engine(world, login, member):
    staff, resident = world.users["community_staff"], world.accounts[HOME]
    reg = services.register(actor=staff, kind="member", area=world.areas[HOME], person=member,
                            services="政策宣讲\n助老")
    category = Category.objects.get(full_code="3101")
    form = {"category": category.pk, "title": "帮忙取药", "area": world.areas[HOME].pk, "key": "need-1"}
    assert login(resident).post(reverse("workforce:need_create"), form).status_code == 302
    assert login(resident).post(reverse("workforce:need_create"), form).status_code == 302  # a retry
    case = Case.objects.get(type=SERVICE)
    assert case.reporter == resident and case.stage == Stage.REPORTED and case.area == world.areas[HOME]
    # 下单: the community assigns it to the registered member (accepting it first).
    board = login(staff).get(reverse("workforce:services")).content.decode()
    assert case.number in board and f'value="{reg.pk}"' in board
    login(staff).post(reverse("workforce:service_assign", args=[case.pk]), {"registration": reg.pk})
    case.refresh_from_db()
    assert case.stage == Stage.DISPATCHED and ServiceOrder.objects.get(case=case).registration == reg
    # 接单 and done, on the member's phone page.
    user = User.objects.get(person=member)
    assert case.number in login(user).get(reverse("workforce:me")).content.decode()
    login(user).post(reverse("workforce:service_take", args=[case.pk]))
    case.refresh_from_db()
    assert case.stage == Stage.HANDLING
    login(user).post(reverse("workforce:service_done", args=[case.pk]), {"note": "已送药上门"})
    case.refresh_from_db()
    assert case.stage == Stage.VERIFYING
    cases.verify(case, actor=staff, passed=True)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["report", "accept", "dispatch", "handler_accept", "feedback", "verify"]
    figures = stats.figures(staff, [world.areas[HOME]], today() - timedelta(days=1), today())[world.areas[HOME].pk]
    assert figures["services_taken"] == 1 and figures["services_completed"] == 1
    assert figures["member_registrations"] == 1 and figures["org_registrations"] == 1


@pytest.mark.django_db
def test_only_service_requests_are_assigned_and_only_to_the_case_community(world, member):
    staff = world.users["community_staff"]
    reg = services.register(actor=staff, kind="member", area=world.areas[HOME], person=member)
    with pytest.raises(ValidationError):
        services.assign_service(world.cases[HOME], actor=staff, registration=reg)
    other = services.post_need(actor=world.accounts["3708010102"], category=Category.objects.get(full_code="3102"),
                               title="咨询", area=world.areas["3708010102"]).case
    with pytest.raises(ValidationError):
        services.assign_service(other, actor=world.users["administrator"], registration=reg)
    assert not ServiceOrder.objects.exists()


@pytest.mark.django_db
def test_member_registration_owes_quarterly_feedback(world, login, member):
    staff = world.users["community_staff"]
    start = today() - timedelta(days=220)
    reg = services.register(actor=staff, kind="member", area=world.areas[HOME], person=member, registered_on=start)
    plan = services.feedback_plan(reg)
    assert plan.frequency == "quarterly" and plan.owner_role == "community_staff"
    obligations = Obligation.objects.filter(plan=plan)
    assert obligations.count() >= 3  # every quarter since registration, the current one included
    assert staff in duties.plan_owners(plan)
    past = duties.compliance(obligations)
    assert past["due"] >= 1 and past["fulfilled"] == 0
    form = {"notes": "本季度参与助老服务 3 次", "key": "fb-1"}
    for _ in range(2):  # a retried POST logs once
        login(staff).post(reverse("workforce:registration_feedback", args=[reg.pk]), form)
    assert DutyLog.objects.filter(plan=plan).count() == 1
    current = obligations.get(period_start__lte=today(), period_end__gt=today())
    assert current.fulfilled_by is not None
    # Not a member registration: no feedback owed.
    with pytest.raises(ValidationError):
        services.log_feedback(world.samples["workforce.registration"][HOME], actor=staff, notes="x")
    # Ending the registration ends the plan.
    services.end_registration(reg, actor=staff)
    plan.refresh_from_db()
    assert plan.end_date == today()
    figures = stats.figures(staff, [world.areas[HOME]], start, today())[world.areas[HOME].pk]
    assert figures["feedback_due"] == past["due"] and figures["feedback_done"] == 0


@pytest.mark.django_db
def test_registration_rules(world, login, member):
    staff = world.users["community_staff"]
    member.is_party_member = False
    member.save()
    with pytest.raises(ValidationError):
        services.register(actor=staff, kind="member", area=world.areas[HOME], person=member)
    with pytest.raises(ValidationError):  # the world already has this unit registered
        services.register(actor=staff, kind="org", area=world.areas[HOME], org=world.orgs[f"firm-{HOME}"])
    response = login(staff).post(reverse("workforce:registration_create"), {
        "kind": "org", "area": world.areas[HOME].code, "org": world.orgs["firm-3708020101"].name,
        "registered_on": today().isoformat()})
    assert response.status_code == 200  # a unit outside the staff's scope is not found
    assert Registration.objects.count() == 4


@pytest.mark.django_db
def test_big_party_committee_membership(world, login):
    staff = world.users["community_staff"]
    firm = world.orgs[f"firm-{HOME}"]
    with pytest.raises(ValidationError):  # already a member in the world
        services.add_committee_member(actor=staff, area=world.areas[HOME], org=firm)
    member = world.samples["workforce.committeemember"][HOME]
    login(staff).post(reverse("workforce:committee_member", args=[member.pk]), {"on": today().isoformat()})
    member.refresh_from_db()
    assert member.to_on == today()
    page = login(staff).get(reverse("workforce:committee"), {"q": firm.name}).content.decode()
    assert reverse("workforce:committee_member", args=[member.pk]) in page
    assert CommitteeMember.objects.visible_to(staff).count() == 1
    # The org department of the county sees its county's members; read-only industry staff may not end one.
    assert CommitteeMember.objects.visible_to(world.users["org_department"]).count() == 3
    other = world.samples["workforce.committeemember"]["3708010102"]
    response = login(world.users["industry_committee_staff"]).post(
        reverse("workforce:committee_member", args=[other.pk]), {"on": today().isoformat()})
    assert response.status_code == 403


@pytest.mark.django_db
def test_units_report_where_they_sit_and_members_where_they_live(world, member):
    staff = world.users["administrator"]
    with pytest.raises(ValidationError):
        services.register(actor=staff, kind="org", area=world.areas["3708010102"], org=world.orgs[f"firm-{HOME}"])
    with pytest.raises(ValidationError):
        services.register(actor=staff, kind="member", area=world.areas["3708010102"], person=member)
    reg = services.register(actor=staff, kind="member", area=world.areas[HOME], person=member)
    assert reg.org == world.orgs[f"firm-{HOME}"]  # the member's firm is told each quarter
