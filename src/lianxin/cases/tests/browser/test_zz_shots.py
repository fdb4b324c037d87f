import pytest
from lianxin.cases.tests.browser.test_quick_report import HERE, open_report, add_photo, choose_category
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_shots(phone, sign_in, world, live_server):
    from lianxin.cases import services
    from lianxin.cases.models import Category
    rubbish = Category.objects.get(full_code="0102")
    services.report(actor=world.accounts["3708020101"], category=rubbish, title="公交站旁垃圾", lng=HERE[0] + 0.0003, lat=HERE[1])
    page = open_report(phone, sign_in, world, geolocation=HERE)
    page.wait_for_selector("#qr-loc-status.ok")
    add_photo(page)
    choose_category(page)
    page.wait_for_selector("#qr-nearby:not([hidden])")
    page.screenshot(path="/tmp/shots/granted.png", full_page=True)
    page2 = open_report(phone, sign_in, world)
    page2.wait_for_selector("#qr-manual:not([hidden])")
    page2.fill("#qr-grid-q", "甲一")
    page2.wait_for_selector("#qr-grid-results button")
    page2.screenshot(path="/tmp/shots/denied.png", full_page=True)
    page2.fill("#qr-desc", "x")
    page2.check("#qr-consent")
    choose_category(page2)
    page2.click("#qr-grid-results button")
    page2.click("#qr-send")
    page2.wait_for_selector("#qr-status.ok")
    page2.screenshot(path="/tmp/shots/sent.png", full_page=False)
    page2.goto(live_server.url + "/cases/mine/")
    page2.screenshot(path="/tmp/shots/mine.png", full_page=True)
