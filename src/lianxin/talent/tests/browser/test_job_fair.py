"""Talent office staff record a job fair with its firms and two hires on a phone; the hires show against the
demand pool, which marks the line filled."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_record_a_job_fair_and_its_hires_fill_the_demand(world, page_of, sign_in, live_server):
    from lianxin.talent import services
    from lianxin.talent.models import Demand

    firm, second = world.orgs["firm-3708010101"], world.orgs["firm-3708010102"]
    demand = services.create_demand(actor=None, employer=firm, position="机电一体化工程师", count=2,
                                    industry="equipment", level="graduate")
    page = page_of("phone")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sign_in(page, "p_county", "/talent/events/new/")
    page.fill("#id_name", "汶上县春风行动专场招聘会")
    page.select_option("#id_mode", "live")
    page.select_option("#id_area", str(world.areas["3708010101"].pk))
    page.fill("#id_venue", "汶上融媒直播间")
    page.check(f"input[name=firms][value='{firm.pk}']")
    page.check(f"input[name=firms][value='{second.pk}']")
    page.fill("#id_applicants", "320")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/talent/events/" in page.url
    assert firm.name in page.inner_text("#event-firms") and second.name in page.inner_text("#event-firms")
    for name in ("张伟", "李娜"):
        page.fill("#id_name", name)
        page.select_option("#id_employer", str(firm.pk))
        page.select_option("#id_demand", str(demand.pk))
        with page.expect_navigation():
            page.click("#hire-form button[type=submit]")
        assert name in page.inner_text("#event-hires")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.goto(live_server.url + "/talent/demands/")
    row = page.locator(f"tr[data-demand='{demand.pk}']")
    assert row.locator(".filled").inner_text() == "2"
    assert "Filled" in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector("#demand-hires")
    assert "张伟" in page.inner_text("#demand-hires") and "李娜" in page.inner_text("#demand-hires")
    assert Demand.objects.get(pk=demand.pk).status == "filled"
    # The figures page draws every chart group, the two hires among them, without overflowing the phone.
    page.goto(live_server.url + "/talent/stats/")
    for chart in ("tiers", "intake", "demands", "liaison", "events", "apartments", "subsidies", "loans"):
        page.wait_for_selector(f"#chart-{chart}[data-drawn] canvas")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
