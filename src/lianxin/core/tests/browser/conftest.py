"""Browser tests: Debian's chromium driven by Playwright's sync API against pytest-django's live_server.

One browser per test process (closed when the run ends), a new context per test. Chromium is
never downloaded: the system one is used (``chromium_path()``; LIANXIN_CHROMIUM overrides). Where it is
missing the tests skip on a developer's machine and fail under CI=true.
"""

import os

import pytest

from lianxin.conftest import chromium_path, require_or_skip
from lianxin.testing import PASSWORD, totp_code

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 3},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


class SharedBrowser:
    """One chromium per test process, started by the first browser test and closed when the run ends."""

    playwright = browser = None
    previous = None  # DJANGO_ALLOW_ASYNC_UNSAFE before the browser came up

    @classmethod
    def get(cls):
        if cls.browser is not None:
            return cls.browser
        path = chromium_path()
        require_or_skip(bool(path) and os.access(path, os.X_OK),
                        "chromium not found (apt-get install chromium, or set LIANXIN_CHROMIUM)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:  # pragma: no cover - the [test] extra installs it
            require_or_skip(False, "playwright is not installed (pip install -e '.[test]')")
        # Playwright's sync API keeps an asyncio loop running in this thread, which makes Django refuse ORM
        # calls; allow them while the browser is up (the browser tests run last in each process).
        cls.previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        cls.playwright = sync_playwright().start()
        try:
            cls.browser = cls.playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        except Exception as e:
            cls.close()
            require_or_skip(False, f"chromium at {path} does not start under Playwright: {e}")
        return cls.browser

    @classmethod
    def close(cls):
        if cls.browser is not None:
            cls.browser.close()
        if cls.playwright is not None:
            cls.playwright.stop()
        cls.playwright = cls.browser = None
        if cls.previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls.previous


@pytest.fixture(scope="package")
def chromium_browser():
    # Package-scoped so that every package's conftest may import it; the browser behind it is shared.
    return SharedBrowser.get()


def pytest_sessionfinish(session, exitstatus):
    SharedBrowser.close()


@pytest.fixture
def new_page(chromium_browser):
    """``new_page("phone")`` / ``new_page("desktop")``: a page in a fresh context (own cookies), zh-CN."""
    contexts = []

    def make(kind="desktop", locale="zh-CN"):
        context = chromium_browser.new_context(locale=locale, **VIEWPORTS[kind])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def sign_in(live_server):
    """Sign in through the real login form: open ``path``, get sent to the login page, come back."""

    def login(page, username, path="/"):
        page.goto(live_server.url + path)
        assert "/accounts/login/" in page.url
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form[action$='/accounts/login/'] button[type=submit]")
        if "/accounts/two-factor/" in page.url:  # a county or city role: the authenticator's code
            page.fill("#id_token", totp_code(username))
            with page.expect_navigation():
                page.click("main button[type=submit]")
        assert "/accounts/login/" not in page.url and "/two-factor/" not in page.url, page.inner_text("main")
        return page

    return login


@pytest.fixture
def page_of(chromium_browser):
    """``page_of("phone")``: a page in a fresh context (own cookies) with the given viewport, in English."""
    contexts = []

    def make(kind):
        context = chromium_browser.new_context(locale="en-US", **VIEWPORTS[kind])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
