"""Inspection rounds (互学互检): findings per unit become rectification cases, closed only after verification."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lianxin.cases import inspections, services
from lianxin.cases.models import Finding, InspectionRound
from lianxin.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(world, u):
    today = clock.today()
    return inspections.create_round(actor=u["county_staff"], name="2026年第四季度互学互检", area=world.areas["370801"],
                                    tasks="党建阵地、台账资料、服务群众", starts_on=today,
                                    ends_on=today + timedelta(days=14),
                                    units=[world.orgs["dept-370801"], world.orgs["firm-3708010101"]])


def test_a_finding_is_rectified_and_closed_only_after_verification(world, u, round_):
    case = inspections.record_finding(round_, actor=u["county_staff"], unit=world.orgs["dept-370801"],
                                      title="党建台账不完整", description="缺少三季度会议记录")
    assert (case.type, case.source, case.stage, case.lead_org) == ("finding", "inspection", "dispatched",
                                                                    world.orgs["dept-370801"])
    assert case.due_at is not None  # the rectification deadline
    services.handler_accept(case, actor=u["department_handler"])
    services.feedback(case, actor=u["department_handler"], note="已补齐会议记录")
    case.refresh_from_db()
    assert case.stage == "verifying"  # not closed by the unit itself
    with pytest.raises(services.MoveRefused):
        services.verify(case, actor=u["department_handler"], passed=True)
    services.verify(case, actor=u["county_staff"], passed=True)  # the inspecting office verifies
    case.refresh_from_db()
    assert case.stage == "closed" and case.close_result == "fixed"
    rows = {r["unit"].pk: r for r in inspections.summary(round_)}
    assert (rows[world.orgs["dept-370801"].pk]["found"], rows[world.orgs["dept-370801"].pk]["rectified"]) == (1, 1)
    assert rows[world.orgs["firm-3708010101"].pk]["found"] == 0


def test_round_rules(world, u, round_):
    with pytest.raises(ValidationError):  # not one of the round's units
        inspections.record_finding(round_, actor=u["county_staff"], unit=world.orgs["dept-370802"], title="x")
    with pytest.raises(PermissionDenied):
        inspections.record_finding(round_, actor=u["community_staff"], unit=world.orgs["dept-370801"], title="x")
    with pytest.raises(PermissionDenied):  # another county's round
        inspections.create_round(actor=u["county_staff"], name="x", area=world.areas["370802"],
                                 starts_on=clock.today(), ends_on=clock.today(), units=[world.orgs["dept-370802"]])
    with pytest.raises(ValidationError):
        inspections.create_round(actor=u["county_staff"], name="x", area=world.areas["370801"],
                                 starts_on=clock.today(), ends_on=clock.today() - timedelta(days=1),
                                 units=[world.orgs["dept-370801"]])


def test_the_round_pages(world, u, persona_client, round_):
    client = persona_client("county_staff")
    assert round_.name in client.get(reverse("cases:inspections")).content.decode()
    today = clock.today().isoformat()
    response = client.post(reverse("cases:inspection_new"), {
        "name": "县直部门互学互检", "area": world.areas["370801"].pk, "starts_on": today, "ends_on": today,
        "units": [world.orgs["dept-370801"].pk]})
    created = InspectionRound.objects.get(name="县直部门互学互检")
    assert response.status_code == 302 and list(created.units.all()) == [world.orgs["dept-370801"]]
    client.post(reverse("cases:inspection_finding", args=[round_.pk]),
                {"unit": world.orgs["firm-3708010101"].pk, "title": "驿站服务公示缺失"})
    finding = Finding.objects.get(round=round_)
    assert finding.case.title == "驿站服务公示缺失" and finding.case.lead_org == world.orgs["firm-3708010101"]
    page = client.get(reverse("cases:inspection", args=[round_.pk])).content.decode()
    assert finding.case.number in page and "驿站服务公示缺失" in page
    community = persona_client("community_staff").get(reverse("cases:inspection", args=[round_.pk]))
    assert community.status_code == 404  # a county round is not a community's
