"""The quick report in a real phone browser: location denied or granted, a network that drops, page weight."""

import gzip
import io
import os
import time

import pytest
from PIL import Image

from lianxin.cases.models import Case

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = (116.05, 35.2)  # inside grid 3708010101-G
PAGE_BUDGET = 50 * 1024  # bytes, gzip-compressed: everything the quick-report page loads (issue 23; see also
# core/tests/test_static.py, which measures what WhiteNoise and GZipMiddleware really send)


def wait_until(page, condition, timeout=5.0):
    """Poll ``condition`` from Python: wait_for_function evaluates a string, which the CSP (no unsafe-eval) forbids."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        page.wait_for_timeout(50)


def camera_jpeg(width=2400, height=1800) -> bytes:
    """A phone-sized photo with some detail, so the device-side downscale has work to do."""
    img = Image.new("RGB", (width, height), (90, 140, 60))
    for i in range(0, width, 40):
        img.paste((200, (i * 7) % 255, 40), (i, 0, i + 20, height))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=90)
    return out.getvalue()


def open_report(phone, sign_in, world, **kw):
    page = phone(**kw)
    sign_in(page, world.users["resident"].username, "/cases/report/")
    assert page.url.endswith("/cases/report/")
    return page


def add_photo(page):
    page.set_input_files("#qr-photo", files=[{"name": "photo.jpg", "mimeType": "image/jpeg",
                                              "buffer": camera_jpeg()}])
    page.wait_for_selector("#qr-preview:not([hidden])")


def choose_category(page, word="垃圾", name="暴露垃圾"):
    total = page.locator("label.qr-cat").count()
    page.fill("#qr-cat-q", word)
    assert 0 < page.locator("label.qr-cat:visible").count() < total  # typing filters the list
    page.click(f"label.qr-cat:has-text('{name}')")


def sent_number(page) -> str:
    page.wait_for_selector("#qr-status.ok", timeout=30_000)
    text = page.inner_text("#qr-status")
    return next(c.number for c in Case.objects.all() if c.number in text)


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_report_with_location_denied(phone, sign_in, world):
    page = open_report(phone, sign_in, world)
    add_photo(page)
    page.wait_for_selector("#qr-manual:not([hidden])")  # denied: address + area picker
    assert page.is_visible("#qr-grid-q")
    page.fill("#qr-address", "甲一村村委会东侧")
    page.fill("#qr-grid-q", "甲一村")
    # Each choice says its county and town, so that same-named communities of two counties are told apart.
    label = page.locator("#qr-grid-results button").first.inner_text()
    assert label.startswith(f"{world.areas['370801'].name} · {world.areas['37080101'].name} · 甲一村"), label
    page.click("#qr-grid-results button")
    grid = world.areas["3708010102-G"]
    assert page.input_value("#qr-area") == str(grid.pk)
    choose_category(page)
    page.fill("#qr-desc", "村口垃圾没人清 denied-test")
    page.check("#qr-consent")
    assert no_horizontal_overflow(page)
    page.click("#qr-send")
    number = sent_number(page)
    case = Case.objects.get(number=number)
    assert case.area == grid and case.lng is None and case.address == "甲一村村委会东侧"
    assert case.title == "村口垃圾没人清 denied-test" and case.reporter == world.users["resident"]
    photo = case.events.get(kind="report").attachments.get()
    assert max(photo.width, photo.height) <= 1600  # shrunk on the phone (the server keeps up to 2048)
    assert max(photo.width, photo.height) == 1600


def test_report_with_location_granted_and_a_duplicate_nearby(phone, sign_in, world, live_server):
    from lianxin.cases import services
    from lianxin.cases.models import Category

    rubbish = Category.objects.get(full_code="0102")
    existing = services.report(actor=world.accounts["3708020101"], category=rubbish, title="公交站旁垃圾",
                               lng=HERE[0] + 0.0003, lat=HERE[1]).case
    page = open_report(phone, sign_in, world, geolocation=HERE)
    grid = world.areas["3708010101-G"]
    page.wait_for_selector(f"#qr-loc-status:has-text('{grid.name}')")
    assert page.is_hidden("#qr-manual")
    assert page.locator("#qr-shapes path.here").count() == 1
    page.click("[data-nudge='1,0']")  # ten metres east
    wait_until(page, lambda: float(page.input_value("#qr-lng") or 0) > HERE[0])
    add_photo(page)
    choose_category(page)
    page.wait_for_selector("#qr-nearby:not([hidden])")
    nearby = page.inner_text("#qr-nearby")
    assert existing.number in nearby and "公交站旁垃圾" in nearby
    assert world.accounts["3708020101"].username not in nearby
    page.fill("#qr-desc", "另一堆垃圾 granted-test")
    page.check("#qr-consent")
    page.click("#qr-send")
    case = Case.objects.get(number=sent_number(page))
    assert case.area == grid and case.description == "另一堆垃圾 granted-test"
    assert abs(case.lat - HERE[1]) < 1e-5 and 0.00005 < case.lng - HERE[0] < 0.00020


def test_network_drop_during_submission_reports_once(phone, sign_in, world):
    page = open_report(phone, sign_in, world, geolocation=HERE)
    page.wait_for_selector("#qr-loc-status.ok")
    add_photo(page)
    choose_category(page)
    page.fill("#qr-desc", "网络断了 once-test")
    page.check("#qr-consent")
    posts = []

    def lose_first_answer(route):
        posts.append(route.request.post_data_buffer)
        if len(posts) == 1:
            route.fetch()  # the server receives and files it...
            route.abort("connectionreset")  # ...but the phone never hears back
        else:
            route.continue_()

    page.route("**/cases/report/", lambda route: lose_first_answer(route) if route.request.method == "POST"
               else route.continue_())
    page.click("#qr-send")
    number = sent_number(page)
    assert len(posts) >= 2
    assert Case.objects.filter(description="网络断了 once-test").count() == 1
    assert Case.objects.get(description="网络断了 once-test").number == number
    keys = {p.split(b'name="idempotency_key"\r\n\r\n')[1].split(b"\r\n")[0] for p in posts}
    assert len(keys) == 1  # every attempt carried the same key


def test_offline_draft_survives_a_reload_and_is_sent_once(phone, sign_in, world, live_server):
    page = open_report(phone, sign_in, world, geolocation=HERE)
    page.wait_for_selector("#qr-loc-status.ok")
    add_photo(page)
    choose_category(page)
    page.fill("#qr-desc", "没信号 offline-test")
    page.check("#qr-consent")
    page.context.set_offline(True)
    page.click("#qr-send")
    page.wait_for_selector("#qr-status.bad")
    assert Case.objects.filter(description="没信号 offline-test").count() == 0
    page.close()  # the phone closes the tab while still offline
    context = page.context
    context.set_offline(False)
    again = context.new_page()
    again.goto(live_server.url + "/cases/report/")
    number = sent_number(again)  # the kept draft is resent by itself
    case = Case.objects.get(description="没信号 offline-test")
    assert case.number == number
    assert case.events.get(kind="report").attachments.count() == 1


def test_page_weight_and_large_text(phone, sign_in, world, live_server):
    signed_in = open_report(phone, sign_in, world, geolocation=HERE)
    page = signed_in.context.new_page()  # a fresh tab: only the quick-report page's own transfers
    signed_in.close()
    responses = []
    page.on("response", lambda r: responses.append(r))
    page.goto(live_server.url + "/cases/report/")
    page.wait_for_load_state("networkidle")
    sizes = {}
    for r in responses:
        body = r.body()
        sizes[r.url.replace(live_server.url, "")] = (len(body), len(gzip.compress(body, 9)))
    total = sum(gz for _raw, gz in sizes.values())
    lines = [f"{gz:>7} B gzip {raw:>7} B raw  {url}" for url, (raw, gz) in sorted(sizes.items())]
    print("\nquick-report page weight:\n" + "\n".join(lines) + f"\n{total:>7} B gzip total")
    assert any(u.endswith("/cases/report/") for u in sizes) and any(u.endswith("report.js") for u in sizes)
    assert total < PAGE_BUDGET, lines

    assert no_horizontal_overflow(page)
    with page.expect_navigation():
        page.click("form[action$='/prefs/large-text/'] button[type=submit]")
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    page.wait_for_selector("#qr-loc-status.ok")
    assert no_horizontal_overflow(page), "the quick report scrolls sideways in large-text mode"
    for selector in ("#qr-send", "label.qr-cat", "[data-nudge='1,0']", "label.qr-photo"):
        box = page.locator(selector).first.bounding_box()
        assert box and box["height"] >= 56, selector  # big touch targets (--tap in large text)
