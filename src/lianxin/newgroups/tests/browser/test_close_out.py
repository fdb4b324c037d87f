"""Industry committee staff close a coverage item with evidence: a branch created under the firm."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_closes_a_coverage_item_with_a_new_branch(world, page_of, sign_in, live_server):
    from lianxin.newgroups import services
    from lianxin.newgroups.models import CloseOutItem
    from lianxin.orgs.models import Org

    firm = services.update_profile(world.samples["newgroups.firmprofile"]["3708010101"], actor=None, formal_members=3)
    item = world.samples["newgroups.closeoutitem"]["3708010101"]
    page = page_of("desktop")
    sign_in(page, world.users["industry_committee_staff"].username, f"/newgroups/closeouts/{item.pk}/")
    assert page.inner_text("#closed-on").strip() == "—"
    form = page.locator("#close-form")
    # Without evidence: the form says so and nothing changes.
    form.locator("input[name=new_branch]").fill("")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator(".messages .error").count() == 1
    assert page.inner_text("#closed-on").strip() == "—"
    page.locator("#close-form input[name=new_branch]").fill("甲一社区快递网点党支部")
    with page.expect_navigation():
        page.locator("#close-form button[type=submit]").click()
    assert page.locator(".messages .success").count() == 1
    assert page.inner_text("#evidence").strip() == "甲一社区快递网点党支部"
    assert page.inner_text("#closed-on").strip() != "—"
    branch = Org.objects.get(name="甲一社区快递网点党支部")
    assert branch.parent_id == firm.org_id
    assert CloseOutItem.objects.get(pk=item.pk).case.stage == "closed"
    page.goto(live_server.url + f"/newgroups/firms/{firm.pk}/")
    assert page.inner_text("#covering-org").strip() == "甲一社区快递网点党支部"
    assert page.locator("#coverage-history tbody tr").count() == 2
    # The same page on a phone: no sideways scrolling.
    phone = page_of("phone")
    sign_in(phone, world.users["industry_committee_staff"].username, f"/newgroups/closeouts/{item.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
