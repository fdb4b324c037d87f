"""The forms of the pages, posted as county staff: each writes through its service."""

import pytest
from django.urls import reverse

from lianxin.core import clock
from lianxin.talent.models import AllocationRound, Apartment, Demand, LiaisonLink, Subsidy

pytestmark = pytest.mark.django_db


def test_forms(world, persona_client, make_talent, tiers):
    client = persona_client("county_staff")
    today = clock.today().isoformat()
    county = world.areas["370801"]
    firm = world.orgs["firm-3708010101"]
    # Demand pool.
    client.post(reverse("talent:demand_create"), {"employer": firm.pk, "position": "数控技师", "industry": "equipment",
                                                  "level": "skilled", "count": 3, "key": "d1"})
    demand = Demand.objects.get(position="数控技师")
    assert demand.area == firm.area and demand.count == 3
    # Apartments: a unit, a round, an application, the draw and its notice.
    client.post(reverse("talent:apartment_create"), {"area": county.pk, "building": "人才公寓D座", "unit": "201",
                                                     "size_m2": "88.50", "rooms": 3, "key": "a1"})
    unit = Apartment.objects.get(building="人才公寓D座")
    client.post(reverse("talent:round_create"), {"name": "第三批", "area": county.pk, "method": "points",
                                                 "tiers": [tiers["young"].pk], "employer_in_area": "on",
                                                 "term_months": 24, "units": [unit.pk], "key": "r1"})
    rnd = AllocationRound.objects.get(name="第三批")
    talent = make_talent(tier="young", intake_date=clock.today())
    client.post(reverse("talent:round_apply", args=[rnd.pk]), {"talent": talent.pk, "points": 70})
    client.post(reverse("talent:round_allocate", args=[rnd.pk]), {"action": "allocate"})
    client.post(reverse("talent:round_allocate", args=[rnd.pk]), {"action": "publish"})
    rnd.refresh_from_db()
    assert rnd.status == "published" and rnd.applications.get().apartment == unit
    assert "人才公寓D座 201" in client.get(reverse("talent:round_detail", args=[rnd.pk])).content.decode()
    # Liaison: link a leader (an account), who records the contact.
    client.post(reverse("talent:link_add", args=[talent.pk]), {"leader": "p_county", "post": "副县长"})
    assert LiaisonLink.objects.filter(talent=talent, leader=world.users["county_staff"]).exists()
    client.post(reverse("talent:contact", args=[talent.pk]), {"method": "visit", "done_on": today, "key": "c1"})
    page = client.get(reverse("talent:detail", args=[talent.pk])).content.decode()
    assert "alert-dot fulfilled" in page
    # Edit, and a partial payment.
    client.post(reverse("talent:edit", args=[talent.pk]), {"tier": tiers["high_level"].pk, "industry": "materials",
                                                           "intake_way": "flexible", "field": "材料"})
    talent.refresh_from_db()
    assert (talent.tier.code, talent.intake_way) == ("high_level", "flexible")
    subsidy = world.samples["talent.subsidy"]["3708010101"]
    client.post(reverse("talent:subsidy_pay", args=[subsidy.pk]), {"amount": "1234.56"})
    assert Subsidy.objects.get(pk=subsidy.pk).paid_fen == 123456


def test_tier_configuration(world, persona_client):
    from lianxin.talent.models import Tier

    assert persona_client("county_staff").get(reverse("talent:tiers")).status_code == 403
    client = persona_client("administrator")
    client.post(reverse("talent:tiers"), {"code": "county_expert", "name": "县级拔尖人才", "name_en": "County expert",
                                          "rank": 35, "is_active": "on"})
    tier = Tier.objects.get(code="county_expert")
    client.post(reverse("talent:tiers"), {"pk": tier.pk, "code": "county_expert", "name": "县级拔尖人才",
                                          "name_en": "County top talent", "rank": 35})
    tier.refresh_from_db()
    assert tier.name_en == "County top talent" and not tier.is_active
