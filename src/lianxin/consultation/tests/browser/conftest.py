"""Browser fixtures for consultation: the core browser fixtures."""

from lianxin.core.tests.browser.conftest import VIEWPORTS, chromium_browser, page_of, sign_in  # noqa: F401
