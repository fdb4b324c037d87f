"""The public finder: no sign-in, amenity and open-now filters, nearest first, navigation links, nothing
personal, and a query count that does not grow with the stations."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.areas.coords import wgs84_to_gcj02
from lianxin.core import clock
from lianxin.workdays.calendar import tz

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    import re

    return re.findall(r'<li class="station" data-name="([^"]+)"', response.content.decode())


@pytest.fixture
def three(make_station, world):
    # Along one line of latitude inside community 3708010101 (lng 116.0–116.15)
    lat = 35.4
    return {
        "west": make_station(name="西站", lng=116.01, lat=lat, water=True, hours=["closed"] * 7),
        "mid": make_station(name="中站", lng=116.07, lat=lat, charging=True, water=True),
        "east": make_station(name="东站", lng=116.14, lat=lat, charging=True),
    }


def test_sorted_by_distance_from_the_given_location(client, three):
    client.cookies["django_language"] = "en"
    url = reverse("stations:find")
    near_east = client.get(url, {"lng": "116.139", "lat": "35.4"})
    assert near_east.status_code == 200
    shown = [n for n in names(near_east) if n in ("西站", "中站", "东站")]
    assert shown == ["东站", "中站", "西站"]
    near_west = client.get(url, {"lng": "116.0", "lat": "35.41"})
    assert [n for n in names(near_west) if n in ("西站", "中站", "东站")] == ["西站", "中站", "东站"]
    assert b"Nearest first" in near_west.content


def test_without_location_sorted_by_area_and_name_and_said_so(client, three):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("stations:find"))
    assert b"listed by area and name" in response.content
    shown = [n for n in names(response) if n in ("西站", "中站", "东站")]
    assert shown == sorted(shown)


def test_amenity_filter_and_open_now(client, three):
    url = reverse("stations:find")
    charging = names(client.get(url, {"amenity": "charging"}))
    assert "中站" in charging and "东站" in charging and "西站" not in charging
    both = names(client.get(url, {"amenity": ["charging", "water"]}))
    assert "中站" in both and "东站" not in both
    water_open = names(client.get(url, {"amenity": "water", "open": "1"}))
    assert "中站" in water_open and "西站" not in water_open  # 西站 is closed every day
    assert "西站" in names(client.get(url, {"amenity": "water"}))
    assert "西站" not in names(client.get(url + "?amenity=nonsense&amenity=water&open=1"))


def test_inactive_stations_and_personal_data_are_not_shown(client, three, world):
    from lianxin.stations import services

    services.update_station(three["east"], actor=None, active=False)
    services.update_station(three["mid"], actor=None, manager=world.users["station_manager"],
                            public_phone="0537-5551234")
    page = client.get(reverse("stations:find")).content.decode()
    assert "东站" not in page
    assert "0537-5551234" in page  # the station's service phone is there to be called
    assert world.users["station_manager"].display_name not in page
    assert world.users["station_manager"].username not in page


def test_navigation_links_use_converted_coordinates(client, three):
    page = client.get(reverse("stations:find"), {"amenity": "charging", "water": ""}).content.decode()
    g_lng, g_lat = wgs84_to_gcj02(116.07, 35.4)
    assert f"position={g_lng:.6f}%2C{g_lat:.6f}" in page  # Amap, GCJ-02
    assert "geo:35.400000,116.070000" in page  # the phone's own map app, WGS-84


def test_open_now_flag_follows_the_clock(client, make_station):
    make_station(name="夜站", hours=["20:00-02:00"] * 7)
    client.cookies["django_language"] = "en"
    with clock.at(datetime(2026, 11, 24, 23, 0, tzinfo=tz())):
        page = client.get(reverse("stations:find"), {"open": "1"}).content.decode()
    assert "夜站" in page
    with clock.at(datetime(2026, 11, 24, 12, 0, tzinfo=tz())):
        page = client.get(reverse("stations:find"), {"open": "1"}).content.decode()
    assert "夜站" not in page


def test_bad_location_is_ignored(client, three):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("stations:find"), {"lng": "abc", "lat": "nan"})
    assert response.status_code == 200 and b"listed by area and name" in response.content


def test_finder_queries_do_not_grow_with_the_stations(world, client, make_station):
    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(reverse("stations:find")).status_code == 200
        return len(q)

    make_station("3708010101", name="驿站 1")
    few = count()
    for i, code in enumerate(("3708010102", "3708010201", "3708020101", "3708010101"), 2):
        make_station(code, name=f"驿站 {i}")
    assert count() == few


def test_each_station_is_placed_from_its_county_down(client, make_station, world):
    from lianxin.areas.models import place_labels

    station = make_station("3708010101", name="县乡村站")
    label = place_labels([station.area])[station.area_id]
    assert label.count(" · ") == 2  # county · town · community
    page = client.get(reverse("stations:find")).content.decode()
    assert label in page
