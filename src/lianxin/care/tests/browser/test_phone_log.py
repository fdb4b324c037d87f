"""A care cadre logs a visit on a phone; the compliance shown on the statistics page changes."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def compliance(page, live_server):
    page.goto(live_server.url + "/care/stats/?period=quarter")
    return page.inner_text("#care-stats tr[data-area='370800'] td.compliance").strip()


def test_care_cadre_logs_a_visit_on_a_phone(world, retiree, cadre, page_of, sign_in, live_server):
    r = retiree()
    staff = page_of("desktop")
    sign_in(staff, world.users["administrator"].username, "/care/stats/")
    assert compliance(staff, live_server) == "0%"

    phone = page_of("phone")
    sign_in(phone, cadre.username, "/care/mine/")
    card = phone.locator(".care-card").filter(has_text="Quarterly visit")
    assert card.locator(".care-name").inner_text() == r.name
    # The buttons are thumb-sized and the page does not scroll sideways at 390 px.
    box = card.locator("button[value=visit]").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 120
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    card.locator("summary").click()
    card.locator("textarea[name=notes]").fill("精神很好")
    with phone.expect_navigation():
        card.locator("button[value=visit]").click()
    assert "/care/mine/" in phone.url
    assert r.name in phone.inner_text(".messages")
    assert phone.locator(".care-card").count() == 0  # the visit also counts as this month's contact

    assert compliance(staff, live_server) == "100%"
