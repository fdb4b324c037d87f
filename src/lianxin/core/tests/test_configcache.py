"""Per-process configuration snapshots are exact: an edit here is seen at once, an edit by another process (the
stamp moved) at the next check, a rolled-back edit is forgotten, and a snapshot saves its query."""

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from lianxin.cases import deadlines, queries
from lianxin.cases.config import update_category
from lianxin.cases.models import Category, TimeLimit
from lianxin.core import configcache
from lianxin.core.models import ConfigStamp
from lianxin.workdays.calendar import Calendar
from lianxin.workdays.models import CalendarDay, DayKind

pytestmark = pytest.mark.django_db


def offered() -> set[str]:
    return {c.full_code for c in queries.public_categories()}


def test_a_snapshot_is_read_once(world):
    offered()
    with CaptureQueriesContext(connection) as ctx:
        assert "0102" in offered()
        Calendar.load()
    assert len(ctx.captured_queries) <= 1  # at most the stamp check, never the rows again


def test_an_edit_in_this_process_is_seen_at_once(world):
    assert "0102" in offered()
    update_category(Category.objects.get(full_code="0102"), actor=world.users["administrator"], is_active=False)
    assert "0102" not in offered()


def test_an_edit_by_another_process_is_seen_at_the_next_check(world, monkeypatch):
    assert "0102" in offered()
    # Another process: its signal bumped the stamp in the database, not this process's snapshots.
    Category.objects.filter(full_code="0102").update(is_active=False)
    assert "0102" in offered()  # within CHECK_SECONDS of the last check, the snapshot stands
    ConfigStamp.objects.filter(pk=1).update(n=F("n") + 1)
    monkeypatch.setattr(configcache, "CHECK_SECONDS", 0)
    assert "0102" not in offered()


def test_a_rolled_back_edit_is_forgotten(world, monkeypatch):
    monkeypatch.setattr(configcache, "CHECK_SECONDS", 0)
    sub = Category.objects.get(full_code="0102")
    before = deadlines.find_limit(sub, "normal", "handle", "community")
    limit = TimeLimit.objects.get(category=sub, stage="handle", urgency="normal", level="")
    with pytest.raises(RuntimeError), transaction.atomic():
        limit.amount += 3
        limit.save()
        assert deadlines.find_limit(sub, "normal", "handle", "community") != before  # loaded inside the transaction
        raise RuntimeError
    assert deadlines.find_limit(sub, "normal", "handle", "community") == before


def test_calendar_days_and_areas_are_watched(world):
    day = CalendarDay.objects.exclude(kind=DayKind.WORKDAY).order_by("date").first()
    assert Calendar.load().is_workday(day.date) is False
    day.kind = DayKind.WORKDAY
    day.save()
    assert Calendar.load().is_workday(day.date) is True

    from lianxin.cases.services.common import ancestors

    grid = world.areas["3708010101-G"]
    town = next(a for a in ancestors(grid) if a.kind == "town")
    town.name = "改名镇"
    town.save()
    assert "改名镇" in [a.name for a in ancestors(grid)]
