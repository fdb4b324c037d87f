"""One intake for every door: appeals from the quick report, hazards from patrols, one set of limits."""

import pytest
from django.urls import reverse

from lianxin.cases import patrol, queries, services
from lianxin.cases.models import Case, Category, HazardLevel, Nature
from lianxin.cases.services import IntakeError, Limits

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def web(client, **kw):
    client.cookies["django_language"] = "en"
    data = {"idempotency_key": kw.pop("key", "k-door"), "type": "event", "lng": "116.05", "lat": "35.2",
            "address": "", "area": "", "description": "路边垃圾堆积", "consent": "1", **kw}
    return client.post(reverse("cases:report"), {k: v for k, v in data.items() if v is not None}, **JSON)


def test_a_rider_files_an_appeal_with_its_nature_from_the_quick_report(persona_client, world):
    pay = Category.objects.get(full_code="0802")
    client = persona_client("resident")
    page = client.get(reverse("cases:report")).content.decode()
    assert 'name="type" value="appeal"' in page and 'name="nature" value="complaint"' in page
    response = web(client, type="appeal", category=str(pay.pk), nature="complaint", description="工资拖欠三个月")
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["number"])
    assert (case.type, case.nature, case.title, case.level) == ("appeal", Nature.COMPLAINT, "工资拖欠三个月",
                                                                 "community")
    # It routes like every appeal: 两新工委 accepts, the industry committee leads, then passes it to the firm.
    services.accept(case, actor=world.users["org_department"])
    services.dispatch(case, actor=world.users["org_department"], lead=world.orgs["industry-370801"])
    services.handler_accept(case, actor=world.users["industry_committee_staff"])
    services.redispatch(case, actor=world.users["industry_committee_staff"], to=world.orgs["firm-3708010101"])
    case.refresh_from_db()
    assert case.lead_org == world.orgs["firm-3708010101"] and case.stage == "handling"


def test_appeal_rules_at_the_web_door(persona_client, world):
    client = persona_client("resident")
    pay = Category.objects.get(full_code="0802")
    appeal_only = Category.objects.get(full_code="0902")
    before = Case.objects.count()
    no_nature = web(client, type="appeal", category=str(pay.pk))
    assert no_nature.status_code == 400 and "complaint" in no_nature.json()["error"]
    assert web(client, type="appeal", category=str(pay.pk), nature="nonsense").status_code == 400
    assert web(client, type="event", category=str(appeal_only.pk)).status_code == 400  # not offered for events
    assert web(client, type="hazard", category=str(pay.pk)).status_code == 400  # not a public type
    assert Case.objects.count() == before
    ok = web(client, type="appeal", category=str(appeal_only.pk), nature="help", key="k-2")
    assert ok.status_code == 201 and Case.objects.get(number=ok.json()["number"]).category == appeal_only
    # An event form never carries a nature.
    event = web(client, category=str(Category.objects.get(full_code="0102").pk), nature="complaint", key="k-3")
    assert event.status_code == 201 and Case.objects.get(number=event.json()["number"]).nature == ""


def test_a_whistleblowing_appeal_hides_the_reporter_from_the_handling_units(persona_client, world, u):
    pay = Category.objects.get(full_code="0802")  # an ordinary category: the nature makes it confidential
    response = web(persona_client("resident"), type="appeal", category=str(pay.pk), nature="whistleblow",
                   description="某网点克扣骑手押金")
    case = Case.objects.get(number=response.json()["number"])
    services.accept(case, actor=u["org_department"])
    services.dispatch(case, actor=u["org_department"], lead=world.orgs["dept-370801"])
    assert services.reporter_hidden_from(case, u["department_handler"])
    assert not services.reporter_hidden_from(case, u["org_department"])
    page = persona_client("department_handler").get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert u["resident"].display_name not in page
    # Never offered as a duplicate to follow.
    assert not queries.nearby_open_cases(116.05, 35.2, pay)


