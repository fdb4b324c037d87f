"""Browser fixtures for workforce: the core browser fixtures and a transactional world with reference data."""

import pytest

from lianxin.cases.tests.browser.conftest import reseed_migration_data
from lianxin.core.tests.browser.conftest import VIEWPORTS, chromium_browser, sign_in  # noqa: F401


@pytest.fixture
def world(transactional_db):
    from lianxin.testing import build_world

    reseed_migration_data()
    return build_world()


@pytest.fixture
def page_of(chromium_browser):  # noqa: F811
    contexts = []

    def make(kind):
        context = chromium_browser.new_context(locale="en-US", **VIEWPORTS[kind])
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
