"""Key tasks (重点任务): a county office assigns a lead unit, co-units and milestones with their own deadlines;
the ledger shows blue, yellow and red; units mark milestones reached with evidence."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.accounts import services as accounts
from lianxin.cases import keytasks, services
from lianxin.cases.models import Milestone
from lianxin.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world):
    """The county's command centre (督查 office): dispatches at county level."""
    return accounts.create_account(actor=None, username="county-office", person=None, area=world.areas["370801"],
                                   grants=[("case_dispatcher", {"area": world.areas["370801"]})])


@pytest.fixture
def task(world, office):
    today = clock.today()
    return keytasks.create_key_task(
        actor=office, area=world.areas["370801"], title="老旧小区改造", description="年内完成三个小区",
        lead=world.orgs["dept-370801"], co_units=[world.orgs["industry-370801"]],
        milestones=[("完成方案", today + timedelta(days=10)), ("完成施工", today + timedelta(days=30))])


def test_a_key_task_with_two_milestones_turns_yellow_then_red(world, task):
    assert task.type == "task" and task.stage == "dispatched" and task.lead_org == world.orgs["dept-370801"]
    assert task.assignments.filter(is_lead=False, org=world.orgs["industry-370801"]).exists()
    first, second = task.milestones.all()
    assert first.due_at < second.due_at and first.warn_at < first.due_at
    now = clock.now()
    assert keytasks.milestone_colour(first, now) == "blue"
    assert keytasks.task_colour([first, second], now) == "blue"
    assert keytasks.milestone_colour(first, first.warn_at + timedelta(minutes=1)) == "yellow"
    assert keytasks.task_colour([first, second], first.warn_at + timedelta(minutes=1)) == "yellow"
    late = first.due_at + timedelta(minutes=1)
    assert keytasks.milestone_colour(first, late) == "red"
    assert keytasks.task_colour([first, second], late) == "red"  # the task shows its worst milestone
    assert keytasks.milestone_colour(second, late) == "blue"


def test_units_reach_milestones_with_evidence_and_others_may_not(world, u, task):
    first = task.milestones.get(order=1)
    with pytest.raises(services.MoveRefused):  # not yet taken on: still "dispatched"? a handler may; others not
        keytasks.reach_milestone(task, first, actor=u["resident"], evidence="x")
    with pytest.raises(ValidationError):
        keytasks.reach_milestone(task, first, actor=u["department_handler"], evidence="")
    services.handler_accept(task, actor=u["department_handler"])
    keytasks.reach_milestone(task, first, actor=u["department_handler"], evidence="方案已通过评审")
    first.refresh_from_db()
    assert first.done_by == u["department_handler"] and first.evidence == "方案已通过评审"
    assert task.events.filter(kind="milestone", data__milestone=1).exists()
    with pytest.raises(services.MoveRefused):
        keytasks.reach_milestone(task, first, actor=u["department_handler"], evidence="again")
    second = task.milestones.get(order=2)
    keytasks.reach_milestone(task, second, actor=u["industry_committee_staff"], evidence="施工完成")  # a co-unit
    with pytest.raises(services.MoveRefused):  # nothing left to reach
        keytasks.reach_milestone(task, second, actor=u["department_handler"], evidence="x")
    assert keytasks.task_colour(list(task.milestones.all()), clock.now()) == "closed_on_time"


def test_milestones_must_follow_each_other(world, office):
    today = clock.today()
    base = {"actor": office, "area": world.areas["370801"], "title": "x", "lead": world.orgs["dept-370801"]}
    for milestones in ([], [("a", today + timedelta(days=5)), ("b", today + timedelta(days=2))],
                       [("a", today - timedelta(days=1))], [("", today + timedelta(days=3))]):
        with pytest.raises(ValidationError):
            keytasks.create_key_task(milestones=milestones, **base)
    with pytest.raises(ValidationError):  # key tasks are filed by staff, not residents
        keytasks.create_key_task(milestones=[("a", today + timedelta(days=3))], **{**base, "actor": world.users[
            "resident"]})


def test_the_ledger_page_shows_colours_and_takes_evidence(world, u, task, persona_client):
    client = persona_client("department_handler")
    page = client.get(reverse("cases:ledger")).content.decode()
    assert task.number in page and "完成方案" in page and 'name="evidence"' in page
    services.handler_accept(task, actor=u["department_handler"])
    response = client.post(reverse("cases:reach", args=[task.pk]), {"order": 1, "evidence": "方案已批复"})
    assert response.status_code == 302
    assert Milestone.objects.get(case=task, order=1).evidence == "方案已批复"
    detail = client.get(reverse("cases:detail", args=[task.pk]))
    assert detail.status_code == 200 and "方案已批复" in detail.content.decode()
    staff = persona_client("county_staff").get(reverse("cases:ledger")).content.decode()
    assert task.number in staff and "方案已批复" in staff
    assert task.number not in persona_client("resident").get(reverse("cases:ledger")).content.decode()


def test_the_weekly_digest_names_yellow_and_red_tasks(world, u, task, time_machine):
    first = task.milestones.get(order=1)
    time_machine.move_to(first.due_at + timedelta(hours=1), tick=False)
    assert keytasks.weekly_digest() == 1
