import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from lianxin.workdays.calendar import add_working_minutes
from lianxin.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


def test_administrator_edits_the_calendar_and_new_deadlines_follow(world, persona_client):
    admin = persona_client("administrator")
    assert admin.get(reverse("workdays:calendar"), {"year": 2026}).status_code == 200
    admin.post(reverse("workdays:set"), {"date": "2026-12-01", "kind": "holiday", "name": "测试假日"})
    day = CalendarDay.objects.get(date="2026-12-01")
    assert LogEntry.objects.get_for_object(day).exists()
    start = dt.datetime(2026, 11, 30, 17, 0, tzinfo=SH)
    assert add_working_minutes(start, 60) == dt.datetime(2026, 12, 2, 9, 0, tzinfo=SH)
    admin.post(reverse("workdays:remove", args=[day.pk]))
    assert not CalendarDay.objects.filter(date="2026-12-01").exists()


def test_bad_input_changes_nothing(world, persona_client):
    admin = persona_client("administrator")
    before = CalendarDay.objects.count()
    response = admin.post(reverse("workdays:set"), {"date": "2026-12-02", "kind": "workday"}, follow=True)
    assert any(m.level_tag == "error" for m in response.context["messages"])  # a Wednesday is no make-up day
    admin.post(reverse("workdays:set"), {"date": "not a date", "kind": "holiday"})
    assert CalendarDay.objects.count() == before


def test_only_administrators(world, persona_client):
    assert persona_client("county_staff").get(reverse("workdays:calendar")).status_code == 403
    assert persona_client("community_staff").post(
        reverse("workdays:set"), {"date": "2026-12-01", "kind": "holiday"}).status_code == 403
