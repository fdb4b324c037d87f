"""Counts per station, county and period; stats.figures for the dashboard; the stats page and exports."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.stations import services, stats
from lianxin.stations.models import CheckIn
from lianxin.workdays.calendar import tz

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_station, world, time_machine):
    """Check-ins in three communities (two in county A, one in county B), in October and November 2026, at
    stations registered in September; the test then runs in December."""
    time_machine.move_to(datetime(2026, 9, 15, 10, 0, tzinfo=tz()))
    a1 = make_station("3708010101", name="甲一站")
    a2 = make_station("3708010201", name="甲二站")
    b1 = make_station("3708020101", name="乙一站")
    rider = world.accounts["3708010101"]
    oct_ = datetime(2026, 10, 31, 23, 30, tzinfo=tz())  # the last half hour of October, local time
    nov = datetime(2026, 11, 1, 0, 30, tzinfo=tz())
    for i in range(3):
        services.record_checkin(a1, "rest", device=f"d{i}", at=oct_)
    services.record_checkin(a1, "water", user=rider, at=nov)
    services.record_checkin(a1, "charge", device="e", at=nov)
    services.record_checkin(a2, "rest", device="f", at=nov + timedelta(days=3))
    for i in range(4):
        services.record_checkin(b1, "rest", device=f"g{i}", at=nov)
    services.update_station(a2, actor=None, active=False)
    time_machine.move_to(datetime(2026, 12, 10, 10, 0, tzinfo=tz()))
    return {"a1": a1, "a2": a2, "b1": b1}


def test_figures_per_area_and_period(history, world):
    admin = world.users["administrator"]
    county_a, county_b, home = world.areas["370801"], world.areas["370802"], world.areas["3708010101"]
    nov = stats.figures(admin, [county_a, county_b, home], date(2026, 11, 1), date(2026, 11, 30))
    # The world's own sample check-ins happened "now" (the test's real date); keep to the fixture's.
    assert nov[home.pk]["checkins_identified"] == 1
    assert nov[county_a.pk]["person_times"] - _world_sample(world, "370801") == 3
    assert nov[county_b.pk]["checkins_anonymous"] - _world_sample(world, "370802") == 4
    octo = stats.figures(admin, [county_a], date(2026, 10, 1), date(2026, 10, 31))
    assert octo[county_a.pk] == {"stations": octo[county_a.pk]["stations"], "open_stations":
                                 octo[county_a.pk]["open_stations"], "checkins_identified": 0,
                                 "checkins_anonymous": 3, "person_times": 3}
    one_day = stats.figures(admin, [county_a], date(2026, 10, 31), date(2026, 10, 31))
    assert one_day[county_a.pk]["person_times"] == 3  # both ends included, local days
    assert nov[county_a.pk]["stations"] - nov[county_a.pk]["open_stations"] == 1  # 甲二站 out of service
    assert [k for k, _l in stats.FIGURES] == ["stations", "open_stations", "checkins_identified",
                                              "checkins_anonymous", "person_times"]


def _world_sample(world, county):
    """The world's sample check-ins in November 2026 (one per community of the county, made two hours before the
    test clock's moment, so inside November only when the run is dated there)."""
    lo, hi = stats.bounds(date(2026, 11, 1), date(2026, 11, 30))
    return CheckIn.objects.filter(station__in=[s for c, s in world.samples["stations.station"].items()
                                               if c.startswith(county)], at__gte=lo, at__lt=hi).count()


def test_figures_respect_visibility(history, world):
    county_a = world.areas["370801"]
    manager = stats.figures(world.users["station_manager"], [county_a], date(2026, 10, 1), date(2026, 11, 30))
    admin = stats.figures(world.users["administrator"], [county_a], date(2026, 10, 1), date(2026, 11, 30))
    assert manager[county_a.pk]["person_times"] < admin[county_a.pk]["person_times"]
    # Over the same days as the figures: the world's own sample check-ins may fall on any date (the test clock).
    lo, hi = stats.bounds(date(2026, 10, 1), date(2026, 11, 30))
    home_only = CheckIn.objects.filter(station__area=world.areas["3708010101"], at__gte=lo, at__lt=hi)
    assert manager[county_a.pk]["person_times"] == home_only.count()
    assert stats.figures(world.users["resident"], [county_a], date(2026, 10, 1), date(2026, 11, 30))[
        county_a.pk]["person_times"] == 0


def test_station_detail_counts(history, persona_client):
    client = persona_client("community_staff")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("stations:detail", args=[history["a1"].pk])).content.decode()
    assert '<div class="stat" id="served-total">5</div>' in page
    assert "Signed-in workers: 1 · anonymous: 4" in page


def test_stats_page_by_child_area(history, persona_client, world):
    client = persona_client("county_staff")
    response = client.get(reverse("stations:stats"), {"area": world.areas["370801"].pk, "start": "2026-10-01",
                                                      "end": "2026-12-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-area="37080101"' in page and 'data-area="37080102"' in page
    chart = response.context["chart"]
    assert sum(chart["identified"]) == 1 and sum(chart["anonymous"]) >= 4
    # A sibling county is out of reach.
    assert client.get(reverse("stations:stats"), {"area": world.areas["370802"].pk}).status_code == 404
    assert persona_client("resident").get(reverse("stations:stats")).status_code == 403


def test_exports(history, persona_client, world):
    client = persona_client("town_staff")
    response = client.get(reverse("stations:export"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    names = {r[0] for r in rows[1:]}
    assert "甲一站" in names and "乙一站" not in names and "甲二站" not in names  # town A1 only
    served = {r[0]: r[-1] for r in rows[1:]}
    assert served["甲一站"] == 5
    response = client.get(reverse("stations:checkins_export"), {"start": "2026-10-01", "end": "2026-12-01"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) - 1 == 5 + _in_period(world, "37080101")
    assert {r[1] for r in rows[1:]} <= {"甲一站", *(s.name for s in world.samples["stations.station"].values())}


def _in_period(world, prefix):
    lo, hi = stats.bounds(date(2026, 10, 1), date(2026, 11, 30))
    return CheckIn.objects.filter(station__in=[s for c, s in world.samples["stations.station"].items()
                                               if c.startswith(prefix)], at__gte=lo, at__lt=hi).count()


@pytest.mark.parametrize("bad", ["²", "9" * 40])
def test_statistics_with_an_odd_area_is_not_found(world, client, bad):
    client.force_login(world.users["administrator"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("stations:stats"), {"area": bad}).status_code == 404
    assert client.get(reverse("stations:checkins_export"), {"area": bad}).status_code == 404
