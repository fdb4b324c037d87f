"""The demo's activities: Zoucheng's monthly care activities at the source's volume, Sishui's trainings,
Jiaxiang's 304 study sessions, Jinxiang's themes and its branches' meetings on the duty engine."""

import time
from datetime import timedelta

import pytest

from lianxin.accounts.models import User
from lianxin.activities import compliance, demo, stats
from lianxin.activities.models import Activity, Theme
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.demo import generator
from lianxin.demo.tests.test_seed import snapshot
from lianxin.orgs.models import Org

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds a module demo


def test_demo_activities():
    generator.seed_demo()
    before = snapshot()
    started = time.monotonic()
    line = demo.seed(generator.module_context())
    took = time.monotonic() - started
    assert line.startswith("activities: "), line
    assert snapshot() == before  # no people, organisations or accounts added
    admin = User.objects.get(username="demo_admin")
    today = clock.today()
    counties = list(Area.objects.filter(code__in=("370883", "370831", "370829", "370828")).order_by("code"))
    figures = stats.figures(admin, counties, today - timedelta(days=400), today)
    by = {a.code: figures[a.pk] for a in counties}
    assert by["370883"]["kind_care"] >= 150 and by["370883"]["person_times"] >= 6300, by["370883"]
    assert by["370831"]["trainings"] >= 8 and by["370831"]["trainees"] > 0
    assert by["370829"]["kind_study"] == 304
    assert Theme.objects.filter(area__code="370828").count() == 12
    assert by["370828"]["themed"] > 0 and by["370828"]["meetings_due"] > by["370828"]["meetings_held"] > 0
    branches = list(Org.objects.filter(kind__in=compliance.BRANCH_KINDS))
    colours = {v["colour"] for v in compliance.branch_status(branches).values()}
    assert len(colours) >= 2, colours
    assert Activity.objects.filter(starts_at__date__gte=today, status="planned").exists()
    print(f"activities demo: {took:.1f} s; {line}")
