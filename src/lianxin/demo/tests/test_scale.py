"""``lianxin seed --scale 邹城``: one county at a real year's volume through the bulk loader — here a small number of
cases (``--scale-cases``), so that the test is quick; the real run loads 30,000."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.cases import checker
from lianxin.cases.models import OPEN_STAGES, Case
from lianxin.core import clock
from lianxin.demo import generator, scale
from lianxin.demo.tests.routes import route_problems
from lianxin.demo.tests.seeding import seeded_twice_the_same
from lianxin.workdays.calendar import tz

pytestmark = pytest.mark.django_db

N = 300


def seed_scale(now, n=N, county="邹城") -> str:
    out = io.StringIO()
    with clock.at(now):  # one moment for the runs compared (the test clock ticks)
        call_command("seed", scale=county, scale_cases=n, stdout=out)
    return out.getvalue()


def query_count(client, url) -> int:
    # A first request after a load counts the loaded days into the statistics' tallies (stats.seal_tallies: once,
    # for the backdated events); the one after it reads as every later one does.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q)


@pytest.mark.slow
def test_scale_seeds_one_county_once_deterministically_and_consistently():
    generator.seed_demo()  # the base demo without its cases: the scale seed makes the county's working accounts
    county = Area.objects.get(code=generator.ZOUCHENG)
    now = clock.now().replace(microsecond=0)
    out = seeded_twice_the_same(lambda: seed_scale(now))
    assert "邹城市 at scale" in out
    assert scale.loaded(county) == N == Case.objects.count()
    assert Case.objects.filter(area__path__startswith=county.path, area__kind="grid").count() == N
    assert "nothing loaded" in seed_scale(now)  # idempotent: a second run adds nothing
    assert Case.objects.count() == N

    # Like the demo's cases: its categories, texts on the county's streets, every kind of report, every stage.
    assert set(Case.objects.values_list("type", flat=True)) == {"event", "appeal", "hazard"}
    stages = set(Case.objects.values_list("stage", flat=True))
    assert {"closed", "refused"} <= stages and stages & set(OPEN_STAGES)
    assert not Case.objects.filter(address="").exists()
    assert len(set(Case.objects.values_list("description", flat=True))) > 0.5 * N
    assert checker.check(Case.objects.all()) == []
    assert route_problems(Case.objects.all()) == []
    # Over the year before the clock's now, reported in the city's daytime (Asia/Shanghai).
    times = list(Case.objects.values_list("created_at", flat=True))
    assert all(now - timedelta(days=366) < t <= now for t in times)
    assert all(7 <= t.astimezone(tz()).hour < 21 for t in times)
    assert min(times) < now - timedelta(days=300) and max(times) > now - timedelta(days=10)

    # The county's board and statistics read as many queries with twice the cases.
    client = Client()
    client.force_login(User.objects.get(username="demo_county"), backend="django.contrib.auth.backends.ModelBackend")
    urls = [reverse("cases:board"), reverse("cases:stats")]
    before = [query_count(client, url) for url in urls]
    assert "300 cases" in seed_scale(now, 2 * N, county="370883")  # tops up to the number asked for
    assert scale.loaded(county) == 2 * N == Case.objects.count()
    assert [query_count(client, url) for url in urls] == before
