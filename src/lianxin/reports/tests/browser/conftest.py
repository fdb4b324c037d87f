from lianxin.core.tests.browser.conftest import chromium_browser, new_page, page_of, sign_in  # noqa: F401
