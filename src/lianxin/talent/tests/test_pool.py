from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.core import clock
from lianxin.duties import queries as duty_queries
from lianxin.talent import services
from lianxin.talent.models import Demand, Hire

pytestmark = pytest.mark.django_db


def test_hires_fill_the_demand_and_owe_follow_ups(world):
    firm, other = world.orgs["firm-3708010101"], world.orgs["firm-3708010102"]
    staff = world.users["county_staff"]
    demand = services.create_demand(actor=staff, employer=firm, position="纺织工艺工程师", count=2, industry="textiles")
    event = services.create_event(actor=staff, area=world.areas["3708010101"], name="春风行动招聘会",
                                  held_on=clock.today(), mode="live", firms=[firm], applicants=200)
    first = services.record_hire(actor=staff, employer=firm, name="张伟", position="", event=event, demand=demand)
    assert first.position == "纺织工艺工程师"
    demand.refresh_from_db()
    assert demand.status == "open"
    services.record_hire(actor=staff, employer=firm, name="李娜", position="工程师", event=event, demand=demand)
    demand.refresh_from_db()
    assert demand.status == "filled"
    with pytest.raises(ValidationError):
        services.record_hire(actor=staff, employer=firm, name="王五", position="x", event=event, demand=demand)
    with pytest.raises(ValidationError, match="did not take part"):
        services.record_hire(actor=staff, employer=other, name="赵六", position="x", event=event)
    dues = sorted(ob.due_at.date() for ob in duty_queries.obligations_of(first, kind=services.HIRE_FOLLOWUP))
    today = clock.today()
    assert dues[0] - services.add_months(today, 3) in (timedelta(0), timedelta(days=1), timedelta(days=-1))
    assert len(dues) == 2 and dues[1] > services.add_months(today, 11)
    page_qs = services.with_filled(Demand.objects.filter(pk=demand.pk)).get()
    assert page_qs.filled == 2


def test_demand_pool_page_shows_filled_counts(world, persona_client, django_assert_max_num_queries):
    client = persona_client("county_staff")
    page = client.get(reverse("talent:demands")).content.decode()
    demand = world.samples["talent.demand"]["3708010101"]
    assert f'data-demand="{demand.pk}"' in page
    with django_assert_max_num_queries(15):
        client.get(reverse("talent:demands"))
    assert Hire.objects.filter(demand=demand).count() == 1


def test_add_months_clamps_the_day():
    from datetime import date

    assert services.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert services.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert services.add_months(date(2026, 1, 31), 12) == date(2027, 1, 31)


def test_match_from_the_registry(world, make_talent, persona_client):
    firm = world.orgs["firm-3708010102"]
    demand = services.create_demand(actor=None, employer=firm, position="护理主管", count=1, industry="health")
    talent = make_talent(tier="young", employer=None)
    client = persona_client("county_staff")
    client.post(reverse("talent:demand_match", args=[demand.pk]), {"talent": talent.pk})
    hire = Hire.objects.get(demand=demand)
    assert hire.talent == talent and hire.event is None and str(hire.source) in ("Talent registry", "人才库")
    demand.refresh_from_db()
    talent.refresh_from_db()
    assert demand.status == "filled" and talent.employer == firm
    page = client.get(reverse("talent:demand_detail", args=[demand.pk])).content.decode()
    assert talent.person.name in page
