import copy
import os
import shutil
from datetime import timedelta

import pytest

from lianxin import testclock


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    # Uploaded files go to a per-test folder; the cheap hasher keeps the world's 9 logins fast.
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "media"
    progress = {**settings.CACHES["progress"], "LOCATION": tmp_path / "progress"}
    settings.CACHES = {**settings.CACHES, "progress": progress}
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


# --------------------------------------------------------------------------- the test clock
# No test reads the real date: the whole run lives on the test clock (lianxin.testclock), which starts at
# LIANXIN_TEST_NOW (default: the real time when the run starts) and is set back to that moment before each
# test, so that a test sees the same "now" whether it runs first or last. .ci/run repeats the suite at the
# hardest moments (a month's last half hour, New Year's Eve, the Spring Festival holiday).

def pytest_configure(config):
    testclock.start()


def pytest_report_header(config):
    return f"test clock: {testclock.EPOCH.isoformat()} (repeat with LIANXIN_TEST_NOW={testclock.EPOCH.isoformat()})"


@pytest.fixture(autouse=True)
def _test_clock():
    with testclock.at_epoch():
        yield


# --------------------------------------------------------------------------- the test world
# The world is built once per test process and committed; each test gets its own copy of the Python objects and
# runs inside a transaction that is rolled back (pytest-django's ``db``), so the database holds the same world
# again for the next test. Tests that commit for real (``transactional_db``, ``live_server``) end with a flush:
# after each of them the committed state is put back from a snapshot taken when the world was built (SQLite's
# backup API, PostgreSQL's COPY), which costs milliseconds instead of a new world.

class WorldStore:
    """The committed world of this test process, and whether the database still holds it."""

    def __init__(self):
        self.world = None  # pristine objects, never handed to a test
        self.media = None  # the files the world stored
        self.valid = False
        self.snapshot = None
        self.blocker = None  # pytest-django's database blocker, for the restore after a test

    def build(self, media_root):
        from django.db import connection, transaction
        from django.test.utils import override_settings

        from lianxin.testing import build_world

        with override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=media_root), \
                testclock.at(testclock.EPOCH - WORLD_AGE), transaction.atomic():
            world = build_world()
            # As when each test built it inside its own transaction: the world's commit callbacks never
            # ran (no notifications sent, no tasks queued for the records it made).
            connection.run_on_commit = []
        self.world, self.media, self.valid = world, media_root, True
        self.snapshot = DatabaseSnapshot.take()

    def copy_for(self, media_root):
        if self.media and os.path.isdir(self.media):
            shutil.copytree(self.media, media_root, dirs_exist_ok=True)
        return copy.deepcopy(self.world)

    def restore(self):
        """After a test that flushed the database: the committed world again."""
        with self.blocker.unblock():
            self.snapshot.restore()
        self.valid = True


class DatabaseSnapshot:
    """Every table's rows at one moment, put back after a flush."""

    def __init__(self, vendor, data):
        self.vendor, self.data = vendor, data

    @classmethod
    def take(cls):
        from django.db import connection

        connection.ensure_connection()
        if connection.vendor == "sqlite":
            import sqlite3

            copy_db = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy_db)
            return cls("sqlite", copy_db)
        data = {}
        with connection.cursor() as cursor:
            for table in _tables(connection):
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT") as out:
                    data[table] = b"".join(bytes(chunk) for chunk in out)
        return cls(connection.vendor, data)

    def restore(self):
        from django.db import connection, transaction

        connection.ensure_connection()
        if self.vendor == "sqlite":
            self.data.backup(connection.connection)
            return
        tables = _tables(connection)
        with transaction.atomic(), connection.cursor() as cursor:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: any order of COPY is checked at commit.
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables))
            for table in tables:
                if self.data.get(table):
                    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} FROM STDIN") as into:
                        into.write(self.data[table])
            # A flush may have reset the sequences: each must again be past the highest restored id.
            from django.apps import apps
            from django.core.management.color import no_style

            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                cursor.execute(sql)


def _tables(connection) -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


# The world is made this long before the moment each test starts, so that everything it holds is in the past.
WORLD_AGE = timedelta(minutes=5)
STORE = WorldStore()


@pytest.fixture(scope="session")
def _world_store(django_db_setup, django_db_blocker, tmp_path_factory):
    """Builds the world on first use, before any test's transaction opens (session fixtures come first)."""
    STORE.blocker = django_db_blocker
    if not STORE.valid:
        with django_db_blocker.unblock():
            STORE.build(tmp_path_factory.mktemp("world-media"))
    return STORE


@pytest.fixture
def world(request, _world_store, settings):
    from lianxin.testing import build_world, ensure_reference_data

    transactional = is_transactional(request.node)
    request.getfixturevalue("transactional_db" if transactional else "db")
    if _world_store.valid:
        if transactional:
            _world_store.valid = False  # this test's closing flush removes it; restored after the test
        return _world_store.copy_for(settings.MEDIA_ROOT)
    ensure_reference_data()
    return build_world()


@pytest.fixture(autouse=True)
def _world_only_where_asked(request):
    """A database test that did not ask for the world must not find it: it is ordered before the world tests
    (non-transactional), or the tables are flushed first (transactional; the world is restored after it)."""
    node = request.node
    if "world" in node.fixturenames or not STORE.valid or not uses_database(node):
        yield
        return
    if not is_transactional(node):
        pytest.fail("this test runs after the shared world was built; the suite's order (conftest."
                    "pytest_collection_modifyitems) puts tests without the world first")
    with STORE.blocker.unblock():
        flush_database()
    STORE.valid = False
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # Every fixture of the test is torn down now, the transactional test's flush included (after the last test
    # the test database itself is gone: nothing to restore).
    if nextitem is not None and STORE.snapshot is not None and not STORE.valid and is_transactional(item):
        STORE.restore()


def flush_database():
    from django.core.management import call_command
    from django.db import connections

    from lianxin.testing import ensure_reference_data

    for alias in connections:
        call_command("flush", verbosity=0, interactive=False, database=alias, reset_sequences=False)
    ensure_reference_data()


def uses_database(item) -> bool:
    names = item.fixturenames
    return (item.get_closest_marker("django_db") is not None or "db" in names or "transactional_db" in names
            or "live_server" in names)


def is_transactional(item) -> bool:
    names = item.fixturenames
    marker = item.get_closest_marker("django_db")
    return ("transactional_db" in names or "live_server" in names
            or (marker is not None and bool(marker.kwargs.get("transaction"))))


@pytest.fixture
def english_client(client, settings):
    """The test client in English: import messages and Excel headers are asserted in their English source,
    whatever translations exist by then. Modules use it with ``pytest.mark.usefixtures("english_client")``."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def persona_client(client, world):
    """client logged in as the persona of a role: ``persona_client("community_staff")``."""

    def login(role):
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def pytest_collection_modifyitems(config, items):
    # Per process, in this order: database tests without the world, then the world's tests (on the committed
    # world), then the tests that commit and flush (each followed by a restore of the world). In each group the
    # minutes-long tests go first: with parallel workers (scripts/test runs two) none is left alone at the end.
    def group(item):
        if is_transactional(item):
            return 2
        return 1 if "world" in item.fixturenames else 0

    items.sort(key=lambda item: (group(item), item.get_closest_marker("slow") is None))


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

