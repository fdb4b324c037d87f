"""A rider on a phone: finds the nearest open station with a charger, and records a rest by scanning the
station's QR code (two taps), seeing the station's count go up."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def line(world):
    from lianxin.stations import services

    area = world.areas["3708010101"]

    def make(name, lng, **flags):
        return services.create_station(actor=None, kind="xinxin", name=name, area=area, lng=lng, lat=35.4,
                                       hours=["24h"] * 7, **flags)

    return {"west": make("西门驿站", 116.01, water=True), "mid": make("中心驿站", 116.07, charging=True),
            "east": make("东门驿站", 116.14, charging=True, water=True)}


def names(page):
    return [n for n in page.locator("li.station").evaluate_all("els => els.map(e => e.dataset.name)")
            if n in ("西门驿站", "中心驿站", "东门驿站")]


def test_finder_nearest_first_with_amenity_filter(line, phone, live_server):
    page = phone(geolocation=(116.135, 35.4))  # standing by the east gate
    page.goto(live_server.url + "/stations/find/")
    assert "listed by area and name" in page.inner_text("#where")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with page.expect_navigation():
        page.click("#locate")
    assert "lat=35.4" in page.url
    assert names(page) == ["东门驿站", "中心驿站", "西门驿站"]
    assert "Nearest first" in page.inner_text("#where")
    assert page.locator("li.station").first.locator(".distance").inner_text().endswith(" m")
    page.locator("label.chip", has_text="Charging").click()
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert names(page) == ["东门驿站", "中心驿站"]  # the west gate has no charger; the location is kept
    nav = page.locator("li.station").first.locator("a[data-nav=amap]")
    assert "uri.amap.com" in nav.get_attribute("href")
    box = nav.bounding_box()
    assert box["height"] >= 40
    assert page.locator("svg .here").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_qr_checkin_in_two_taps(line, phone, live_server):
    from lianxin.stations.models import CheckIn

    station = line["mid"]
    page = phone()
    page.goto(f"{live_server.url}/stations/c/{station.token}/")
    assert page.inner_text("h1") == "中心驿站"
    rest = page.locator("label.service", has_text="Rest")
    assert rest.bounding_box()["height"] >= 56
    rest.click()  # tap 1
    with page.expect_navigation():
        page.click("#record")  # tap 2
    assert "Recorded: Rest" in page.inner_text("#ack")
    assert "served 1 person-time" in page.inner_text(".served")
    page.goto(f"{live_server.url}/stations/c/{station.token}/")
    page.locator("label.service", has_text="Water").click()
    with page.expect_navigation():
        page.click("#record")
    assert "served 2 person-times" in page.inner_text(".served")
    assert CheckIn.objects.filter(station=station, user__isnull=True).count() == 2
