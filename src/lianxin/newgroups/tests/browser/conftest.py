"""Browser fixtures for newgroups: the core browser fixtures."""


from lianxin.core.tests.browser.conftest import (  # noqa: F401
    VIEWPORTS,
    chromium_browser,
    new_page,
    page_of,
    sign_in,
)
