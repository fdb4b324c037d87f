"""Browser fixtures for stations: the core browser fixtures, and phone contexts
(390×844) in English with or without a granted location."""

import pytest

from lianxin.core.tests.browser.conftest import VIEWPORTS, chromium_browser, page_of, sign_in  # noqa: F401


@pytest.fixture
def phone(chromium_browser, live_server):  # noqa: F811
    """``phone(geolocation=(lng, lat))`` grants the location; ``phone()`` denies it."""
    contexts = []

    def make(geolocation=None):
        options = dict(VIEWPORTS["phone"], locale="en-US")
        if geolocation:
            options.update(geolocation={"longitude": geolocation[0], "latitude": geolocation[1]},
                           permissions=["geolocation"])
        context = chromium_browser.new_context(**options)
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
