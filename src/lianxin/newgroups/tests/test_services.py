from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from lianxin.core.clock import today
from lianxin.newgroups import services
from lianxin.newgroups.models import Coverage, CoverageChange

from .conftest import own_branch, set_members

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("members,expected", [(0, "town"), (1, "joint"), (2, "joint"), (3, "own"), (9, "own")])
def test_expected_coverage(members, expected):
    assert services.expected_coverage(members) == expected


@pytest.mark.parametrize("state,members,instructor,ok", [
    ("own", 3, False, True), ("joint", 3, True, False), ("town", 3, True, False),
    ("joint", 2, False, True), ("own", 1, False, True), ("town", 1, True, False), ("none", 1, True, False),
    ("town", 0, True, True), ("town", 0, False, False), ("joint", 0, False, True), ("none", 0, True, False),
])
def test_meets_rule(state, members, instructor, ok):
    assert services.meets_rule(state, members, instructor) is ok


def test_profile_starts_history_and_checks_phone(world, firms):
    firm = firms["3708010101"]
    first = firm.coverage_changes.get()
    assert (first.before, first.after, first.on) == ("", "none", date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.update_profile(firm, actor=None, contact_phone="12345")
    services.update_profile(firm, actor=None, contact_phone="139 1234 5678")
    firm.refresh_from_db()
    assert firm.contact_phone == "13912345678" and firm.contact_phone_masked == "139****5678"


def test_coverage_history_as_of_month_ends(world, firms, joint_branch):
    firm = set_members(firms["3708010101"], 4)
    services.change_coverage(firm, actor=None, after=Coverage.JOINT, covering_org=joint_branch, on=date(2025, 3, 10))
    branch = own_branch(firm)
    services.change_coverage(firm, actor=None, after=Coverage.OWN, covering_org=branch, on=date(2025, 6, 5))
    history = services.History(type(firm).objects.filter(pk=firm.pk))
    states = {d: history.as_of(d)[0].state for d in (date(2025, 2, 28), date(2025, 3, 31), date(2025, 6, 4),
                                                       date(2025, 6, 30))}
    assert states == {date(2025, 2, 28): "none", date(2025, 3, 31): "joint", date(2025, 6, 4): "joint",
                      date(2025, 6, 30): "own"}
    assert history.as_of(date(2024, 12, 31)) == []  # not yet in the ledger
    assert [c.after for c in firm.coverage_changes.order_by("on", "pk")] == ["none", "joint", "own"]
    firm.refresh_from_db()
    assert firm.coverage == "own" and firm.covering_org == branch


def test_coverage_change_refuses_bad_evidence_and_dates(world, firms, joint_branch):
    firm = firms["3708010101"]
    before = CoverageChange.objects.count()
    with pytest.raises(ValidationError, match="at least 3"):  # an own branch needs 3 formal members
        services.change_coverage(firm, actor=None, after="own", covering_org=own_branch(firm))
    with pytest.raises(ValidationError, match="under the firm"):
        services.change_coverage(set_members(firm, 3), actor=None, after="own", covering_org=joint_branch)
    with pytest.raises(ValidationError):  # joint without an organisation
        services.change_coverage(firm, actor=None, after="joint")
    with pytest.raises(ValidationError, match="cannot be earlier"):
        services.change_coverage(firm, actor=None, after="town", on=date(2024, 12, 1))
    with pytest.raises(ValidationError):
        services.change_coverage(firm, actor=None, after="town", on=today() + timedelta(days=1))
    other_county = firms["3708020101"]
    with pytest.raises(ValidationError, match="another county"):
        services.change_coverage(other_county, actor=None, after="joint", covering_org=joint_branch)
    assert CoverageChange.objects.count() == before


def test_rates_by_industry_county_and_town(world, firms, joint_branch):
    from lianxin.newgroups.queries import towns_and_counties

    services.change_coverage(set_members(firms["3708010101"], 1), actor=None, after="joint", covering_org=joint_branch)
    services.change_coverage(firms["3708010102"], actor=None, after="town")
    firm_b = set_members(firms["3708020101"], 3)
    services.change_coverage(firm_b, actor=None, after="own", covering_org=own_branch(firm_b))
    qs = type(firm_b).objects.all()
    states = services.History(qs).as_of(today())
    counties, towns = towns_and_counties()
    by_county = {label: s for _k, label, s in services.rates_by(states, "area", counties)}
    assert by_county["甲县"]["firms"] == 3 and by_county["甲县"]["org_covered"] == 1
    assert by_county["甲县"]["joint"] == 1 and by_county["甲县"]["town"] == 1 and by_county["甲县"]["none"] == 1
    assert by_county["乙县"] == {**by_county["乙县"], "firms": 1, "own": 1, "org_rate": 1.0, "meets_rule": 1}
    by_town = {label: s for _k, label, s in services.rates_by(states, "area", towns)}
    assert by_town["甲一镇"]["firms"] == 2 and by_town["甲一镇"]["org_rate"] == 0.5
    assert by_town["甲二镇"]["org_covered"] == 0
    (key, _label, s), = services.rates_by(states, "industry")
    assert key == "express" and s["firms"] == 4 and s["org_covered"] == 2 and s["meets_rule"] == 2


def test_work_coverage_needs_instructor_and_recent_visit(world, firms):
    firm = firms["3708010101"]
    instructor = world.users["instructor"]
    qs = type(firm).objects.filter(pk=firm.pk)
    assert not services.History(qs).as_of(today())[0].work_covered
    start = today() - timedelta(days=30)
    services.assign_instructor(firm, instructor=instructor, actor=None, on=start)
    assert not services.History(qs).as_of(today())[0].work_covered  # assigned, not visited
    outcome = services.log_visit(firm, actor=instructor, done_on=today(), notes="走访")
    assert outcome.fulfilled  # the quarter's obligation on the duty engine
    state = services.History(qs).as_of(today())[0]
    assert state.instructor and state.visited and state.work_covered
    assert not services.History(qs).as_of(today() + timedelta(days=services.WORK_WINDOW_DAYS + 1))[0].visited
    # The firm with no members on the town's fallback now meets the rule (town + instructor).
    services.change_coverage(firm, actor=None, after="town")
    firm.refresh_from_db()
    assert services.firm_meets_rule(firm)
    services.end_instructor(firm, actor=None)
    firm.refresh_from_db()
    assert not services.firm_meets_rule(firm)


def test_assign_requires_instructor_role_and_moves_the_plan(world, firms):
    firm = firms["3708010101"]
    with pytest.raises(ValidationError):
        services.assign_instructor(firm, instructor=world.users["town_staff"], actor=None)
    services.assign_instructor(firm, instructor=world.users["instructor"], actor=None)
    plan = services.visit_plans(firm).get()
    assert plan.carer == world.users["instructor"] and plan.frequency == "quarterly"
    assert services.firm_obligations(firm).filter(owner=world.users["instructor"]).exists()
