import io
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.core import clock
from lianxin.talent import services
from lianxin.talent.models import Loan, Subsidy, fen_to_yuan, yuan_to_fen

pytestmark = pytest.mark.django_db


def test_yuan_and_fen():
    assert yuan_to_fen("4876000.00") == 487_600_000
    assert yuan_to_fen("0.1") == 10 and yuan_to_fen(Decimal("12.34")) == 1234 and yuan_to_fen("1,234.5") == 123_450
    with pytest.raises(ValidationError):
        yuan_to_fen("0.001")
    with pytest.raises(ValidationError):
        yuan_to_fen("abc")
    assert fen_to_yuan(1) == Decimal("0.01")


def test_sums_are_exact_across_many_rows(world):
    firm = world.orgs["firm-3708010101"]
    rng = random.Random(7)
    amounts = [f"{rng.randrange(0, 100000)}.{rng.randrange(100):02d}" for _ in range(3000)]
    amounts += ["0.10", "0.20"] * 500  # what floats get wrong: 0.1 + 0.2 != 0.3
    Subsidy.objects.bulk_create([Subsidy(area=firm.area, employer=firm, policy="recruitment", granted_on=clock.today(),
                                         granted_fen=max(yuan_to_fen(a), 1), paid_fen=0) for a in amounts])
    expected = sum(max(Decimal(a), Decimal("0.01")) for a in amounts)
    qs = Subsidy.objects.filter(employer=firm, policy="recruitment")
    totals = services.money_totals(qs, Loan.objects.none())
    assert fen_to_yuan(totals.granted_fen) == expected
    # The loan ledger likewise, and the page shows the exact total.
    for _ in range(120):
        services.arrange_loan(actor=None, product="ip_pledge", bank="汶上农商银行",
                              amount_fen=yuan_to_fen("2583333.33"),
                              arranged_on=clock.today(), employer=firm)
    loans = Loan.objects.filter(product="ip_pledge", employer=firm)
    assert fen_to_yuan(services.money_totals(Subsidy.objects.none(), loans).loans_fen) == Decimal("309999999.60")


def test_grant_pay_and_refuse(world):
    talent = world.samples["talent.talent"]["3708010101"]
    s = services.grant_subsidy(actor=None, policy="housing", granted_fen=yuan_to_fen("30000"),
                               granted_on=clock.today(), talent=talent)
    services.pay_subsidy(s, actor=None, fen=yuan_to_fen("10000.01"))
    with pytest.raises(ValidationError):
        services.pay_subsidy(s, actor=None, fen=yuan_to_fen("20000"))
    s.refresh_from_db()
    assert s.paid_yuan == Decimal("10000.01")
    with pytest.raises(ValidationError):
        services.grant_subsidy(actor=None, policy="housing", granted_fen=1.5, granted_on=clock.today(), talent=talent)


def test_forms_and_exports(world, persona_client):
    client = persona_client("county_staff")
    firm = world.orgs["firm-3708010101"]
    client.post(reverse("talent:subsidy_create"), {"policy": "project", "employer": firm.pk, "granted": "4876000.00",
                                                    "granted_on": clock.today().isoformat(), "key": "s1"})
    client.post(reverse("talent:loan_create"), {"product": "talent", "bank": "济宁银行", "employer": firm.pk,
                                                "amount": "310000000", "arranged_on": clock.today().isoformat(),
                                                "term_months": 36, "key": "l1"})
    assert Subsidy.objects.get(policy="project").granted_fen == 487_600_000
    assert Loan.objects.filter(bank="济宁银行").get().amount_fen == 31_000_000_000
    page = client.get(reverse("talent:money")).content.decode()
    # The world's three 5,000-yuan grants of county A come on top.
    assert "4891000.00" in page and "310000000.00" in page
    ws = load_workbook(io.BytesIO(client.get(reverse("talent:subsidies_export")).content)).active
    assert any(row[4] == 4876000 or row[4] == "4876000.00" for row in ws.iter_rows(min_row=2, values_only=True))
    ws = load_workbook(io.BytesIO(client.get(reverse("talent:loans_export")).content)).active
    assert ws.max_row >= 2


def test_money_by_employer_puts_each_line_under_its_employer(world, persona_client):
    firm = world.orgs["firm-3708010101"]
    talent = world.samples["talent.talent"]["3708010101"]
    client = persona_client("county_staff")

    def by_employer():
        return {name: (g, a) for name, g, a in client.get(reverse("talent:money")).context["employers"]}

    before = by_employer().get(firm.name, (Decimal(0), Decimal(0)))
    services.grant_subsidy(actor=None, policy="housing", granted_fen=yuan_to_fen("30000"),
                           granted_on=clock.today(), employer=firm)
    services.arrange_loan(actor=None, product="ip_pledge", bank="汶上农商银行", amount_fen=yuan_to_fen("500000"),
                          arranged_on=clock.today(), employer=firm)
    services.grant_subsidy(actor=None, policy="housing", granted_fen=yuan_to_fen("1.01"), granted_on=clock.today(),
                           talent=talent)  # named by its talent: counted under the talent's employer, if any
    after = by_employer()[firm.name]
    extra = Decimal("1.01") if talent.employer_id == firm.pk else Decimal(0)
    assert (after[0] - before[0], after[1] - before[1]) == (Decimal("30000.00") + extra, Decimal("500000.00"))
    assert 'id="money-employers"' in client.get(reverse("talent:money")).content.decode()
