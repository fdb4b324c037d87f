"""The statistics page draws its ECharts charts, and the case map fits a phone, with no console errors."""

import os

import pytest

from lianxin.core.tests.browser.conftest import new_page  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def collect_errors(page) -> list[str]:
    errors = []

    def on_console(m):
        if m.type == "error" and not (m.location or {}).get("url", "").endswith("/favicon.ico"):
            errors.append(f"{m.text} {(m.location or {}).get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def test_stats_page_draws_charts(new_page, sign_in, world):  # noqa: F811
    page = new_page("desktop")
    errors = collect_errors(page)
    sign_in(page, world.users["county_staff"].username, "/cases/stats/")
    page.wait_for_selector("#chart-monthly[data-drawn] canvas")
    page.wait_for_selector("#chart-rates[data-drawn] canvas")
    page.wait_for_selector("#chart-children[data-drawn] canvas")
    width = page.evaluate("document.querySelector('#chart-monthly canvas').getBoundingClientRect().width")
    assert width > 100
    assert not errors, errors


def test_case_map_on_a_phone(new_page, sign_in, world, reported):  # noqa: F811
    """Over the county and town outlines with their names; three cases at one point are one spot, which leads to
    its list of cases under the map, and from there to a case."""
    crowded = [reported() for _ in range(3)]
    page = new_page("phone")
    errors = collect_errors(page)
    sign_in(page, world.users["community_staff"].username, "/cases/map/")
    assert page.locator("#case-svg .base path").count() >= 1
    assert page.locator("#case-svg .labels text").count() >= 1
    spot = page.locator("#case-svg a.spot").first
    assert int(spot.locator("text").text_content()) >= 3
    page.evaluate("document.querySelector('details.map-spots').open = false")  # as on a map with many spots
    spot.click()
    page.wait_for_url("**/cases/map/**#spot-*")
    page.wait_for_selector("details.map-spots[open]")  # the spot's link opens the list that holds it
    listed = page.locator(".map-spots li li a")
    assert {a.get_attribute("href") for a in listed.all()} >= {f"/cases/{c.pk}/" for c in crowded}
    box = page.evaluate("(() => { const r = document.querySelector('#case-svg svg').getBoundingClientRect();"
                        " return [r.width, r.height]; })()")
    assert 300 < box[0] <= 390 and box[1] > 100
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    listed.first.click()
    page.wait_for_url("**/cases/*/")
    assert not errors, errors


def test_case_map_on_tiles(new_page, sign_in, world, settings, reported):  # noqa: F811
    """With 天地图 configured, Leaflet draws the same dots, crowded ones as a cluster in the colour of its most
    urgent case; tiles are served locally (no internet in tests)."""
    import io

    from PIL import Image

    for _ in range(3):
        reported()
    settings.MAP_TILE_PROVIDER = "tianditu"
    settings.TIANDITU_KEY = "test"
    tile = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 236, 242)).save(tile, format="PNG")
    page = new_page("desktop")
    requested = []

    def serve_tile(route):
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=tile.getvalue())

    page.route("https://*.tianditu.gov.cn/**", serve_tile)
    errors = collect_errors(page)
    sign_in(page, world.users["county_staff"].username, "/cases/map/")
    page.wait_for_selector("#case-tiles:not([hidden]) .leaflet-tile-loaded")
    cluster = page.wait_for_selector("#case-tiles .case-cluster")
    assert int(cluster.inner_text()) >= 3
    assert not errors, errors
    assert page.is_hidden("#case-svg")  # one map at a time
    assert any("vec_w" in u and "tk=test" in u for u in requested)
    assert any("cva_w" in u for u in requested)
    page.click(".tile-toggle")
    assert page.is_visible("#case-svg") and page.is_hidden("#case-tiles")
    assert not errors, errors
