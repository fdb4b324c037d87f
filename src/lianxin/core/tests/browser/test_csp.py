"""Every page under the Content-Security-Policy: maps, charts and htmx still work, and the browser reports no
violation (no inline script, no eval, nothing loaded from elsewhere)."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """document.addEventListener('securitypolicyviolation', e => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_maps_charts_and_htmx_work_under_the_policy(new_page, world, sign_in, live_server):
    page = new_page("desktop")
    page.add_init_script(WATCH)
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    response = page.goto(live_server.url + "/accounts/login/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-eval" not in policy
    sign_in(page, world.users["county_staff"].username, "/areas/")
    # htmx: a tree node opens and closes (behaviours.js, not an inline handler)
    page.click("ul.tree.root button.toggle")
    page.wait_for_selector("ul.tree.root li li")
    page.click("ul.tree.root button.toggle")
    assert page.locator("ul.tree.root li li").count() == 0
    # charts: ECharts draws on the station statistics page
    page.goto(live_server.url + "/stations/stats/")
    page.wait_for_selector("#chart-months[data-drawn='1'] canvas")
    # the case map (SVG, with its dots)
    page.goto(live_server.url + "/cases/map/")
    page.wait_for_selector("svg")
    # the language switch submits on change (data-autosubmit)
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert violations(page) == [] and console == [], (violations(page), console)


def test_an_inline_script_is_refused(new_page, live_server):
    page = new_page("desktop")
    page.add_init_script(WATCH)
    page.goto(live_server.url + "/accounts/login/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
                             document.body.appendChild(s); }""")
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in violations(page))
