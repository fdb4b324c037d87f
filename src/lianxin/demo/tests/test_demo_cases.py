import random
from datetime import timedelta

import pytest

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.cases import checker, stats
from lianxin.cases.deadlines import colour_expression
from lianxin.cases.models import OPEN_STAGES, Case, CaseEvent, Stage
from lianxin.core import clock
from lianxin.demo import cases as demo_cases
from lianxin.demo import generator
from lianxin.demo.tests.routes import route_problems
from lianxin.demo.tests.seeding import seeded_twice_the_same

pytestmark = pytest.mark.django_db

N = 120
SIDE_PATHS = {"return", "extend_decide", "supervise", "escalate", "park_decide", "unpark", "void_decide", "merge",
              "recategorize", "close_without_fix", "handover", "rate", "revisit", "redispatch"}


def generate(now):
    return demo_cases.generate_cases(N, random.Random(7), now=now)


@pytest.mark.slow
def test_demo_cases_cover_the_loop_and_add_up():
    generator.seed_demo()  # the base demo only: the apps' seeds (seed_demo) file cases and logins of their own
    now = clock.now().replace(microsecond=0)
    result = seeded_twice_the_same(lambda: generate(now))
    assert result.cases == Case.objects.count() == N

    # Cases read like a county's: an address on each, descriptions mostly in their own words, villages without
    # blocks of flats, and each county's own streets.
    assert not Case.objects.filter(address="").exists()
    descriptions = list(Case.objects.values_list("description", flat=True))
    assert len(set(descriptions)) >= 0.8 * len(descriptions), len(set(descriptions)) / len(descriptions)
    village_cases = Case.objects.filter(area__parent__name__endswith="村")
    assert village_cases.exists() and not village_cases.filter(description__contains="号楼").exists()
    others = {r for c, roads in demo_cases.COUNTY_ROADS.items() if c != generator.ZOUCHENG for r in roads}
    zoucheng_only = set(demo_cases.ROADS) - others
    elsewhere = Case.objects.exclude(area__path__startswith=Area.objects.get(code=generator.ZOUCHENG).path)
    assert not any(road in c.address for c in elsewhere for road in zoucheng_only)

    # every stage, every side path
    assert set(Case.objects.values_list("stage", flat=True)) == set(Stage.values)
    kinds = set(CaseEvent.objects.values_list("kind", flat=True))
    assert SIDE_PATHS <= kinds, SIDE_PATHS - kinds
    assert CaseEvent.objects.filter(kind="verify", data__passed=False).exists()
    assert CaseEvent.objects.filter(kind="park_decide", data__approve=True).exists()
    assert CaseEvent.objects.filter(kind="void_decide", data__approve=True).exists()
    assert CaseEvent.objects.filter(kind="revisit", data__fixed=True).exists()
    assert set(CaseEvent.objects.filter(kind="close_without_fix").values_list("data__result", flat=True)) >= {
        "not_remit", "no_action", "duplicate"}
    assert set(Case.objects.values_list("type", flat=True)) >= {"event", "appeal", "hazard"}
    stars = list(CaseEvent.objects.filter(kind="rate").values_list("data__stars", flat=True))
    assert stars and sum(s >= 4 for s in stars) > len(stars) / 2

    # the dispatch board now: blue, yellow and red open cases (and a parked one)
    with clock.at(now):
        colours = set(Case.objects.filter(stage__in=OPEN_STAGES).annotate(c=colour_expression(now))
                      .values_list("c", flat=True))
    assert {"blue", "yellow", "red", "parked"} <= colours
    # recent cases mostly open, old ones mostly closed
    recent = Case.objects.filter(created_at__gte=now - timedelta(days=3))
    assert recent.filter(stage__in=OPEN_STAGES).count() > recent.count() / 2
    old = Case.objects.filter(created_at__lt=now - timedelta(days=60))
    assert old.filter(stage__in=OPEN_STAGES).count() < old.count() / 10

    # spread over a year and over the seven counties
    first_report = Case.objects.order_by("created_at").first().created_at
    assert now - timedelta(days=366) < first_report < now - timedelta(days=250)
    counties = {code[:6] for code in Case.objects.values_list("area__code", flat=True)}
    assert counties == set(generator.TOWNS)

    assert checker.check(Case.objects.all()) == []
    figures = stats.compute(now - timedelta(days=366), now + timedelta(seconds=1))
    for key in ("reported", "accepted", "closed", "handled", "ratings", "supervised", "escalated", "voided"):
        assert figures[key] > 0, key
    for key in ("valid_report_rate", "close_rate", "close_on_time_rate", "satisfaction_rate", "solved_rate",
                "accurate_dispatch_rate", "response_rate"):
        assert 0 < figures[key] <= 1, key

    # Routes follow the platform's routing rule (cases.targets.route), for these cases and for the cases module's
    # own seed (邹城's appeals through the industry committees, 嘉祥's winter sweep): a worker's appeal through the
    # committee of the worker's industry, anything else to the department its category names or a grid worker.
    from lianxin.cases import demo as cases_demo

    cases_demo.seed(generator.module_context())
    assert route_problems(Case.objects.all()) == []
    appeals = Case.objects.filter(type="appeal", assignments__is_lead=True,
                                  assignments__org__kind="industry_committee")
    industries = set(appeals.values_list("assignments__org__industry", flat=True))
    assert len(industries) >= 2, industries
    assert CaseEvent.objects.filter(kind="return").exists() and CaseEvent.objects.filter(kind="redispatch").exists()

    # working accounts have no password; the demo_* logins are unchanged
    workers = User.objects.filter(username__startswith="w_")
    assert workers.count() > 300
    assert not any(u.has_usable_password() for u in workers[:50])
    assert User.objects.filter(username__startswith="demo_").count() == len(generator.DEMO_LOGINS)
