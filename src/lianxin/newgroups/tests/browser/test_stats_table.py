"""The dashboard's table reads on a phone and a desktop: headers never one character a line, the table scrolls
sideways inside its frame instead of the page."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_stats_table_is_readable(world, new_page, sign_in, live_server, tmp_path, device):
    page = new_page(device)
    sign_in(page, world.users["org_department"].username, "/newgroups/stats/")
    page.wait_for_selector("#stats-table tfoot tr.total")
    widths = page.eval_on_selector_all("#stats-table thead th",
                                       "ths => ths.map(th => th.getBoundingClientRect().width)")
    font = page.eval_on_selector("#stats-table thead th", "th => parseFloat(getComputedStyle(th).fontSize)")
    assert min(widths) >= 4 * font, widths  # at least four characters a line
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    page.screenshot(path=str(tmp_path / f"stats-{device}.png"), full_page=True)
