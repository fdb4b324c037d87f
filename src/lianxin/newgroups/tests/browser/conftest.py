"""Browser fixtures for newgroups: the core browser fixtures and a transactional world with reference data."""

import pytest

from lianxin.care.tests.browser.conftest import page_of  # noqa: F401
from lianxin.cases.tests.browser.conftest import reseed_migration_data
from lianxin.core.tests.browser.conftest import VIEWPORTS, chromium_browser, sign_in  # noqa: F401


@pytest.fixture
def world(transactional_db):
    from lianxin.testing import build_world

    reseed_migration_data()
    return build_world()
