"""The demo's briefings: last month's for 邹城市 and 金乡县, issued, each section with the county's towns."""

import time

import pytest

from lianxin.core.modules import figure_sets
from lianxin.demo import generator
from lianxin.demo.tests.test_seed import snapshot
from lianxin.reports import demo, documents
from lianxin.reports.models import Briefing

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # seeds a module demo


def test_demo_briefings():
    generator.seed_demo()
    before = snapshot()
    started = time.monotonic()
    line = demo.seed(generator.module_context())
    assert time.monotonic() - started < 15
    assert line.startswith("reports: 2 briefings issued (邹城市、金乡县"), line
    assert snapshot() == before  # the base demo's fingerprint (demo/tests/test_seed.py) is left alone
    zoucheng = Briefing.objects.get(area__code="370883")
    assert zoucheng.issued and zoucheng.number == 1 and zoucheng.issuer == "中共邹城市委组织部"
    assert [s["app"] for s in zoucheng.snapshot["sets"]] == [fs.app for fs in figure_sets()]
    assert all(len(s["rows"]) >= 3 for s in zoucheng.snapshot["sets"])  # the towns of 邹城
    assert zoucheng.next_steps
    assert documents.docx_bytes(zoucheng)[:2] == b"PK"
