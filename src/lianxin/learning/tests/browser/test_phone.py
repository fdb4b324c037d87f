"""A retiree opens an item from its QR code on a phone, reads it to the end, and the branch's figure goes up
once; a reload the same day adds nothing. The modes for older readers are kept in the browser."""

import os

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "".join(f"<p>第{i}段：沂蒙山区的老党员讲述红色故事，一代代人把初心写在了这片土地上。</p>" for i in range(1, 9))


def branch_reads(page, live_server, branch):
    page.goto(live_server.url + "/learning/stats/")
    row = page.locator(f"#branches tr[data-org='{branch.pk}'] td.reads")
    return int(row.inner_text()) if row.count() else 0


def test_retiree_reads_from_qr_once_a_day(world, published, reader, page_of, sign_in, live_server):
    import segno

    from lianxin.learning import services
    from lianxin.learning.models import Read

    item = published(title="老党员的红色记忆", body=TEXT)
    need = services.min_seconds(item)
    assert need <= 15
    url = f"{live_server.url}/learning/r/{item.pk}/"

    staff = page_of("desktop")
    sign_in(staff, "p_community", "/learning/stats/")
    assert branch_reads(staff, live_server, reader.branch) == 0
    # The QR code on the item page encodes the reading page's address.
    county = sign_in(page_of("desktop"), "p_county", f"/learning/items/{item.pk}/")
    assert url in county.inner_text("main")
    qr = county.request.get(f"{live_server.url}/learning/items/{item.pk}/qr.svg")
    assert qr.text() == segno.make(url, error="m").svg_inline(scale=10, border=2)

    phone = page_of("phone")
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sign_in(phone, "t_reader", f"/learning/r/{item.pk}/")
    assert phone.url == url
    assert phone.inner_text("h1") == "老党员的红色记忆"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Large text for an older reader, kept in this browser.
    size = phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    phone.click("button[data-mode=large]")
    assert phone.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > size
    phone.click("button[data-mode=contrast]")
    assert phone.evaluate("document.documentElement.classList.contains('lx-contrast')")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing overflows

    phone.locator("#end").scroll_into_view_if_needed()
    # expect() polls without eval, which the Content-Security-Policy forbids (wait_for_function needs it).
    expect(phone.locator("#status")).to_contain_text("Counted", timeout=(need + 10) * 1000)
    assert Read.objects.filter(item=item, user=reader).count() == 1
    assert branch_reads(staff, live_server, reader.branch) == 1

    phone.reload()
    assert phone.evaluate("document.documentElement.classList.contains('lx-large')")  # the mode is kept
    assert "Counted as read today" in phone.inner_text("#status")
    phone.locator("#end").scroll_into_view_if_needed()
    phone.wait_for_timeout((need + 2) * 1000)
    assert Read.objects.filter(item=item, user=reader).count() == 1
    assert branch_reads(staff, live_server, reader.branch) == 1