def test_patrol_files_a_hazard_with_its_level(world, u, persona_client):
    winter = Category.objects.get(full_code="0704")
    client = persona_client("grid_worker")
    grid = world.areas["3708010101-G"]
    client.post(reverse("cases:patrol_start"), {"grid": grid.pk})
    p = u["grid_worker"].patrols.get(ended_at__isnull=True)
    page = client.get(reverse("cases:patrol")).content.decode()
    assert 'value="hazard"' in page and 'name="hazard_level"' in page
    client.post(reverse("cases:patrol_finding", args=[p.pk]),
                {"type": "hazard", "hazard_level": "major", "category": winter.pk, "title": "煤炉无烟道",
                 "note": "独居老人家中", "key": "f-1"})
    case = Case.objects.get(title="煤炉无烟道")
    assert (case.type, case.hazard_level, case.source, case.area) == ("hazard", HazardLevel.MAJOR, "patrol", grid)
    # Without a level a hazard is a general one; an event never has one.
    out = patrol.record_finding(p, worker=u["grid_worker"], category=winter, title="电动车楼道充电", type="hazard")
    assert out.case.hazard_level == HazardLevel.GENERAL
    event = patrol.record_finding(p, worker=u["grid_worker"], category=winter, title="x", hazard_level="major")
    assert event.case.type == "event" and event.case.hazard_level == ""
    with pytest.raises(IntakeError):  # a patrol files events and hazards only
        patrol.record_finding(p, worker=u["grid_worker"], category=winter, title="x", type="appeal")


def test_only_staff_and_grid_workers_file_hazards(world, u):
    fire = Category.objects.get(full_code="0701")
    with pytest.raises(IntakeError) as refused:
        services.report(actor=u["resident"], type="hazard", category=fire, title="x", lng=116.05, lat=35.2)
    assert refused.value.field == "type"
    case = services.report(actor=u["community_staff"], type="hazard", category=fire, title="灭火器过期",
                           lng=116.05, lat=35.2).case
    assert case.type == "hazard" and case.hazard_level == HazardLevel.GENERAL


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"description": "x" * (Limits.DESCRIPTION + 1)}, "description", "too_long"),
    ({"title": "x" * (Limits.TITLE + 1)}, "title", "too_long"),
    ({"address": "x" * (Limits.ADDRESS + 1)}, "address", "too_long"),
    ({"lat": None}, "location", "half_point"),
    ({"lng": 120.0, "lat": 30.0}, "location", "outside_city"),
    ({"lng": 115.5, "lat": 35.0}, "location", "no_grid"),
    ({"lng": None, "lat": None}, "location", "no_location"),
    ({"idempotency_key": "k" * (Limits.KEY + 1)}, "key", "too_long"),
    ({"nature": "complaint"}, "nature", "not_allowed"),
    ({"hazard_level": "major"}, "hazard_level", "not_allowed"),
    ({"type": "nonsense"}, "type", "unknown_type"),
    ({"category": None}, "category", "no_category"),
])
def test_one_intake_refuses_with_the_field_and_the_rule(world, u, cat, fields, field, code):
    base = {"actor": u["resident"], "category": cat, "title": "", "description": "垃圾", "lng": 116.05, "lat": 35.2}
    with pytest.raises(IntakeError) as refused:
        services.clean_report(**{**base, **fields})
    assert (refused.value.field, refused.value.code) == (field, code)


def test_the_limits_and_the_derived_title_are_the_same_at_every_door(world, u, cat):
    long_line = "路口" * 30
    sub = services.clean_report(actor=u["resident"], door="web", category=cat, description=long_line + "\n第二行",
                                lng=116.05, lat=35.2)
    assert sub.title == long_line[: Limits.DERIVED_TITLE - 1] + "…"
    for door in ("web", "rest", "open311"):
        with pytest.raises(IntakeError):
            services.clean_report(actor=u["resident"], door=door, category=cat, lng=116.05, lat=35.2,
                                  description="x" * (Limits.DESCRIPTION + 1))
        assert services.clean_report(actor=u["resident"], door=door, category=cat, lng=116.05, lat=35.2,
                                     description="x" * Limits.DESCRIPTION).description
