"""Browser fixtures for areas: the core browser fixtures."""

from lianxin.core.tests.browser.conftest import chromium_browser, new_page, sign_in  # noqa: F401
