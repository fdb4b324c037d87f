"""The demo's year of consultation in 梁山: a council per community and village, topics, supports, meetings,
decisions done through the case engine, ratings, and village major matters through 四议两公开."""

from datetime import timedelta

import pytest

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.consultation import demo, stats
from lianxin.consultation.models import Council, Decision, Rating, Step, Topic
from lianxin.core import clock
from lianxin.demo import generator

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds a module demo


def test_demo_year_in_liangshan():
    generator.seed_demo()
    import time

    started = time.process_time()
    line = demo.seed(generator.module_context())
    print(line, f"{time.process_time() - started:.1f} s CPU")
    assert line.startswith("consultation: "), line
    county = Area.objects.get(code=demo.LIANGSHAN)
    communities = Area.objects.filter(kind="community", path__startswith=county.path)
    assert Council.objects.count() == communities.count() > 0
    assert all(c.members.count() >= 8 for c in Council.objects.all())
    today = clock.today()
    admin = User.objects.get(username="demo_admin")
    f = stats.figures(admin, [county], today - timedelta(days=366), today)[county.pk]
    assert f["raised"] >= 20 * communities.count() and f["supported"] > f["raised"]
    assert 0 < f["done"] <= f["decided"] <= f["discussed"]
    assert 0.7 < f["participation"] <= 1 and f["ratings"] > 0 and 0.5 < f["satisfaction"] <= 1
    assert Topic.objects.filter(status="declined").exclude(decline_reason="").exists()
    assert Topic.objects.filter(status="merged", merged_into__isnull=False).exists()
    assert Topic.objects.filter(source="grid").exclude(for_resident="").exists()
    assert Rating.objects.values("decision", "user").distinct().count() == Rating.objects.count()
    if Council.objects.filter(kind="village").exists():
        major = Decision.objects.filter(major=True)
        assert major.exists()
        for d in major:
            steps = list(d.steps.order_by("at", "pk").values_list("step", flat=True))
            assert steps == [s.value for s in Step][:len(steps)] and len(steps) >= 4
    assert User.objects.filter(username__in=("liangshan_consult", "liangshan_resident")).count() == 2
