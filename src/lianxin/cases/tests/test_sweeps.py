"""Hazard sweeps (冬季安全风险排查): failed checklist items become hazards; found / rectified / open."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lianxin.cases import services, sweeps
from lianxin.cases.models import Case, HazardLevel, SweepCheck
from lianxin.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep(world, u):
    today = clock.today()
    return sweeps.create_sweep(actor=u["town_staff"], name="冬季安全风险排查", area=world.areas["37080101"],
                               starts_on=today, ends_on=today + timedelta(days=30))


def test_failed_items_become_hazards_and_one_is_rectified(world, u, sweep):
    grid = world.areas["3708010101-G"]
    check = sweeps.record_check(sweep, actor=u["grid_worker"], area=grid, place="幸福小区3号楼", place_kind="heating",
                                failed=["燃煤取暖有烟道", "一氧化碳报警器可用"], level="major", note="独居老人家")
    hazards = list(check.hazards.order_by("pk"))
    assert [h.title for h in hazards] == ["幸福小区3号楼：燃煤取暖有烟道", "幸福小区3号楼：一氧化碳报警器可用"]
    assert all(h.type == "hazard" and h.hazard_level == HazardLevel.MAJOR and h.area == grid for h in hazards)
    assert all(h.category.full_code == "0704" for h in hazards)
    sweeps.record_check(sweep, actor=u["grid_worker"], area=grid, place="东关市场", place_kind="fire")  # all passed
    first = hazards[0]
    services.accept(first, actor=u["community_staff"])
    services.dispatch(first, actor=u["community_staff"], lead=world.orgs["dept-370801"])
    services.handler_accept(first, actor=u["department_handler"])
    services.feedback(first, actor=u["department_handler"], note="已安装烟道")
    services.verify(first, actor=u["community_staff"], passed=True)
    figures = sweeps.figures(sweep)
    assert figures["total"] == {"checks": 2, "found": 2, "rectified": 1, "open": 1}
    assert [r["area"] for r in figures["areas"]] == [world.areas["3708010101"]]


def test_sweep_rules(world, u, sweep):
    grid = world.areas["3708010101-G"]
    with pytest.raises(ValidationError):
        sweeps.record_check(sweep, actor=u["grid_worker"], area=grid, place="x", place_kind="fire", failed=["别的"])
    with pytest.raises(ValidationError):
        sweeps.record_check(sweep, actor=u["grid_worker"], area=grid, place="x", place_kind="space")
    with pytest.raises(PermissionDenied):
        sweeps.record_check(sweep, actor=u["resident"], area=grid, place="x", place_kind="fire")
    with pytest.raises(ValidationError):  # outside the sweep's town
        sweeps.record_check(sweep, actor=u["town_staff"], area=world.areas["3708010201-G"], place="x",
                            place_kind="fire")
    with pytest.raises(PermissionDenied):
        sweeps.create_sweep(actor=u["community_staff"], name="x", area=world.areas["37080101"],
                            starts_on=clock.today(), ends_on=clock.today())
    assert not Case.objects.filter(type="hazard").exists()


def test_the_sweep_pages(world, u, persona_client, sweep):
    client = persona_client("grid_worker")
    page = client.get(reverse("cases:sweep", args=[sweep.pk])).content.decode()
    assert "燃煤取暖有烟道" in page and 'name="failed-heating"' in page
    client.post(reverse("cases:sweep_check", args=[sweep.pk]), {
        "area": world.areas["3708010101-G"].pk, "place": "南关加油站", "place_kind": "electricity",
        "failed-electricity": ["无私拉乱接电线"], "hazard_level": "general"})
    check = SweepCheck.objects.get(place="南关加油站")
    assert check.hazards.get().title == "南关加油站：无私拉乱接电线"
    staff = persona_client("town_staff")
    assert "南关加油站" in staff.get(reverse("cases:sweep", args=[sweep.pk])).content.decode()
    today = clock.today().isoformat()
    response = staff.post(reverse("cases:sweep_new"), {"name": "春节前安全排查", "area": world.areas["37080101"].pk,
                                                       "starts_on": today, "ends_on": today})
    assert response.status_code == 302
    assert "春节前安全排查" in staff.get(reverse("cases:sweeps")).content.decode()
