"""The demo's stations: every county with towns has some, Zoucheng the most, a year of check-ins."""

from datetime import timedelta

import pytest

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.demo import generator
from lianxin.demo.tests.test_seed import snapshot
from lianxin.stations import demo, stats
from lianxin.stations.models import CheckIn, Station

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds a module demo


def test_demo_stations_and_checkins():
    generator.seed_demo()
    before = snapshot()
    line = demo.seed(generator.module_context())
    assert line.startswith("stations: "), line
    assert snapshot() == before  # the base demo's fingerprint (demo/tests/test_seed.py) is left alone
    admin = User.objects.get(username="demo_admin")
    counties = Area.objects.filter(code__in=demo.COUNTIES).order_by("code")
    today = clock.today()
    figures = stats.figures(admin, counties, today - timedelta(days=365), today)
    by_code = {a.code: figures[a.pk] for a in counties}
    assert all(f["stations"] >= 2 and f["person_times"] > 0 for f in by_code.values()), by_code
    zoucheng = by_code["370883"]
    assert zoucheng["stations"] == max(f["stations"] for f in by_code.values())
    assert zoucheng["person_times"] >= 3000 and zoucheng["checkins_identified"] > 0
    assert zoucheng["open_stations"] == zoucheng["stations"] - 1
    kinds = set(Station.objects.filter(area__code__startswith="370883").values_list("kind", flat=True))
    assert kinds == {"xinxin", "hongfan", "firm"}
    # The demo's grid worker keeps the red-sail station of its grid.
    grid_worker = User.objects.get(username="demo_grid")
    assert Station.objects.visible_to(grid_worker, "change").filter(manager=grid_worker).exists()
    # Identified check-ins respect the once-per-hour rule the database enforces.
    assert CheckIn.objects.filter(user__isnull=False).count() == len(set(
        CheckIn.objects.filter(user__isnull=False).values_list("station", "user", "service", "hour")))
