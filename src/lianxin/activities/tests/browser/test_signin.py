"""The organiser opens the rotating sign-in QR on a phone; a member signs in by it from another phone; the
organiser's screen counts the member present, and once the meeting is recorded as held with its minutes and a
photo, the branch's meeting of this month shows as done on the compliance page."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member(world):
    from lianxin.accounts import services as accounts
    from lianxin.activities import compliance
    from lianxin.people.models import Person
    from lianxin.testing import PASSWORD

    branch = world.orgs["branch-3708010101"]
    compliance.ensure_branch_plans(branch)
    person = Person.objects.filter(org=branch, is_party_member=True).order_by("pk").first()
    area = world.areas["3708010101"]
    accounts.create_account(actor=None, username="member-qr", person=person, area=area, password=PASSWORD,
                            grants=[("resident", {"area": area})])
    return person


def test_member_signs_in_by_the_organisers_rotating_qr(world, member, page_of, sign_in, live_server, tmp_path):
    from lianxin.activities.models import Participation
    from lianxin.core.testkit import tiny_jpeg

    meeting = world.samples["activities.activity"]["3708010101"]
    branch = world.orgs["branch-3708010101"]

    organiser = sign_in(page_of("phone"), "p_community", f"/activities/compliance/?q={branch.name}")
    cell = organiser.locator(f'tr[data-branch="{branch.pk}"] td[data-kind=committee]')
    assert cell.get_attribute("data-status") in ("blue", "yellow")

    organiser.goto(f"{live_server.url}/activities/today/")
    organiser.locator(f'li[data-activity="{meeting.pk}"] a[href$="/signin/"]').click()
    with organiser.expect_navigation():
        organiser.click("#open-signin")
    qr_url = organiser.locator("#qr").get_attribute("data-url")
    assert f"/activities/s/{meeting.pk}/" in qr_url
    assert organiser.locator("#qr-counts [data-attended]").inner_text() == "0"
    assert organiser.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone = sign_in(page_of("phone"), "member-qr", qr_url.removeprefix(live_server.url))
    with phone.expect_navigation():
        phone.click("#sign-in")
    assert phone.locator("#ack").is_visible()
    assert meeting.participants.get(person=member).status == Participation.ATTENDED

    # The organiser's screen polls: the count goes up without a reload.
    organiser.locator("#qr-counts [data-attended]", has_text="1").wait_for(timeout=15_000)

    organiser.goto(f"{live_server.url}/activities/{meeting.pk}/minutes/")
    organiser.fill("#id_text", "传达上级会议精神，研究本月工作。")
    photo = tmp_path / "meeting.jpg"
    photo.write_bytes(tiny_jpeg())
    organiser.set_input_files("#id_photos", str(photo))
    with organiser.expect_navigation():
        organiser.click("form.card button[type=submit]")
    assert organiser.locator("[data-attended]").first.inner_text() == "1"
    with organiser.expect_navigation():
        organiser.click("#mark-held")
    meeting.refresh_from_db()
    assert meeting.status == "held"

    organiser.goto(f"{live_server.url}/activities/compliance/?q={branch.name}")
    cell = organiser.locator(f'tr[data-branch="{branch.pk}"] td[data-kind=committee]')
    assert cell.get_attribute("data-status") == "fulfilled"
