"""The yearly contact of a county leader with an expert (duty engine) and its compliance across the year
boundary; an expert's green-channel request routed to the department and closed (case engine)."""

from datetime import date, datetime, time

import pytest
from django.urls import reverse

from lianxin.cases import services as cases
from lianxin.core import clock
from lianxin.duties import services as duties
from lianxin.talent import services
from lianxin.workdays.calendar import tz

pytestmark = pytest.mark.django_db


def at(d: date, hour=10, minute=0):
    return clock.at(datetime.combine(d, time(hour, minute), tzinfo=tz()))


@pytest.fixture
def leaders(world):
    from lianxin.accounts import services as accounts

    return [accounts.create_account(actor=None, username=f"leader{i}", person=None, area=world.areas["370801"],
                                    grants=[("county_staff", {"area": world.areas["370801"]})]) for i in (1, 2)]


def test_yearly_contact_and_compliance_across_the_year_boundary(make_talent, leaders):
    year = clock.today().year
    last = year - 1
    expert = make_talent()
    with at(date(last, 3, 1)):
        services.link_leader(expert, actor=None, leader=leaders[0], post="县委副书记", since=date(last, 3, 1))
        services.link_leader(expert, actor=None, leader=leaders[1], post="副县长", since=date(last, 3, 1))
    # The first leader calls on New Year's Eve: last year's contact is done, not this year's.
    with at(date(last, 12, 31), 21):
        out = services.log_contact(expert, actor=leaders[0], method="phone", done_on=date(last, 12, 31))
    assert [ob.period_start.year for ob in out.fulfilled] == [last]
    duties.generate_obligations()
    # Last year: one leader kept in touch, one did not (its grace window has closed by now).
    with at(date(year, 1, 20)):
        closed = services.liaison_compliance(expert, year=last)
    assert (closed["due"], closed["fulfilled"], closed["missed"], closed["rate"]) == (2, 1, 1, 0.5)
    # This year: two contacts owed, none yet; not yet due either way.
    running = services.liaison_compliance(expert, year=year)
    assert (running["owed"], running["done"], running["due"]) == (2, 0, 0)
    # Just after midnight on 1 January the second leader visits: that is this year's contact, last year stays missed.
    with at(date(year, 1, 1), 0, 30):
        out = services.log_contact(expert, actor=leaders[1], method="visit", done_on=date(year, 1, 1))
    assert [ob.period_start.year for ob in out.fulfilled] == [year]
    with at(date(year, 1, 20)):
        assert services.liaison_compliance(expert, year=last)["fulfilled"] == 1
    assert services.liaison_compliance(expert, year=year)["done"] == 1


def test_a_late_entry_for_last_year_fulfils_nothing(make_talent, leaders):
    year = clock.today().year
    expert = make_talent()
    with at(date(year - 1, 6, 1)):
        services.link_leader(expert, actor=None, leader=leaders[0], since=date(year - 1, 6, 1))
    with at(date(year, 1, 20)):
        out = services.log_contact(expert, actor=leaders[0], method="phone", done_on=date(year - 1, 12, 20))
        assert out.fulfilled == [] and out.log.late
        assert services.liaison_compliance(expert, year=year - 1)["rate"] == 0.0


def test_ending_a_link_cancels_the_open_contact(make_talent, leaders):
    expert = make_talent()
    link = services.link_leader(expert, actor=None, leader=leaders[0])
    services.end_link(link, actor=None)
    assert services.liaison_compliance(expert, year=clock.today().year)["owed"] == 0


def test_compliance_figure_on_the_stats_page(world, make_talent, leaders, persona_client):
    from lianxin.talent.stats import figures

    year = clock.today().year
    expert = make_talent()
    with at(date(year - 1, 2, 1)):
        services.link_leader(expert, actor=None, leader=leaders[0], since=date(year - 1, 2, 1))
    with at(date(year - 1, 5, 1)):
        services.log_contact(expert, actor=leaders[0], method="phone", done_on=date(year - 1, 5, 1))
    duties.generate_obligations()
    county = world.areas["370801"]
    with at(date(year, 2, 1)):
        row = figures(world.users["county_staff"], [county], date(year - 1, 1, 1), date(year, 1, 31))[county.pk]
    assert (row["liaison_due"], row["liaison_done"], row["liaison_rate"]) == (1, 1, 1.0)


def test_green_channel_request_routed_to_the_department_and_closed(world, make_talent):
    staff, handler = world.users["county_staff"], world.users["department_handler"]
    expert = make_talent()
    schooling = services.request_categories().get(name="子女入学")
    request = services.file_request(expert, actor=staff, category=schooling, title="子女转学到县实验小学")
    case = request.case
    case.refresh_from_db()
    assert (case.type, case.level, case.stage) == ("talent_request", "county", "accepted")
    department = world.orgs["dept-370801"]
    out = services.route_request(request, actor=staff, department=department)
    case = out.case
    assert case.stage == "dispatched" and case.lead_org == department and case.due_at is not None
    assert case.due_at > clock.now()
    cases.handler_accept(case, actor=handler)
    cases.feedback(case, actor=handler, note="已协调县实验小学接收入学")
    out = cases.verify(case, actor=staff, passed=True, note="专家确认已入学")
    assert out.case.stage == "closed" and out.case.close_result == "fixed"
    # A department of the other county is not offered.
    other = services.file_request(expert, actor=staff, category=schooling, title="另一诉求")
    with pytest.raises(Exception, match="county"):
        services.route_request(other, actor=staff, department=world.orgs["dept-370802"])


def test_request_views_take_and_route(world, make_talent, persona_client):
    from django.urls import reverse

    from lianxin.talent.models import TalentRequest

    client = persona_client("county_staff")
    expert = make_talent()
    housing = services.request_categories().get(name="住房保障")
    client.post(reverse("talent:request_add", args=[expert.pk]),
                {"category": housing.pk, "title": "申请人才公寓", "key": "k1"})
    client.post(reverse("talent:request_add", args=[expert.pk]),
                {"category": housing.pk, "title": "申请人才公寓", "key": "k1"})  # a retried POST
    assert TalentRequest.objects.filter(talent=expert).count() == 1
    page = client.get(reverse("talent:detail", args=[expert.pk])).content.decode()
    assert "申请人才公寓" in page and "Route to the department" in page or "转至责任部门" in page


def test_liaison_export(world, make_talent, leaders, persona_client):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    expert = make_talent(name="导出专家")
    services.link_leader(expert, actor=None, leader=leaders[0], post="副县长")
    services.log_contact(expert, actor=leaders[0], method="visit")
    response = persona_client("county_staff").get(reverse("talent:liaison_export"))
    rows = [r for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[4], r[7]) for r in rows if r[0] == "导出专家"] in ([("导出专家", "副县长", "done")],
                                                                      [("导出专家", "副县长", "已完成")])


def test_stats_page_charts_every_figure_group_with_the_tables_numbers(world, make_talent, persona_client):
    make_talent()
    response = persona_client("county_staff").get(reverse("talent:stats"))
    chart = response.context["chart"]
    ids = [g["id"] for g in chart["groups"]]
    assert ids == ["chart-intake", "chart-demands", "chart-liaison", "chart-events", "chart-apartments",
                   "chart-subsidies", "chart-loans"]
    html = response.content.decode()
    assert all(f'id="{i}"' in html for i in ids)
    intake = chart["groups"][0]
    assert all(len(s["values"]) == len(intake["names"]) for g in chart["groups"] for s in g["series"])
    assert chart["groups"][-1]["yuan"] and not chart["groups"][0]["yuan"]
