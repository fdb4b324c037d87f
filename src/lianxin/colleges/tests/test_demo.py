"""The demo's senior colleges: 金乡's doorstep colleges and shared venues, 微山's campuses, the lecturer pool,
classes filled by the lottery, 131 lessons held."""

from datetime import timedelta

import pytest

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.colleges import demo, stats
from lianxin.colleges.models import Campus, Enrolment
from lianxin.core import clock
from lianxin.demo import generator
from lianxin.demo.tests.test_seed import snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds a module demo


def test_demo_colleges():
    generator.seed_demo()
    before = snapshot()
    line = demo.seed(generator.module_context())
    assert line.startswith("colleges: "), line
    assert snapshot() == before
    assert Campus.objects.filter(kind="doorstep", area__code__startswith="370828").count() == 46
    assert Campus.objects.filter(area__code="370826").count() == 6
    admin = User.objects.get(username="demo_admin")
    counties = list(Area.objects.filter(code__in=("370828", "370826")))
    today = clock.today()
    f = stats.figures(admin, counties, today - timedelta(days=400), today)
    jx = f[next(c.pk for c in counties if c.code == "370828")]
    assert jx["courses"] == 21 and jx["venues"] == 70
    assert sum(v["lecturers"] for v in f.values()) == 37, f
    assert sum(v["lessons"] for v in f.values()) == 131
    assert sum(v["learner_times"] for v in f.values()) > 131
    assert Enrolment.objects.filter(status="waitlisted").exists() and Enrolment.objects.filter(on_behalf=True).exists()
