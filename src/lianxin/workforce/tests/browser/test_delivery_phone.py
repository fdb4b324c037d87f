"""A delivery round logged on a phone: thumb-sized, no sideways scrolling, and a resubmitted form saves once."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delivery_logged_on_a_phone_once(world, page_of, sign_in, live_server):
    from lianxin.workforce.models import Delivery

    campaign = world.samples["workforce.campaign"]["3708010101"]
    page = page_of("phone")
    sign_in(page, world.users["community_staff"].username, f"/workforce/campaigns/{campaign.pk}/deliver/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    button = page.locator("form.wf-phone button[type=submit]")
    assert button.bounding_box()["height"] >= 44
    page.fill("#id_households", "30")
    page.fill("#id_flyers", "45")
    page.evaluate("document.querySelector('form.wf-phone').setAttribute('target', '_self')")
    # The same form (same client key) sent twice, as a flaky connection would.
    page.evaluate("""() => { const f = document.querySelector('form.wf-phone');
        const data = new FormData(f);
        return fetch(f.action || location.href, {method: 'POST', body: data, credentials: 'same-origin'}); }""")
    with page.expect_navigation():
        button.click()
    assert page.url.endswith(f"/workforce/campaigns/{campaign.pk}/")
    assert Delivery.objects.filter(campaign=campaign).count() == 1
    assert "30" in page.inner_text(".wf-totals")
