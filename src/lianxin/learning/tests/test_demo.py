"""The demo library of 金乡: items in every category through review, readers in branches, a year of reading,
assigned study fulfilled by reads."""

import time
from datetime import timedelta

import pytest

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.core import clock
from lianxin.demo import generator
from lianxin.learning import demo, stats
from lianxin.learning.models import Category, Item, Read, Status

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds a module demo


def test_demo_library():
    generator.seed_demo()
    started = time.perf_counter()
    line = demo.seed(generator.module_context())
    took = time.perf_counter() - started
    assert line.startswith("learning: "), line
    print(f"learning demo: {took:.1f} s")
    county = Area.objects.get(code=demo.JINXIANG)
    for category in Category.objects.all():
        assert Item.objects.filter(category=category, status=Status.PUBLISHED).exists(), category.name
    assert set(Item.objects.values_list("status", flat=True)) == set(Status.values)
    reviewer = User.objects.get(username="jinxiang_reviewer")
    today = clock.today()
    figures = stats.figures(reviewer, [county], today - timedelta(days=365), today)[county.pk]
    assert figures["items_published"] >= 300
    assert figures["effective_reads"] > 1000 and figures["readers"] >= 15
    assert figures["study_owed"] > 0 and 0.5 < figures["study_rate"] <= 1
    reads = Read.objects.all()
    assert reads.count() == len(set(reads.values_list("item", "user", "day")))
    assert reads.filter(day__lt=today - timedelta(days=300)).exists()  # a year of it
    reader = User.objects.get(username="jinxiang_reader")
    assert Item.objects.visible_to(reader).filter(status=Status.PUBLISHED).count() >= 300
