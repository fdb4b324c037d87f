from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.core import clock
from lianxin.talent import services
from lianxin.talent.models import Apartment, Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(world):
    area = world.areas["370801"]
    return [Apartment.objects.create(area=area, building="汶上人才公寓1号楼", unit=f"{i:03d}", size_m2=75)
            for i in range(101, 104)]


def _round(world, tiers, units, method, seed, **rules):
    return services.create_round(actor=None, area=world.areas["370801"], name="第一批配租", method=method,
                                 tiers=[tiers["high_level"], tiers["young"]], units=units, seed=seed, **rules)


def test_lottery_is_reproducible_from_its_seed(world, tiers, units, make_talent):
    talents = [make_talent(tier="young", name=f"申请人{i}") for i in range(8)]
    results = []
    for _ in range(2):
        rnd = _round(world, tiers, units, "lottery", seed=20260521)
        for t in talents:
            services.apply(rnd, t, actor=None)
        order = services.draw_order(rnd, rnd.applications.all())
        results.append([a.talent_id for a in order])
    assert results[0] == results[1]
    assert sorted(results[0]) == sorted(t.pk for t in talents)
    other = _round(world, tiers, units, "lottery", seed=1)
    for t in talents:
        services.apply(other, t, actor=None)
    assert [a.talent_id for a in services.draw_order(other, other.applications.all())] != results[0]
    # Allocation follows the draw: the first three drawn get the three units, in unit order.
    rnd = _round(world, tiers, units, "lottery", seed=20260521)
    for t in talents:
        services.apply(rnd, t, actor=None)
    order = services.allocate(rnd, actor=None)
    assert [a.talent_id for a in order] == results[0]
    assert [a.apartment.unit for a in order[:3]] == ["101", "102", "103"]
    assert all(a.apartment is None for a in order[3:])


def test_points_first_then_the_seed_breaks_ties(world, tiers, units, make_talent):
    rnd = _round(world, tiers, units, "points", seed=5)
    a, b, c, d = (make_talent(name=n) for n in ("甲", "乙", "丙", "丁"))
    for talent, points in ((a, 60), (b, 90), (c, 75), (d, 75)):
        services.apply(rnd, talent, actor=None, points=points)
    order = [x.talent_id for x in services.allocate(rnd, actor=None)]
    assert order[0] == b.pk and order[-1] == a.pk and set(order[1:3]) == {c.pk, d.pk}


def test_eligibility_is_enforced(world, tiers, units, make_talent):
    rnd = _round(world, tiers, units, "points", seed=3, max_years_since_intake=3)
    today = clock.today()
    with pytest.raises(ValidationError, match="tier"):
        services.apply(rnd, make_talent(tier="skilled", intake_date=today), actor=None)
    with pytest.raises(ValidationError, match="years"):
        services.apply(rnd, make_talent(intake_date=today - timedelta(days=4 * 366)), actor=None)
    with pytest.raises(ValidationError, match="intake date"):
        services.apply(rnd, make_talent(), actor=None)
    with pytest.raises(ValidationError, match="employer"):
        services.apply(rnd, make_talent("3708020101", intake_date=today), actor=None)  # employer in county B
    ok = make_talent(intake_date=today)
    services.apply(rnd, ok, actor=None, points=10)
    with pytest.raises(ValidationError, match="applied"):
        services.apply(rnd, ok, actor=None)
    services.allocate(rnd, actor=None)
    with pytest.raises(ValidationError):
        services.apply(rnd, make_talent(intake_date=today), actor=None)  # round closed
    # A tenant may not apply again in the next round.
    nxt = _round(world, tiers, units, "points", seed=4)
    with pytest.raises(ValidationError, match="already rents"):
        services.apply(nxt, ok, actor=None)
    assert Application.objects.filter(round=rnd).count() == 1


def test_notice_is_public_and_masks_names(world, tiers, units, make_talent, client, persona_client):
    rnd = _round(world, tiers, units, "lottery", seed=42)
    for name in ("孔繁森", "李明"):
        services.apply(rnd, make_talent(name=name), actor=None)
    services.allocate(rnd, actor=None)
    services.publish(rnd, actor=None)
    page = client.get(reverse("talent:notice"), {"round": rnd.pk}).content.decode()
    assert "孔*森" in page and "李*" in page and "孔繁森" not in page and "李明" not in page
    assert "42" in page


def test_tenancy_expiry_and_move_in(world, tiers, units, make_talent, persona_client):
    rnd = _round(world, tiers, units, "lottery", seed=9, term_months=1)
    talent = make_talent()
    services.apply(rnd, talent, actor=None)
    services.allocate(rnd, actor=None)
    tenancy = talent.tenancies.get()
    assert tenancy.end_on == services.add_months(clock.today(), 1)
    client = persona_client("county_staff")
    client.post(reverse("talent:tenancy", args=[tenancy.apartment_id]), {"action": "move_in"})
    tenancy.refresh_from_db()
    assert tenancy.moved_in_on == clock.today()
    page = client.get(reverse("talent:apartments")).content.decode()
    assert 'id="expiring"' in page and talent.person.name in page
    client.post(reverse("talent:tenancy", args=[tenancy.apartment_id]), {"action": "end"})
    tenancy.refresh_from_db()
    assert tenancy.ended_on == clock.today()


def test_open_round_rules_are_public_without_the_seed(world, tiers, units, make_talent, client):
    rnd = _round(world, tiers, units, "lottery", seed=987654321, max_years_since_intake=3)
    services.apply(rnd, make_talent(name="孔繁森", intake_date=clock.today()), actor=None)
    page = client.get(reverse("talent:notice"), {"round": rnd.pk}).content.decode()
    assert 'id="notice-rules"' in page and tiers["young"].label in page and tiers["high_level"].label in page
    assert "987654321" not in page  # an applicant could time the application against a known seed
    assert 'id="notice-rows"' not in page and "孔繁森" not in page and "孔*森" not in page
    assert rnd.name in client.get(reverse("talent:notice")).content.decode()  # listed while open
    services.allocate(rnd, actor=None)
    page = client.get(reverse("talent:notice"), {"round": rnd.pk}).content.decode()
    assert "987654321" in page and 'id="notice-rows"' not in page  # drawn, the result not yet published
    services.publish(rnd, actor=None)
    page = client.get(reverse("talent:notice"), {"round": rnd.pk}).content.decode()
    assert 'id="notice-rows"' in page and "孔*森" in page and "孔繁森" not in page
