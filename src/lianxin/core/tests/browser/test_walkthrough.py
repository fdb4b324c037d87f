"""Defects found walking the demo, held in a real browser: a station's open status in Chinese, a resident kept off
the staff board, a resident's inbox in Chinese after staff acted in English."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_list_says_open_in_station_words(new_page, sign_in, world, live_server):
    from lianxin.stations import services

    area = world.areas["3708010101"]
    services.create_station(actor=None, kind="xinxin", name="全天驿站", area=area, lng=116.05, lat=35.2,
                            hours=["24h"] * 7)
    services.create_station(actor=None, kind="xinxin", name="歇业驿站", area=area, lng=116.06, lat=35.2,
                            hours=["closed"] * 7)
    page = new_page("desktop")
    sign_in(page, world.users["community_staff"].username, "/stations/")
    rows = {r.locator("td").first.inner_text().strip(): r.locator("td").nth(4).inner_text().strip()
            for r in page.locator("#station-list tbody tr").all()}
    assert rows["全天驿站"] == "营业中" and rows["歇业驿站"] == "休息中", rows  # not the cases' 办理中 / 已结案


def test_resident_is_kept_off_the_staff_board(new_page, sign_in, world, live_server):
    page = new_page("phone")
    sign_in(page, world.users["resident"].username, "/cases/mine/")
    assert page.locator("nav.mainnav a[href='/cases/']").count() == 0
    response = page.goto(live_server.url + "/cases/")
    assert response.status == 403
    assert "export" not in page.content()


def test_inbox_in_the_recipients_language(new_page, sign_in, world, live_server):
    from django.db import transaction
    from django.utils import translation

    from lianxin.cases import services
    from lianxin.cases.models import Category

    staff = world.users["community_staff"]
    staff.language = "en"
    staff.save(update_fields=["language"])
    category = Category.objects.filter(parent__isnull=False, is_active=True).order_by("pk").first()
    with transaction.atomic():
        case = services.report(actor=world.users["resident"], category=category, title="楼道灯不亮",
                               lng=116.05, lat=35.2).case
    with translation.override("en"), transaction.atomic():
        services.accept(case, actor=staff)
    page = new_page("phone")
    sign_in(page, world.users["resident"].username, "/inbox/")
    assert f"您上报的 {case.number} 已受理" in page.inner_text("main")
