"""Faults with real processes: ``kill -9`` of a ``lianxin worker`` in the middle of a task, then another worker.

The task must be run again (the lease of core.worker) and its effect must happen exactly once (the handlers are
safe to repeat). The worker processes live on the test's clock (testclock.child_env), on the test's database kind:
a private SQLite file, or the test PostgreSQL database.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from lianxin.core.tests import fault_tasks
from lianxin.core.tests.test_worker import REPO, TASKS, Reader, _env

LEASE = "1"


class World:
    """The worker's database, set up by ``fault_tasks.<setup>``, and how to start workers on it."""

    def __init__(self, tmp_path: Path, setup: str):
        self.var_dir = tmp_path / "var"
        self.var_dir.mkdir()
        self.hold = tmp_path / "hold"
        self.hold.touch()
        self.procs: list[subprocess.Popen] = []
        if connection.vendor == "sqlite":
            db_path = self.var_dir / "worker.sqlite3"
            self.url = f"sqlite:///{db_path}"
            code = ("import django; django.setup(); from django.core.management import call_command; "
                    "call_command('migrate', verbosity=0); "
                    f"from lianxin.core.tests import fault_tasks; print(fault_tasks.{setup}())")
            out = subprocess.run([sys.executable, "-c", code], env=self.env(), cwd=REPO, check=True,  # noqa: S603
                                 timeout=120, capture_output=True, text=True).stdout
            self.key = int(out.strip().splitlines()[-1])
            self.reader = Reader(db_path)
        else:
            s = connection.settings_dict
            assert s["NAME"].startswith("test_")
            self.url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
            os.environ["LIANXIN_FAULT_HOLD"] = str(self.hold)
            try:
                self.key = getattr(fault_tasks, setup)()
            finally:
                del os.environ["LIANXIN_FAULT_HOLD"]
            self.reader = Reader(None)

    def env(self) -> dict:
        """A fresh environment for each process: its clock starts at the test clock's now."""
        env = _env(getattr(self, "url", "sqlite://"), self.var_dir)
        env.update({"LIANXIN_WORKER_LEASE": LEASE, "LIANXIN_FAULT_HOLD": str(self.hold)})
        if connection.vendor == "postgresql" and connection.settings_dict.get("PASSWORD"):
            env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
        return env

    def worker(self) -> subprocess.Popen:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "lianxin.cli", "worker", "--no-scheduler", "--interval", "0.1"],
            env=self.env(), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.procs.append(proc)
        return proc

    def rows(self, sql: str) -> list[tuple]:
        return self.reader.rows(sql)

    def wait_for(self, what: str, check, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                return
            dead = [p for p in self.procs if p.poll() is not None and p.returncode != -signal.SIGKILL]
            if dead:
                pytest.fail(f"a worker exited while waiting for {what}:\n{dead[0].stdout.read()}")
            time.sleep(0.1)
        tasks = self.rows(f"SELECT task_path, status, worker_ids FROM {TASKS}")  # noqa: S608
        beats = self.rows("SELECT worker_id, beat_at FROM core_workerbeat")
        pytest.fail(f"timed out waiting for {what}; tasks: {tasks}; worker beats: {beats}")

    def stop_all(self) -> list[str]:
        outputs = []
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            try:
                out, _ = proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, _ = proc.communicate()
                pytest.fail(f"a worker did not stop within 15 s of SIGTERM\n{out}")
            outputs.append(out)
            assert proc.returncode in (0, -signal.SIGKILL), out
        return outputs


def kill_dash_nine(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_worker_is_killed_runs_again_and_its_message_goes_once(tmp_path):
    world = World(tmp_path, "setup_announce")
    user_id = world.key
    path = fault_tasks.announce.module_path
    status = lambda: world.rows(f"SELECT status, worker_ids FROM {TASKS} WHERE task_path = '{path}'")  # noqa: E731, S608
    messages = f"SELECT COUNT(*) FROM core_notification WHERE cause = 'announce:{user_id}'"  # noqa: S608
    try:
        first = world.worker()
        reached = Path(f"{world.hold}.reached")
        world.wait_for("the task to commit its message and hold", reached.exists)
        assert world.rows(messages) == [(1,)]
        assert status()[0][0] == "RUNNING"
        kill_dash_nine(first)  # its effect is committed; its result is not saved
        world.hold.unlink()
        world.worker()
        world.wait_for("the task to be run again", lambda: status()[0][0] == "SUCCESSFUL")
        world.wait_for("the message to be delivered", lambda: world.rows(
            "SELECT status, attempts FROM core_delivery") == [("sent", 1)])
    finally:
        outputs = world.stop_all()
    assert world.rows(messages) == [(1,)]  # once, though the task ran twice
    (row,) = status()
    worker_ids = row[1] if isinstance(row[1], list) else __import__("json").loads(row[1])
    assert len(worker_ids) == 2 and worker_ids[0] != worker_ids[1]
    assert "queued again" in outputs[1], outputs[1]
    assert world.rows("SELECT COUNT(*) FROM core_workerbeat")[0][0] <= 1  # the killed one's (the other stopped)


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_worker_is_killed_imports_once_and_tells_its_owner(tmp_path):
    world = World(tmp_path, "setup_import")
    job_id = world.key
    job = lambda: world.rows(f"SELECT status, attempts, created_count FROM core_importjob WHERE id = {job_id}")  # noqa: E731, S608
    rows = "SELECT COUNT(*) FROM core_notification WHERE kind = 'row'"
    told = "SELECT title FROM core_notification WHERE kind = 'import'"
    try:
        first = world.worker()
        reached = Path(f"{world.hold}.reached")
        world.wait_for("the import to hold in the middle of saving", reached.exists)
        assert job()[0][:2] == ("running", 1)
        kill_dash_nine(first)  # mid-transaction: nothing of the import is kept
        assert job()[0][0] == "running" and world.rows(rows) == [(0,)] and world.rows(told) == []
        world.hold.unlink()
        world.worker()
        world.wait_for("the import to finish", lambda: job()[0][0] == "done")
    finally:
        world.stop_all()
    assert job() == [("done", 2, fault_tasks.ROWS)]
    assert world.rows(rows) == [(fault_tasks.ROWS,)]  # every row once
    assert world.rows(told) == [(f"Import finished: {fault_tasks.ROWS} rows imported.",)]


def database_outage(world: World):
    """Start a real fault on the worker's database; return the function that ends it. SQLite: another process
    holds the database locked (every write of the worker fails with "database is locked" after its busy
    timeout). PostgreSQL: the worker's connections are terminated by the server."""
    if world.reader.sqlite_path:
        import sqlite3

        lock = sqlite3.connect(world.reader.sqlite_path, isolation_level=None, timeout=30)
        lock.execute("BEGIN EXCLUSIVE")

        def end():
            lock.execute("COMMIT")
            lock.close()
        return end, 20.0
    world.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
               "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    return (lambda: None), 0.0


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_database_outage_and_saves_the_result(tmp_path):
    world = World(tmp_path, "setup_announce")
    path = fault_tasks.announce.module_path
    status = lambda: world.rows(f"SELECT status FROM {TASKS} WHERE task_path = '{path}'")  # noqa: E731, S608
    try:
        proc = world.worker()
        world.wait_for("the task to hold", Path(f"{world.hold}.reached").exists)
        end, lasts = database_outage(world)
        world.hold.unlink()  # the task returns now and its worker tries to save the result
        time.sleep(lasts)
        assert proc.poll() is None, proc.stdout.read()  # still there, waiting for the database
        end()
        world.wait_for("the result to be saved", lambda: status() == [("SUCCESSFUL",)])
    finally:
        (out,) = world.stop_all()
    assert proc.returncode == 0
    assert "database unavailable while saving the result" in out, out
    assert "database back after" in out, out
    assert len(world.rows("SELECT id FROM core_notification WHERE kind = 'test'")) == 1


# --- a real PostgreSQL server stopped and started under the worker -----------------------------------------------

class PrivateCluster:
    """A throw-away PostgreSQL cluster on its own port (the server binaries must be installed; as root they run
    as the ``postgres`` account)."""

    def __init__(self, root: Path):
        import glob
        import pwd
        import shutil
        import socket

        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not bins:
            pytest.skip("no PostgreSQL server binaries (apt-get install postgresql)")
        self.bin = Path(bins[-1]).parent
        self.as_user: list[str] = []
        self.root = root
        root.mkdir(parents=True)
        root.chmod(0o755)
        root.parent.chmod(0o755)
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            pw = pwd.getpwnam("postgres")
            shutil.chown(root, pw.pw_uid, pw.pw_gid)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.data = root / "data"
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "lianxin")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/lianxin"

    def run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bin / tool), *args], capture_output=True, text=True,  # noqa: S603
                              timeout=120, cwd=self.root)
        if done.returncode:
            raise RuntimeError(f"{tool} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o",
                 f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def rows(self, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"), connect_timeout=5) as db:
            return db.execute(sql).fetchall()


# /healthz twice through the real WSGI handler (as under gunicorn: connections kept between requests for
# CONN_MAX_AGE), the second time after a line on stdin (sent after the restart). The test client would not do:
# it never closes nor checks connections between requests.
WEB = """
from django.core.wsgi import get_wsgi_application
from wsgiref.util import setup_testing_defaults
app = get_wsgi_application()
def get(path):
    environ, seen = {"PATH_INFO": path}, []
    setup_testing_defaults(environ)
    response = app(environ, lambda status, headers: seen.append(status))
    b"".join(response)
    response.close()
    return seen[0].split()[0]
print(get("/healthz"), flush=True)
input()
print(get("/healthz"), flush=True)
"""


@pytest.mark.slow
def test_the_worker_lives_through_a_postgresql_stop_and_start(tmp_path):
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="lianxin-pg-")) / "cluster"
    cluster = PrivateCluster(root)
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    hold = tmp_path / "hold"
    hold.touch()

    def env():
        e = _env(cluster.url, var_dir)
        e.update({"LIANXIN_WORKER_LEASE": LEASE, "LIANXIN_FAULT_HOLD": str(hold), "LIANXIN_DB_CONNECT_TIMEOUT": "2"})
        return e

    proc = None
    try:
        code = ("import django; django.setup(); from django.core.management import call_command; "
                "call_command('migrate', verbosity=0); "
                "from lianxin.core.tests import fault_tasks; print(fault_tasks.setup_announce())")
        subprocess.run([sys.executable, "-c", code], env=env(), cwd=REPO, check=True, timeout=600,  # noqa: S603
                       capture_output=True)
        status = f"SELECT status FROM {TASKS} WHERE task_path = '{fault_tasks.announce.module_path}'"  # noqa: S608
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "lianxin.cli", "worker", "--no-scheduler", "--interval", "0.1"],
            env=env(), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # A web process holding a kept connection (CONN_MAX_AGE) across the restart.
        web = subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WEB], env=env(), cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True)
        web_answers = [web.stdout.readline().strip()]
        deadline = time.monotonic() + 60
        while not Path(f"{hold}.reached").exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the task never started"
            time.sleep(0.1)
        cluster.stop()  # the server goes away under the running task
        hold.unlink()  # the task returns; its result cannot be saved
        time.sleep(6)
        assert proc.poll() is None, proc.stdout.read()
        cluster.start()
        web_answers.append(web.communicate("\n", timeout=60)[0].strip())
        deadline = time.monotonic() + 60
        while cluster.rows(status) != [("SUCCESSFUL",)]:
            assert proc.poll() is None and time.monotonic() < deadline, "the result was never saved"
            time.sleep(0.2)
        # and it goes on taking work: the message's delivery, queued before the outage, is sent
        deadline = time.monotonic() + 30
        while cluster.rows("SELECT status FROM core_delivery") != [("sent",)]:
            assert proc.poll() is None and time.monotonic() < deadline, "the worker stopped taking tasks"
            time.sleep(0.2)
    finally:
        if proc is not None:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=30)
        try:
            cluster.stop()
        except RuntimeError:
            pass
        import shutil

        shutil.rmtree(root.parent, ignore_errors=True)
    assert proc.returncode == 0, out
    assert "database unavailable while saving the result" in out, out
    assert "database back after" in out, out
    assert web_answers == ["200", "200"], web_answers  # the connection the restart killed was replaced
