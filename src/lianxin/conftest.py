import os
import shutil

import pytest


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    # Uploaded files go to a per-test folder; the cheap hasher keeps the world's 9 logins fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    progress = {**settings.CACHES["progress"], "LOCATION": tmp_path / "progress"}
    settings.CACHES = {**settings.CACHES, "progress": progress}
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def _fresh_config_snapshots():
    # Each test's rollback undoes its configuration without a signal: no snapshot may outlive the test.
    from lianxin.api.models import forget_keys
    from lianxin.core import configcache

    configcache.clear()
    forget_keys()
    yield
    configcache.clear()
    forget_keys()


@pytest.fixture
def world(db):
    from lianxin.testing import build_world

    return build_world()


@pytest.fixture
def persona_client(client, world):
    """client logged in as the persona of a role: ``persona_client("community_staff")``."""

    def login(role):
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def pytest_collection_modifyitems(config, items):
    # The minutes-long tests go first: with parallel workers (scripts/test runs two) none is left to run alone
    # at the end.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_or_skip(available: bool, reason: str):
    """Skip where a real part is missing on a developer's machine; under CI the same gap is a failure."""
    if available:
        return
    if in_ci():
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    return os.environ.get("LIANXIN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


# --------------------------------------------------------------------------- CI: no skips allowed
# Under CI=true a skipped test is a failure: a part the suite needs (chromium, gettext, PostgreSQL, ...)
# is missing, or a test skips where it should branch. The list of skips is printed with their reasons.

_skipped: list[tuple[str, str]] = []


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append((report.nodeid, _skip_reason(report)))


def pytest_collectreport(report):
    if report.skipped:
        _skipped.append((report.nodeid or "<collection>", _skip_reason(report)))


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    if in_ci() and _skipped and session.exitstatus in (pytest.ExitCode.OK, 0):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not (in_ci() and _skipped):
        return
    terminalreporter.section("skipped tests are failures under CI=true", sep="=", red=True, bold=True)
    for nodeid, reason in _skipped:
        terminalreporter.line(f"SKIPPED {nodeid}: {reason}", red=True)
    terminalreporter.line(f"{len(_skipped)} test(s) skipped: the run fails (exit status 1).",
                          red=True, bold=True)
