"""The menu in a real browser: two levels that fit a 1366 px desktop and a 390 px phone for every role, the
current page's entry on screen, a resident's few screens in one row, and icons that render."""

import os

import pytest

from lianxin.core.nav import NAV

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def menu_fits(page) -> dict:
    return page.evaluate("""() => {
        const nav = document.querySelector('nav.mainnav');
        const active = nav.querySelector('.navitems a.active') || nav.querySelector('a.active');
        const r = active && active.getBoundingClientRect();
        return {page: document.documentElement.scrollWidth <= window.innerWidth,
                nav: nav.scrollWidth <= nav.clientWidth,
                height: nav.getBoundingClientRect().height,
                active: r ? (r.left >= 0 && r.right <= window.innerWidth && r.top >= 0) : null,
                groups: nav.querySelectorAll('.navgroups a').length};
    }""")


@pytest.mark.parametrize("role", ["grid_worker", "community_staff", "county_staff", "org_department",
                                  "administrator", "resident"])
def test_menu_fits_desktop_and_phone(new_page, sign_in, world, live_server, role):
    page = new_page("desktop")
    sign_in(page, world.users[role].username, "/")
    links = page.eval_on_selector_all("nav.mainnav .navgroups a", "els => els.map(e => e.getAttribute('href'))")
    # The role's most used domain after My work, or its own page for a resident.
    target = links[1] if len(links) > 1 else page.eval_on_selector_all(
        "nav.mainnav a", "els => els.map(e => e.getAttribute('href'))")[-1]
    page.goto(live_server.url + target)
    for kind, size in SIZES.items():
        page.set_viewport_size(size)
        fits = menu_fits(page)
        assert fits["page"] and fits["nav"], f"{role} on {kind}: the menu overflows sideways ({target})"
        assert fits["active"], f"{role} on {kind}: the current entry is off screen ({target})"
        # Two short rows on a desktop; a phone may wrap but stays well within the first screen.
        assert fits["height"] < (140 if kind == "desktop" else 420), f"{role} on {kind}: menu {fits['height']} px"
    if role == "resident":
        assert fits["groups"] == 0  # a few screens of their own, one row
        assert page.locator("nav.mainnav a[href='/cases/']").count() == 0
    else:
        assert fits["groups"] >= 2


def test_every_menu_icon_renders(new_page, live_server):
    page = new_page("desktop")
    page.goto(live_server.url + "/accounts/login/")
    icons = sorted({entry.icon for entry in NAV.values()})
    missing = page.evaluate("""(icons) => {
        const font = getComputedStyle(document.body).fontFamily;
        const draw = (ch) => {
            const c = document.createElement('canvas'); c.width = 40; c.height = 40;
            const g = c.getContext('2d'); g.font = '28px ' + font; g.fillStyle = '#000'; g.fillText(ch, 4, 32);
            return Array.from(g.getImageData(0, 0, 40, 40).data).join(',');
        };
        const tofu = draw('\\u0378');  // an unassigned code point: the missing-glyph box
        const blank = draw(' ');
        return icons.filter(ch => { const d = draw(ch); return d === tofu || d === blank; });
    }""", icons)
    assert not missing, f"menu icons drawn as missing-glyph boxes: {missing}"
