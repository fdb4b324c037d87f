"""The demo of talent work in 汶上 at the source's volumes, and its figures."""

import time
from datetime import date
from decimal import Decimal

import pytest

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.demo import generator
from lianxin.talent import demo, stats
from lianxin.talent.models import Apartment, Hire, LiaisonLink, Loan, RecruitmentEvent, Subsidy, fen_to_yuan

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_demo_wenshang():
    generator.seed_demo()
    started = time.monotonic()
    line = demo.seed(generator.module_context())
    took = time.monotonic() - started
    assert line.startswith("Talent work in 汶上"), line
    print(f"talent demo seeded in {took:.1f} s")
    assert took < 60, took
    links = LiaisonLink.objects.filter(until__isnull=True)
    assert links.values("leader").distinct().count() == 23 and links.values("talent").distinct().count() == 28
    assert RecruitmentEvent.objects.count() == 20 and Hire.objects.filter(event__isnull=False).count() == 127
    assert Hire.objects.filter(talent__isnull=False).exists()
    assert RecruitmentEvent.objects.values("firms").distinct().count() >= 30
    assert Apartment.objects.count() == 252
    assert fen_to_yuan(sum(Subsidy.objects.values_list("granted_fen", flat=True))) == Decimal("4876000.00")
    assert fen_to_yuan(sum(Loan.objects.values_list("amount_fen", flat=True))) == Decimal("310000000.00")
    officer = User.objects.get(username="wenshang_talent")
    county = Area.objects.get(code="370830")
    today = clock.today()
    row = stats.figures(officer, [county], date(today.year - 1, 1, 1), today)[county.pk]
    assert row["talents"] >= 40 and row["tier_taishan"] == 9 and row["hires"] == 127 and row["events"] == 20
    assert row["apartments"] == 252 and row["apartments_occupied"] > 20
    assert 0.8 <= row["liaison_rate"] <= 1.0
    print({k: v for k, v in row.items()})
    assert row["demand_filled"] > 80 and row["demand_open"] > 0
    assert row["subsidies_granted"] > 0 and row["loans"] > 0
