"""A first secretary on a 390×844 phone logs a visit to a must-visit household, turns one answer into a case,
and the village's coverage changes."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visited(page, live_server, profile):
    page.goto(f"{live_server.url}/villages/{profile.pk}/coverage/")
    return int(page.inner_text("#coverage-visited"))


def test_first_secretary_logs_a_visit_and_files_a_case(world, secretary, village, categories, page_of, sign_in,
                                                       live_server):
    from lianxin.cases.models import Case
    from lianxin.villages import services
    from lianxin.villages.models import Visit

    household = services.create_household(actor=None, area=village, name="钱大爷", categories=[categories["lifted"]])
    profile = world.samples["villages.villageprofile"][village.code]
    phone = page_of("phone")
    sign_in(phone, secretary.username, "/villages/mine/")
    before = visited(phone, live_server, profile)

    phone.goto(f"{live_server.url}/villages/mine/")
    card = phone.locator("#to-visit a", has_text="钱大爷")
    assert card.bounding_box()["height"] >= 44
    with phone.expect_navigation():
        card.click()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.fill("textarea[name=q_hardship]", "房屋年久漏雨，需要维修")
    phone.fill("textarea[name=q_opinion]", "对村里的环境整治很满意")
    with phone.expect_navigation():
        phone.click("#visit-form button[type=submit]")
    assert "/villages/visits/" in phone.url
    visit = Visit.objects.get(household=household)
    assert visit.device_time is not None and visit.answers.count() == 2

    answer = phone.locator("li.answer[data-question=hardship]")
    answer.locator("summary").click()
    with phone.expect_navigation():
        answer.locator("button[type=submit]").click()
    case = Case.objects.get(source="visit", area=village)
    assert case.number in phone.inner_text(".messages")
    assert case.number in phone.locator("li.answer[data-question=hardship]").inner_text()

    assert visited(phone, live_server, profile) == before + 1
    row = phone.locator(f"#coverage-matrix tr[data-household='{household.pk}']")
    assert "✓" in row.inner_text() and row.locator(".alert-dot.fulfilled").count() == 1
