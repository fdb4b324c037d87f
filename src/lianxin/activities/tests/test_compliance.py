"""Frequency compliance on the duty engine: a held meeting fulfils the period containing its day, at the month,
quarter and year boundaries; a postponed meeting leaves its period due; colours per branch."""

from datetime import date, datetime, time, timedelta

import pytest

from lianxin.activities import compliance, services
from lianxin.core import clock
from lianxin.duties import queries as duty_queries
from lianxin.duties.status import Status
from lianxin.workdays.calendar import tz

pytestmark = pytest.mark.django_db

YEAR = clock.today().year - 1  # the world's plans start on 1 January of last year: a whole past year


def local(day: date, hour=23, minute=30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz())


def fulfilled_periods(branch, kind) -> set[date]:
    spec_kind = f"activity_{kind}"
    return set(duty_queries.obligations_of(branch, kind=spec_kind).filter(fulfilled_by__isnull=False)
               .values_list("period_start", flat=True))


@pytest.mark.parametrize("kind,last_day,next_period", [
    ("committee", date(YEAR, 4, 30), date(YEAR, 5, 1)),      # monthly
    ("theme_day", date(YEAR, 2, 28 + (YEAR % 4 == 0)), date(YEAR, 3, 1)),
    ("lecture", date(YEAR, 6, 30), date(YEAR, 7, 1)),        # quarterly
    ("assembly", date(YEAR, 9, 30), date(YEAR, 10, 1)),
    ("life_meeting", date(YEAR, 12, 31), date(YEAR + 1, 1, 1)),  # yearly
])
def test_period_boundaries(hold, branch, kind, last_day, next_period):
    first = compliance.duties.periods._calendar_period(
        compliance.kinds.frequency_of(kind), last_day)[0]
    hold(branch, kind, local(last_day))  # the last half hour of the period
    assert fulfilled_periods(branch, kind) == {first}
    hold(branch, kind, local(next_period, 0, 10))  # ten minutes into the next one
    assert fulfilled_periods(branch, kind) == {first, next_period}


def test_second_meeting_in_a_period_fulfils_nothing_more(hold, branch):
    hold(branch, "committee", local(date(YEAR, 5, 3), 9))
    hold(branch, "committee", local(date(YEAR, 5, 20), 9))
    assert fulfilled_periods(branch, "committee") == {date(YEAR, 5, 1)}


def test_postponed_meeting_leaves_its_period_due(world, branch, members, hold):
    planned = local(date(YEAR, 8, 28), 15, 0)
    with clock.at(planned - timedelta(days=7)):
        meeting = services.create_activity(actor=None, kind="committee", title="八月支委会", org=branch,
                                           starts_at=planned, ends_at=planned + timedelta(hours=1), place="会议室")
        services.send_notice(meeting, actor=None)
    with clock.at(planned - timedelta(hours=2)):
        new = local(date(YEAR, 9, 2), 15, 0)
        services.postpone(meeting, actor=None, starts_at=new, ends_at=new + timedelta(hours=1), reason="防汛值守")
    august = duty_queries.obligations_of(branch, kind="activity_committee").get(period_start=date(YEAR, 8, 1))
    status = compliance.branch_status([branch], now=local(date(YEAR, 8, 31), 12), on=date(YEAR, 8, 31))
    assert status[branch.pk]["kinds"]["committee"] == Status.YELLOW  # still due in August, due soon
    status = compliance.branch_status([branch], now=local(date(YEAR, 9, 1), 12), on=date(YEAR, 9, 1))
    assert status[branch.pk]["kinds"]["committee"] == Status.BLUE  # September's
    assert "committee" in status[branch.pk]["overdue"] and status[branch.pk]["colour"] == Status.RED
    with clock.at(new + timedelta(hours=1)):
        for p in members:
            services.sign_in(meeting, p, actor=None)
        services.write_minutes(meeting, actor=None, text="推迟召开", photos=[world.files["3708010101"]])
        services.mark_held(meeting, actor=None)
    august.refresh_from_db()
    assert august.fulfilled_by_id is None
    assert fulfilled_periods(branch, "committee") == {date(YEAR, 9, 1)}
    status = compliance.branch_status([branch], now=local(date(YEAR, 10, 2), 12), on=date(YEAR, 9, 15))
    assert status[branch.pk]["kinds"]["committee"] == Status.FULFILLED


def test_colour_of_a_branch_is_its_worst_current_duty(branch, hold):
    status = compliance.branch_status([branch])[branch.pk]
    assert set(status["kinds"]) >= {"committee", "group", "theme_day", "assembly", "lecture", "life_meeting",
                                     "appraisal"}
    assert status["colour"] in (Status.BLUE, Status.YELLOW, Status.RED)
    now = clock.now()
    hold(branch, "committee", now - timedelta(minutes=30))
    after = compliance.branch_status([branch])[branch.pk]
    assert after["kinds"]["committee"] == Status.FULFILLED


def test_frequency_is_configurable(settings, world):
    from lianxin.orgs import services as orgs

    settings.ACTIVITY_FREQUENCIES = {"committee": "quarterly", "appraisal": None}
    branch = orgs.create_org(actor=None, parent=None, kind="branch", name="新支部", area=world.areas["3708010102"])
    compliance.ensure_branch_plans(branch)
    plans = {p.kind: p.frequency for p in duty_queries.plans_of(branch)}
    assert plans["activity_committee"] == "quarterly" and "activity_appraisal" not in plans
    assert plans["activity_group"] == "monthly"
    settings.ACTIVITY_FREQUENCIES = {}
    compliance.ensure_branch_plans(branch)  # back to monthly: the quarterly plan ends, a monthly one starts
    running = {p.kind: p.frequency for p in duty_queries.plans_of(branch).filter(active=True)}
    assert running["activity_committee"] == "monthly" and running["activity_appraisal"] == "yearly"
