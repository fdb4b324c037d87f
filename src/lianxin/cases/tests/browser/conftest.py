"""Browser fixtures for the quick report: the core browser fixtures (system chromium, sign-in through the
form), plus phone contexts with geolocation granted, denied, or a network that fails."""

import pytest

from lianxin.core.tests.browser.conftest import VIEWPORTS, chromium_browser, sign_in  # noqa: F401


@pytest.fixture
def phone(chromium_browser):  # noqa: F811
    """``phone(geolocation=(lng, lat))`` grants location; ``phone()`` leaves it denied. A 390×844 page."""
    contexts = []

    def make(geolocation=None, locale="zh-CN"):
        options = dict(VIEWPORTS["phone"], locale=locale)
        if geolocation:
            options.update(geolocation={"longitude": geolocation[0], "latitude": geolocation[1]},
                           permissions=["geolocation"])
        else:
            options.update(permissions=[])
        context = chromium_browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()

