"""The whole loop in a browser: a resident raises a topic on a phone, a neighbour supports it, staff schedule it,
the council meets and votes, the decision's task is done, the public page shows it, the resident rates it."""

import os
from datetime import timedelta

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOME = "3708010101"


@pytest.fixture
def people(world):
    from lianxin.accounts import services as accounts
    from lianxin.testing import PASSWORD

    area = world.areas[HOME]
    return {name: accounts.create_account(actor=None, username=name, person=None, area=area, password=PASSWORD,
                                          grants=[("resident", {"area": area})]) for name in ("zhang", "li")}


def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    return page


def test_resident_topic_to_rated_decision(world, people, page_of, sign_in, live_server):
    from lianxin.cases import services as cases
    from lianxin.cases.models import Category
    from lianxin.consultation.models import Decision, Topic
    from lianxin.core import clock

    # 1. A resident raises a topic on the phone, with a photo-free text and the place.
    phone = english(page_of("phone"), live_server)
    sign_in(phone, "zhang", "/consultation/")
    phone.click("#raise")
    phone.fill("#id_title", "小区东门路灯不亮")
    phone.fill("#id_text", "东门两盏路灯坏了一个月，晚上老人出行不便。")
    phone.fill("#id_place", "东门")
    with phone.expect_navigation():
        phone.click("#send")
    assert phone.inner_text("h1") == "小区东门路灯不亮"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    topic = Topic.objects.get(title="小区东门路灯不亮")

    # 2. A neighbour supports it from the community's list, once.
    neighbour = english(page_of("phone"), live_server)
    sign_in(neighbour, "li", "/consultation/")
    card = neighbour.locator(".topic", has_text="小区东门路灯不亮")
    with neighbour.expect_navigation():
        card.locator("button.support").click()
    card = neighbour.locator(".topic", has_text="小区东门路灯不亮")
    assert "1 support" in card.inner_text() and card.locator("button.support").count() == 0

    # 3. Staff plan a meeting and schedule the topic.
    staff = english(page_of("desktop"), live_server)
    council = world.samples["consultation.council"][HOME]
    sign_in(staff, "p_community", f"/consultation/councils/{council.pk}/")
    staff.click("#plan summary")
    staff.fill("#id_title", "一月议事会")
    staff.fill("#id_starts_at", (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT09:00"))
    staff.fill("#id_place", "党群服务中心")
    with staff.expect_navigation():
        staff.click("#plan-meeting")
    meeting_url = staff.url
    staff.goto(f"{live_server.url}/consultation/topics/{topic.pk}/")
    with staff.expect_navigation():
        staff.click("#schedule")
    assert "On a meeting's agenda" in staff.inner_text("#status")

    # 4. The council meets: attendance, a show of hands, the decision.
    staff.goto(meeting_url)
    for select in staff.locator("#attendance select").all():
        select.select_option("present")
    with staff.expect_navigation():
        staff.click("#save-attendance")
    item = staff.locator(".agenda-item", has_text="小区东门路灯不亮")
    item.locator("input[name=votes_for]").fill("3")
    with staff.expect_navigation():
        item.locator(".save-tally").click()
    item = staff.locator(".agenda-item", has_text="小区东门路灯不亮")
    item.locator("textarea[name=text]").fill("由物业一周内更换东门路灯")
    with staff.expect_navigation():
        item.locator(".close-vote").click()
    assert "Passed" in staff.locator(".agenda-item", has_text="小区东门路灯不亮").inner_text()
    decision = Decision.objects.get(topic=topic)

    # 5. Follow-up: a task on the case engine, handled by the unit and verified by the community.
    staff.goto(f"{live_server.url}/consultation/decisions/{decision.pk}/")
    staff.click("#new-task summary")
    staff.select_option("#id_category", value=str(Category.objects.get(full_code="3202").pk))
    staff.fill("#id_title", "更换东门路灯")
    staff.select_option("#id_lead", value=str(world.orgs["dept-370801"].pk))
    with staff.expect_navigation():
        staff.click("#create-task")
    assert "更换东门路灯" in staff.inner_text("#tasks")
    case = decision.tasks.get().case
    handler = world.users["department_handler"]
    cases.handler_accept(case, actor=handler)
    cases.feedback(case, actor=handler, note="两盏路灯已更换")
    cases.verify(case, actor=world.users["community_staff"], passed=True)

    # 6. The public page (no sign-in) shows what was decided, who did it and that it is done.
    public = english(page_of("phone"), live_server)
    public.goto(f"{live_server.url}/consultation/results/{HOME}/")
    result = public.locator(".result", has_text="小区东门路灯不亮")
    text = result.inner_text()
    assert "由物业一周内更换东门路灯" in text and world.orgs["dept-370801"].name in text and "Done" in text
    assert "zhang" not in public.content() and "li" not in public.locator("main").inner_text().split()

    # 7. The resident rates the outcome, once.
    phone.goto(f"{live_server.url}/consultation/topics/{topic.pk}/")
    with phone.expect_navigation():
        phone.click("#to-decision")
    phone.locator("#rating label", has_text="4 ★").click()
    phone.fill("#comment", "修得很快")
    with phone.expect_navigation():
        phone.click("#rate")
    assert "You rated it 4 ★" in phone.inner_text("#my-rating")
    assert phone.locator("#rate").count() == 0
    assert decision.ratings.get().stars == 4
