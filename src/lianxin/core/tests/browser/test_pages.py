"""The real pages in a real browser: sign-in, scoping on screen, phone layout, Chinese rendering,
language switch, large-text mode."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWN = "3708010101"  # community staff's own community
OTHERS = {
    "3708010102": "甲一村",  # sibling community in the same town
    "3708010201": "甲二社区",  # community of the sibling town
    "3708020101": "乙一社区",  # community of county B
}


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def cjk_glyphs_render(page) -> bool:
    """Draw two different CJK characters in the page's font: missing-glyph boxes would be identical."""
    return page.evaluate("""() => {
        const font = getComputedStyle(document.body).fontFamily;
        const draw = (ch) => {
            const c = document.createElement('canvas'); c.width = 48; c.height = 48;
            const g = c.getContext('2d'); g.font = '32px ' + font; g.fillStyle = '#000';
            g.fillText(ch, 4, 38);
            return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
        };
        const a = draw('甲'), b = draw('乙'), blank = draw(' ');
        return a !== b && a !== blank && b !== blank;
    }""")


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_community_staff_sees_own_community_only(new_page, world, sign_in, live_server, device, tmp_path):
    page = new_page(device)
    sign_in(page, world.users["community_staff"].username, "/people/")
    assert page.url.endswith("/people/")
    assert html_lang(page) == "zh-CN"

    text = page.inner_text("body")
    assert world.marker(OWN) in text
    for code in OTHERS:
        assert world.marker(code) not in text, f"people page shows a record of {code}"
    assert "甲一社区" in text  # a Chinese record name (the UI strings may still be English)
    assert cjk_glyphs_render(page), "CJK characters render as missing-glyph boxes (fonts-noto-cjk?)"
    if device == "phone":
        assert no_horizontal_overflow(page), "people page scrolls sideways on a phone"
    shot = tmp_path / f"people-{device}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000

    page.goto(live_server.url + "/areas/")
    page.wait_for_load_state("networkidle")
    # Expand the community (htmx partial): its grid appears, still nothing of the siblings.
    page.click("ul.tree.root button.toggle")
    page.wait_for_selector(f"text={world.areas[OWN + '-G'].name}")
    text = page.inner_text("body")
    assert world.areas[OWN].name in text
    for code, name in OTHERS.items():
        assert name not in text, f"areas page shows sibling area {code} {name}"
        assert world.marker(code) not in text
    if device == "phone":
        assert no_horizontal_overflow(page), "areas page scrolls sideways on a phone"
    shot = tmp_path / f"areas-{device}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000


def test_language_switch(new_page, world, sign_in, live_server):
    page = new_page("desktop")
    sign_in(page, world.users["community_staff"].username, "/people/")
    assert html_lang(page) == "zh-CN"

    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert html_lang(page) == "en"
    assert page.url.endswith("/people/")
    page.goto(live_server.url + "/areas/")
    assert html_lang(page) == "en", "the language choice does not stick across pages"

    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")
    assert html_lang(page) == "zh-CN"
    assert page.url.endswith("/areas/")


def _large_text_on(page) -> bool:
    return page.evaluate("document.documentElement.classList.contains('large-text')")


def _toggle_large_text(page):
    with page.expect_navigation():
        page.click("form[action$='/prefs/large-text/'] button[type=submit]")


def test_large_text_toggle_persists_for_signed_in_user(new_page, world, sign_in):
    page = new_page("phone")
    sign_in(page, world.users["community_staff"].username, "/people/")
    assert not _large_text_on(page)
    size_before = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")

    _toggle_large_text(page)
    assert _large_text_on(page)
    assert page.url.endswith("/people/")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > size_before
    page.reload()
    assert _large_text_on(page), "large text is lost on reload"
    world.users["community_staff"].refresh_from_db()
    assert world.users["community_staff"].large_text is True

    _toggle_large_text(page)
    assert not _large_text_on(page)
    page.reload()
    assert not _large_text_on(page)


def test_large_text_toggle_persists_without_signing_in(new_page, live_server, db):
    page = new_page("phone")
    page.goto(live_server.url + "/accounts/login/")
    assert not _large_text_on(page)
    _toggle_large_text(page)
    assert _large_text_on(page)
    assert "/accounts/login/" in page.url
    page.reload()
    assert _large_text_on(page), "large text (cookie) is lost on reload"
